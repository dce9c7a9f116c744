/**
 * Swiss (de-CH) formatting helpers for documents and e-mails.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const zurichDate = new Intl.DateTimeFormat('de-CH', {
  timeZone: 'Europe/Zurich',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});

/**
 * "1985-04-12" → "12.04.1985". A plain ISO date is taken as a calendar date (no time zone
 * shift); a timestamp or a Date is shown as the calendar date in Europe/Zurich.
 */
export function formatDateCH(value: string | Date): string {
  if (typeof value === 'string') {
    const m = ISO_DATE.exec(value.trim());
    if (m) return `${m[3]}.${m[2]}.${m[1]}`;
  }
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) throw new Error(`invalid date: ${String(value)}`);
  const parts = Object.fromEntries(zurichDate.formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.day}.${parts.month}.${parts.year}`;
}

/** 123450 → "CHF 1'234.50" (apostrophe U+0027 as thousands separator, always 2 decimals). */
export function formatChf(cents: number): string {
  if (!Number.isFinite(cents)) throw new Error(`invalid amount: ${cents}`);
  const rounded = Math.round(cents);
  const sign = rounded < 0 ? '-' : '';
  const abs = Math.abs(rounded);
  const francs = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, "'");
  const rappen = (abs % 100).toString().padStart(2, '0');
  return `CHF ${sign}${francs}.${rappen}`;
}

/** "Pilatusstrasse 12" / "6003 Luzern" */
export function formatAddressLines(address: { street: string; houseNumber: string; postalCode: string; town: string }): [string, string] {
  return [`${address.street} ${address.houseNumber}`.trim(), `${address.postalCode} ${address.town}`.trim()];
}
