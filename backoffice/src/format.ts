/** Swiss formats, whatever the UI language: dd.MM.yyyy, 24-hour time, CHF 1'234.50. */
const TZ = 'Europe/Zurich';

const dateFmt = new Intl.DateTimeFormat('de-CH', { timeZone: TZ, day: '2-digit', month: '2-digit', year: 'numeric' });
const timeFmt = new Intl.DateTimeFormat('de-CH', { timeZone: TZ, hour: '2-digit', minute: '2-digit' });

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

/** What a capped total (X-Total-Capped: the server stopped counting at n) stands for: "more than n − 1". */
export function cappedLowerBound(total: number): number {
  return Math.max(0, total - 1);
}

/** A count the server capped ("more than n − 1", see X-Total-Capped) as "10'000+". */
export function formatCappedCount(total: number, capped: boolean): string {
  return capped ? `${formatCount(cappedLowerBound(total))}+` : String(total);
}

export type DueState = 'overdue' | 'soon' | 'ok' | 'none';

/** Overdue after the due instant; "soon" within the next 24 hours. */
export function dueState(dueDate: string | null | undefined, now = Date.now()): DueState {
  if (!dueDate) return 'none';
  const due = Date.parse(dueDate);
  if (Number.isNaN(due)) return 'none';
  if (due < now) return 'overdue';
  if (due - now < 24 * 3600_000) return 'soon';
  return 'ok';
}
