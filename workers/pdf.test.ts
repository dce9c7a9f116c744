import { describe, expect, it } from 'vitest';
import { renderLetter, type LetterSpec } from './pdf.js';
import { pdfText } from './testing/pdf-text.js';
import { testSeal } from './testing/test-seal.js';
import { sealOf } from './lib/sealed-pdf.js';
import { fakePorts } from './testing/fake-ports.js';

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
  seal: { organisation: 'Stadt Luzern', seal: testSeal() },
};

describe('letters (PDF/A-2b, embedded Liberation Sans shared by all documents of a process)', () => {
  it('lays out a letter from the shared fonts exactly as from freshly parsed ones', async () => {
    // the first letter of this file parses the fonts, the second reuses them
    const first = await renderLetter(letter);
    const second = await renderLetter(letter);
    expect(second.equals(first)).toBe(true);
    // metrics that were really there: the long paragraph wraps into several lines
    const { text } = await pdfText(second);
    expect(text).toContain('Wohnsitzbestätigung');
    expect(text.split('\n').filter((line) => line.includes('Hiermit')).length).toBeGreaterThan(1);
    // no standard font: the only fonts are the embedded ones
    expect(second.toString('latin1')).not.toMatch(/\/BaseFont \/Helvetica/);
    expect(second.toString('latin1')).toMatch(/\/FontFile2 /);
  });

  it('seals every letter: the last line names the seal, the file carries one signature', async () => {
    const pdf = await renderLetter(letter);
    const { text } = await pdfText(pdf);
    expect(text.replace(/\s+/g, ' ')).toContain('Dieses Dokument ist mit dem elektronischen Siegel der Stadt Luzern versehen. DEMO: Das Siegel ist ein selbst ausgestelltes Demo-Zertifikat');
    const raw = pdf.toString('latin1');
    expect(raw.match(/\/Type \/Sig\b/g)).toHaveLength(1);
    expect(raw).toMatch(/\/ByteRange \[0 \d+ \d+ \d+ *\]/);
    expect(raw).not.toContain('/**********');
  });

  it('refuses to issue a document of an organisation without a seal', async () => {
    const ports = fakePorts();
    ports.seal = undefined;
    await expect(sealOf(ports, { id: 'municipality:1061', name: 'Stadt Luzern' })).rejects.toThrow(/no electronic seal configured for organisation municipality:1061.*not issued unsealed/);
  });
});
