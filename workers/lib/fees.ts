/**
 * Fee rules of the services (amounts in Rappen).
 *
 * - Dog tax, canton of Lucerne (Hundegesetz SRL 848): CHF 120 a year per dog older than six
 *   months, farm dogs CHF 40; half the tax when the dog reaches six months after 30 June of the
 *   tax year; nothing for the year when it reaches six months only next year. Exemptions
 *   (service, rescue, guide dogs) are a human decision and not computed here.
 * - Residents' parking permit, Stadt Luzern: "CHF 60.- im Monat oder CHF 600.- im Jahr", from any
 *   day for at least one month and at most a year (stadtluzern.ch, "Parkkarte für Anwohner/innen"
 *   and "Fragen zum Dauerparkieren"): 12 months are the yearly permit (CHF 600), fewer months cost
 *   CHF 60 each, so 11 months cost CHF 660 (no cap at the yearly price in the tariff).
 * - Debt-register extract (GebV SchKG): CHF 17, CHF 18 delivered electronically.
 */

export const DOG_TAX_CENTS = 12_000;
export const FARM_DOG_TAX_CENTS = 4_000;
export const PARKING_MONTH_CENTS = 6_000;
export const PARKING_YEAR_CENTS = 60_000;
export const DEBT_EXTRACT_CENTS = 1_700;
export const DEBT_EXTRACT_ELECTRONIC_CENTS = 1_800;

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Calendar date plus months; the day is clamped to the month's length (31.08. + 6 → 28./29.02.). */
export function addMonths(isoDate: string, months: number): string {
  const m = ISO.exec(isoDate);
  if (!m) throw new Error(`invalid date ${isoDate}`);
  const total = Number(m[1]) * 12 + (Number(m[2]) - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = Math.min(Number(m[3]), lastDay);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export type DogTaxRule = 'full' | 'half' | 'none';

export interface DogTax {
  cents: number;
  rule: DogTaxRule;
  /** the day the dog is six months old */
  sixMonthsOn: string;
  taxYear: number;
}

export function dogTax(input: { birthDate: string; farmDog: boolean; taxYear: number }): DogTax {
  const annual = input.farmDog ? FARM_DOG_TAX_CENTS : DOG_TAX_CENTS;
  const sixMonthsOn = addMonths(input.birthDate, 6);
  let rule: DogTaxRule;
  if (sixMonthsOn > `${input.taxYear}-12-31`) rule = 'none';
  else if (sixMonthsOn > `${input.taxYear}-06-30`) rule = 'half';
  else rule = 'full';
  const cents = rule === 'full' ? annual : rule === 'half' ? annual / 2 : 0;
  return { cents, rule, sixMonthsOn, taxYear: input.taxYear };
}

export function parkingFeeCents(months: number): number {
  if (!Number.isInteger(months) || months < 1 || months > 12) throw new RangeError('1 to 12 months');
  return months === 12 ? PARKING_YEAR_CENTS : months * PARKING_MONTH_CENTS;
}

export function debtExtractFeeCents(electronic: boolean): number {
  return electronic ? DEBT_EXTRACT_ELECTRONIC_CENTS : DEBT_EXTRACT_CENTS;
}
