/**
 * Swiss formats for the two web apps (back office and portal), whatever the UI language:
 * dd.MM.yyyy, 24-hour time, CHF 1'234.50 (amounts in francs, as the API gives them). Lenient:
 * what a browser shows must never throw, so a value that is no date is shown as it came.
 * Documents and e-mails use model/format.ts (amounts in cents, strict).
 */
const TZ = 'Europe/Zurich';
const dateFmt = new Intl.DateTimeFormat('de-CH', { timeZone: TZ, day: '2-digit', month: '2-digit', year: 'numeric' });
const timeFmt = new Intl.DateTimeFormat('de-CH', { timeZone: TZ, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

export function formatDate(value: string | null | undefined): string {
  if (!value) return '';
  // a bare date (date of birth) is a calendar date, not an instant
  const d = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value);
  return Number.isNaN(d.getTime()) ? value : dateFmt.format(d);
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : `${dateFmt.format(d)} ${timeFmt.format(d)}`;
}

/** CHF 1'234.50 (Swiss grouping with an apostrophe, two decimals). */
export function formatChf(amount: number): string {
  const [whole, cents] = Math.abs(amount).toFixed(2).split('.');
  return `CHF ${amount < 0 ? '-' : ''}${formatCount(Number(whole))}.${cents}`;
}

/** 10'000 (Swiss grouping with an apostrophe). */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "'");
}
