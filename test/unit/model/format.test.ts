import { describe, expect, it } from 'vitest';
import { formatChf, formatDateCH } from '../../../model/format.js';

describe('formatChf', () => {
  it('uses the apostrophe as thousands separator and two decimals', () => {
    expect(formatChf(123450)).toBe("CHF 1'234.50");
    expect(formatChf(3000)).toBe('CHF 30.00');
    expect(formatChf(5)).toBe('CHF 0.05');
    expect(formatChf(123456789)).toBe("CHF 1'234'567.89");
    expect(formatChf(-1700)).toBe('CHF -17.00');
  });
});

describe('formatDateCH', () => {
  it('formats ISO dates without time zone shift', () => {
    expect(formatDateCH('1985-04-12')).toBe('12.04.1985');
  });
  it('formats instants as the calendar date in Zurich', () => {
    expect(formatDateCH(new Date('2025-05-02T08:30:00Z'))).toBe('02.05.2025');
    expect(formatDateCH(new Date('2024-12-31T23:30:00Z'))).toBe('01.01.2025');
    expect(formatDateCH('2024-12-31T23:30:00Z')).toBe('01.01.2025');
  });
  it('rejects garbage', () => {
    expect(() => formatDateCH('not a date')).toThrow();
  });
});
