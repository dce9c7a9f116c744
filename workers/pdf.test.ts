import { describe, expect, it } from 'vitest';
import { fontMetricsCached } from './lib/pdfkit-font-cache.js';
import { renderLetter, type LetterSpec } from './pdf.js';
import { pdfText } from './testing/pdf-text.js';

const letter: LetterSpec = {
  organisation: 'Stadt Luzern',
  department: 'Einwohnerdienste',
  recipient: ['Anna Muster', 'Pilatusstrasse 12', '6003 Luzern'],
  placeAndDate: 'Luzern, 23.11.2026',
  title: 'Wohnsitzbestätigung',
  blocks: [
    { kind: 'paragraph', text: 'Hiermit wird bestätigt, dass die folgende Person in der Gemeinde wohnhaft ist. '.repeat(4) },
    {
      kind: 'fields',
      rows: [
        ['Name', 'Anna Muster'],
        ['Geburtsdatum', '12.04.1985'],
      ],
    },
  ],
  footer: 'Referenz: WB-2026-000001',
  createdAt: new Date('2026-11-23T10:00:00Z'),
};

describe('pdfkit font metrics cache', () => {
  it('is installed on the pdfkit in use', () => {
    expect(fontMetricsCached).toBe(true);
  });

  it('lays out a letter from cached metrics exactly as from freshly parsed ones', async () => {
    // the first letter of this file parses Helvetica and Helvetica-Bold, the second reuses them
    const parsed = await renderLetter(letter);
    const cached = await renderLetter(letter);
    expect(cached.equals(parsed)).toBe(true);
    // metrics that were really there: the long paragraph wraps into several lines
    const { text } = await pdfText(cached);
    expect(text).toContain('Wohnsitzbestätigung');
    expect(text.split('\n').filter((line) => line.includes('Hiermit')).length).toBeGreaterThan(1);
  });
});
