/**
 * AHV number (AHVN13, "756.XXXX.XXXX.XC"): 13 digits starting with the country code 756; the last
 * digit is an EAN-13 check digit over the first 12 (weights 1 and 3 from the left;
 * check = (10 − sum mod 10) mod 10).
 */

/** The 13 digits without dots and spaces, or undefined when it does not look like an AHV number. */
export function ahvDigits(value: string): string | undefined {
  const digits = value.replace(/[.\s]/g, '');
  return /^756\d{10}$/.test(digits) ? digits : undefined;
}

export function ean13CheckDigit(first12: string): number {
  if (!/^\d{12}$/.test(first12)) throw new Error('12 digits expected');
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

export function isValidAhv(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const digits = ahvDigits(value);
  return digits !== undefined && ean13CheckDigit(digits.slice(0, 12)) === Number(digits[12]);
}

/** "7561234567897" → "756.1234.5678.97" */
export function formatAhv(value: string): string {
  const d = ahvDigits(value);
  if (!d) return value;
  return `${d.slice(0, 3)}.${d.slice(3, 7)}.${d.slice(7, 11)}.${d.slice(11)}`;
}
