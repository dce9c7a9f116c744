import { describe, expect, it } from 'vitest';
import { formatChf, formatCount, formatDate, formatDateTime } from '../../../model/web-format';

describe('web formats (back office and portal)', () => {
  it('shows amounts in francs with Swiss grouping', () => {
    expect(formatChf(1234.5)).toBe("CHF 1'234.50");
    expect(formatChf(-30)).toBe('CHF -30.00');
    expect(formatCount(10000)).toBe("10'000");
  });

  it('shows calendar dates without a time-zone shift and instants in Zurich time, never throwing', () => {
    expect(formatDate('1985-04-12')).toBe('12.04.1985');
    expect(formatDateTime('2026-12-01T23:30:00Z')).toBe('02.12.2026 00:30');
    expect(formatDate('kein Datum')).toBe('kein Datum');
    expect(formatDate(null)).toBe('');
  });
});
