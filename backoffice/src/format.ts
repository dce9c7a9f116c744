/** Swiss formats, whatever the UI language (model/web-format.ts), and the back office's own helpers. */
import { formatCount } from '../../model/web-format';

export { formatChf, formatCount, formatDate, formatDateTime } from '../../model/web-format';

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
