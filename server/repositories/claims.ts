/**
 * Claiming rows of a queue for one process, so any number of processes can work one queue
 * (DESIGN.md §8). Every queue claims through `claimRows`: one conditional UPDATE sets the
 * claim's token and lease on up to `limit` claimable rows and returns them.
 *
 * The UPDATE re-checks `claimable` on every row it writes, which is what makes a claim exclusive:
 * SQLite runs one writer at a time (also across processes sharing the file), and PostgreSQL
 * re-evaluates the WHERE of a row another transaction changed meanwhile. On PostgreSQL the
 * candidates are also selected `FOR UPDATE SKIP LOCKED`, so concurrent claimers take different
 * rows instead of queueing behind each other's row locks and coming back empty-handed.
 * The lease (`claimed_until`) frees a row again when its holder died before finishing it.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { isSqlite } from './list-page';

export interface ClaimQuery {
  table: string;
  /** adds the conditions a row must meet to be claimed (due, pending, lease expired) */
  claimable: (b: Knex.QueryBuilder) => void;
  /** the order in which claimable rows are taken */
  orderBy: string[];
  limit: number;
  /** the columns written by the claim (token and lease, or a "checked at" time) */
  set: Record<string, unknown>;
}

export async function claimRows<Row = any>(db: Knex, q: ClaimQuery): Promise<Row[]> {
  const candidates = db(q.table).select('id').modify(q.claimable).limit(q.limit);
  for (const column of q.orderBy) candidates.orderBy(column);
  if (!isSqlite(db)) candidates.forUpdate().skipLocked();
  return db(q.table).whereIn('id', candidates).modify(q.claimable).update(q.set).returning('*');
}

/**
 * A claim token: the claimer (process) plus a random part new for every claim, so a holder's
 * later "mark done where claimed_by = token" never touches a row claimed again by someone else.
 */
export const claimToken = (claimer: string): string => `${claimer.slice(0, 80)}#${randomUUID().slice(0, 8)}`; // claimed_by holds 100 characters

/** Rows not claimed by anyone, or whose lease ran out before `now`. */
export const leaseFree = (now: string) => (w: Knex.QueryBuilder) => w.whereNull('claimed_until').orWhere('claimed_until', '<', now);
