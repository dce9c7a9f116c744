/**
 * Exact decimal arithmetic for the number rules of Camunda Forms. form-js compares numbers with
 * big.js (`Big(value)`), so 0.1 + 0.2 questions never arise there; this does the same with BigInt,
 * accepting exactly what `Big()` accepts (a finite JS number, or a string such as "12.50",
 * "-.5", "1e3"; no blanks, no "Infinity").
 */

export interface Decimal {
  /** value = units * 10^-scale */
  units: bigint;
  scale: number;
}

const BIG_NUMERIC = /^-?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/** Parses like `new Big(value)`; null where big.js would throw. */
export function toDecimal(value: unknown): Decimal | null {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number') text = Object.is(value, -0) ? '-0' : String(value);
  else return null;
  if (!BIG_NUMERIC.test(text)) return null;
  const negative = text.startsWith('-');
  const [mantissa = '', exponentText] = text.replace('-', '').toLowerCase().split('e');
  const [intPart = '', fracPart = ''] = mantissa.split('.');
  const exponent = exponentText === undefined ? 0 : Number(exponentText);
  if (!Number.isSafeInteger(exponent)) return null;
  let digits = `${intPart}${fracPart}`.replace(/^0+(?=\d)/, '');
  let scale = fracPart.length - exponent;
  if (scale < 0) {
    digits += '0'.repeat(-scale);
    scale = 0;
  }
  const units = BigInt(digits === '' ? '0' : digits);
  return normalise({ units: negative ? -units : units, scale });
}

function normalise(d: Decimal): Decimal {
  let { units, scale } = d;
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale -= 1;
  }
  return { units, scale };
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.units * 10n ** BigInt(scale - a.scale), b.units * 10n ** BigInt(scale - b.scale), scale];
}

export function compareDecimal(a: Decimal, b: Decimal): number {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Digits after the point of the plain notation, trailing zeros dropped (form-js countDecimals). */
export function decimalPlaces(d: Decimal): number {
  return normalise(d).scale;
}

/** `a mod b` with the sign of a, as big.js `mod`; null when b is zero (big.js throws). */
export function modDecimal(a: Decimal, b: Decimal): Decimal | null {
  const [x, y, scale] = align(a, b);
  if (y === 0n) return null;
  return normalise({ units: x % y, scale });
}

export function addDecimal(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = align(a, b);
  return normalise({ units: x + y, scale });
}

export function negateDecimal(a: Decimal): Decimal {
  return { units: -a.units, scale: a.scale };
}

/** Plain notation ("12.5", "-0.001"). */
export function formatDecimal(d: Decimal): string {
  const negative = d.units < 0n;
  const digits = (negative ? -d.units : d.units).toString().padStart(d.scale + 1, '0');
  const int = digits.slice(0, digits.length - d.scale);
  const frac = d.scale > 0 ? `.${digits.slice(digits.length - d.scale)}` : '';
  return `${negative ? '-' : ''}${int}${frac}`;
}
