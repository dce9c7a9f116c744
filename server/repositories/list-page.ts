/**
 * Paged lists with a capped total. Counting every matching row for Content-Range costs as much
 * as reading them (about 50 ms for a clerk's 250 000 completed tasks); nobody pages through
 * more than a few thousand. So lists count at most `cap` rows beyond the requested range and
 * say when they stopped: `total` is then a lower bound ("more than total − 1").
 */
import type { Knex } from 'knex';

export interface ListPage<T> {
  rows: T[];
  /** matching rows; with totalCapped a lower bound: at least this many exist */
  total: number;
  /** the count stopped early: more than `total - 1` rows match */
  totalCapped: boolean;
}

/** Totals are exact up to this many rows (plus the requested range). */
export const COUNT_CAP = 10_000;

/**
 * Counts the rows of `query` (a select without limit/offset), stopping after
 * max(cap, range end + 1) + 1 rows, so the page after the requested range is always known to
 * exist or not.
 */
export async function cappedCount(db: Knex, query: Knex.QueryBuilder, range: [number, number], cap: number, opts: { keepSelect?: boolean } = {}): Promise<{ total: number; totalCapped: boolean }> {
  const limit = Math.max(cap, range[1] + 1) + 1;
  // keepSelect: the query selects what it counts (e.g. DISTINCT case_id)
  const inner = query
    .clone()
    .clearOrder()
    .modify((b) => (opts.keepSelect ? b : b.clearSelect().select(db.raw('1 as one'))))
    .limit(limit);
  const [row] = (await db.count({ n: '*' }).from(inner.as('capped'))) as Array<{ n: number | string }>;
  const total = Number(row?.n ?? 0);
  return { total, totalCapped: total >= limit };
}

export const isSqlite = (db: Knex): boolean => (db.client as { dialect?: string }).dialect === 'sqlite3';

/** `LIKE` pattern for a substring: %, _ and \ in the text match themselves (ESCAPE '\'). */
export const containsPattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The column a list may be sorted by: only the list's own allow-list counts (a field such as
 * `constructor` or `__proto__` must not find something on Object.prototype), else the fallback.
 */
export const sortColumn = (columns: Readonly<Record<string, string>>, field: string, fallback: string): string => (Object.hasOwn(columns, field) ? columns[field]! : fallback);
