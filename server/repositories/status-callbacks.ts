/**
 * The status-callback outbox (status_callbacks, migration 009): one row per status change of a
 * case submitted by a portal client, written in the transaction of the change and sent by the
 * relay (domain/status-callback-relay.ts).
 *
 * States: `pending` (due at next_attempt_at), `delivered` (a 2xx answer; never sent again),
 * `dead` (the last attempt failed; an admin may retry it), `skipped` (the client has no active
 * callback registration when the event was due; an admin may retry it after registering).
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Db } from '../db/database';
import { nowIso } from '../db/database';
import { claimRows, claimToken, leaseFree } from './claims';
import { cappedCount, COUNT_CAP, type ListPage } from './list-page';

export const callbackStates = ['pending', 'delivered', 'dead', 'skipped'] as const;
export type CallbackState = (typeof callbackStates)[number];

export interface ClaimedStatusCallback extends StatusCallback {
  /** the claim's token: only its holder marks the row */
  claimedBy: string;
}

export interface StatusCallback {
  id: number;
  eventId: string;
  clientId: string;
  reference: string;
  status: string;
  at: string;
  state: CallbackState;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

/**
 * Queues the event "case `caseId` now has `status`" if the case was submitted by a portal client
 * and its stored status differs (a retried job setting the same status again is no change).
 * One INSERT … SELECT, run before the case row is updated, inside the caller's transaction.
 */
export async function enqueueStatusCallback(trx: Knex | Knex.Transaction, caseId: number, status: string, at: string, opts: { initial?: boolean } = {}): Promise<void> {
  const changed = opts.initial ? '' : 'and status <> ?';
  await trx.raw(
    `insert into status_callbacks (event_id, client_id, case_id, reference, status, at, state, attempts, next_attempt_at, created_at)
     select ?, client_id, id, reference, ?, ?, 'pending', 0, ?, ? from cases
     where id = ? and client_id is not null ${changed}`,
    [randomUUID(), status, at, at, at, caseId, ...(opts.initial ? [] : [status])],
  );
}

export class StatusCallbackRepository {
  constructor(private readonly db: Db) {}

  /**
   * Claims up to `limit` due events for `claimer` (a process) until `leaseUntil` and returns them
   * with the claim's token (claims.ts: exclusive across processes on SQLite and PostgreSQL).
   */
  async claimDue(claimer: string, now: string, leaseUntil: string, limit: number): Promise<ClaimedStatusCallback[]> {
    const token = claimToken(claimer);
    const rows = await claimRows(this.db, {
      table: 'status_callbacks',
      claimable: (b) => b.where('state', 'pending').where('next_attempt_at', '<=', now).where(leaseFree(now)),
      orderBy: ['next_attempt_at', 'id'],
      limit,
      set: { claimed_until: leaseUntil, claimed_by: token },
    });
    return rows.sort((a, b) => a.id - b.id).map((r) => ({ ...toStatusCallback(r), claimedBy: token }));
  }

  /** A 2xx answer: delivered, released. Only by the holder of the claim, only while pending. */
  async markDelivered(id: number, claimedBy: string): Promise<boolean> {
    const now = nowIso();
    const n = await this.db('status_callbacks')
      .where({ id, claimed_by: claimedBy, state: 'pending' })
      .update({ state: 'delivered', delivered_at: now, attempts: this.db.raw('attempts + 1'), last_error: null, claimed_until: null });
    return n === 1;
  }

  /** A failed attempt: due again at `nextAttemptAt`, or `dead` when that was the last one. */
  async markFailed(id: number, claimedBy: string, attempts: number, error: string, next: { nextAttemptAt: string } | 'dead'): Promise<void> {
    await this.db('status_callbacks')
      .where({ id, claimed_by: claimedBy, state: 'pending' })
      .update({
        attempts,
        last_error: error.slice(0, 2000),
        claimed_until: null,
        ...(next === 'dead' ? { state: 'dead' } : { next_attempt_at: next.nextAttemptAt }),
      });
  }

  async markSkipped(id: number, claimedBy: string, reason: string): Promise<void> {
    await this.db('status_callbacks').where({ id, claimed_by: claimedBy, state: 'pending' }).update({ state: 'skipped', last_error: reason, claimed_until: null });
  }

  async get(id: number): Promise<StatusCallback | undefined> {
    const row = await this.db('status_callbacks').where({ id }).first();
    return row ? toStatusCallback(row) : undefined;
  }

  /** Puts a dead or skipped event back to pending, due now, with a fresh count of attempts. */
  async retry(id: number): Promise<boolean> {
    const n = await this.db('status_callbacks')
      .where({ id })
      .whereIn('state', ['dead', 'skipped'])
      .update({ state: 'pending', attempts: 0, next_attempt_at: nowIso(), claimed_until: null, claimed_by: null });
    return n === 1;
  }

  async list(query: { state?: CallbackState; clientId?: string; reference?: string; order: 'ASC' | 'DESC'; range: [number, number] }): Promise<ListPage<StatusCallback>> {
    const filtered = this.db('status_callbacks').modify((b) => {
      if (query.state) b.where('state', query.state);
      if (query.clientId) b.where('client_id', query.clientId);
      if (query.reference) b.where('reference', query.reference);
    });
    const direction = query.order === 'ASC' ? 'asc' : 'desc';
    const [from, to] = query.range;
    const [count, rows] = await Promise.all([
      cappedCount(this.db, filtered.clone(), query.range, COUNT_CAP),
      filtered
        .clone()
        .select('*')
        .orderBy('id', direction)
        .offset(from)
        .limit(to - from + 1),
    ]);
    return { rows: rows.map(toStatusCallback), ...count };
  }
}

function toStatusCallback(row: any): StatusCallback {
  return {
    id: row.id,
    eventId: row.event_id,
    clientId: row.client_id,
    reference: row.reference,
    status: row.status,
    at: row.at,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error ?? null,
    deliveredAt: row.delivered_at ?? null,
    createdAt: row.created_at,
  };
}
