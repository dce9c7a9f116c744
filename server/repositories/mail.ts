/**
 * The mail outbox (mail_outbox) and its delivery record (mail_deliveries, migration 017); sent by
 * domain/mail-sender.ts, which explains the delivery guarantee.
 *
 * Status: `pending` (due at next_attempt_at), `sent` (the SMTP server accepted it), `failed` (the
 * last attempt failed), `uncertain` (a handover was interrupted by a crash; never sent again).
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Db } from '../db/database';
import { nowIso } from '../db/database';
import { isSqlite } from './list-page';

export interface OutgoingMail {
  id: number;
  caseId: number | null;
  to: string;
  subject: string;
  body: string;
  attempts: number;
  /** set at the first handover, the same on every later one */
  messageId: string | null;
}

export interface ClaimedMail extends OutgoingMail {
  /** the claim's token: only its holder hands the mail over and marks it */
  claimedBy: string;
  /** a handover was started and never finished: the process that made it died */
  interrupted: boolean;
}

export interface MailDelivery {
  mailId: number;
  messageId: string;
  attempt: number;
  sender: string;
  startedAt: string;
  finishedAt: string | null;
  outcome: 'accepted' | 'failed' | 'interrupted' | null;
  response: string | null;
}

export class MailRepository {
  constructor(private readonly db: Db) {}

  /** Queues a message once per dedupe key (a retried job does not queue it twice). */
  async enqueue(m: { caseId: number | null; dedupeKey: string; to: string; subject: string; body: string }, trx: Knex | Knex.Transaction = this.db): Promise<void> {
    await trx('mail_outbox')
      .insert({ case_id: m.caseId, dedupe_key: m.dedupeKey, to: m.to, subject: m.subject, body: m.body, status: 'pending', created_at: nowIso() })
      .onConflict('dedupe_key')
      .ignore();
  }

  /**
   * Claims up to `limit` due mails for `claimer` (a process) until `leaseUntil`, with a token new
   * for every call. One UPDATE that re-checks the claim condition on each row: on SQLite writes
   * are serialised; on PostgreSQL the candidates are locked with FOR UPDATE SKIP LOCKED, so a
   * concurrent claimer takes the next rows instead of waiting, and a row another claimer just
   * took no longer matches when the lock is granted.
   */
  async claimDue(claimer: string, now: string, leaseUntil: string, limit: number): Promise<ClaimedMail[]> {
    const token = `${claimer.slice(0, 80)}#${randomUUID().slice(0, 8)}`; // claimed_by holds 100 characters
    const claimable = (b: Knex.QueryBuilder) =>
      b
        .where({ status: 'pending' })
        .where((w) => w.whereNull('next_attempt_at').orWhere('next_attempt_at', '<=', now))
        .where((w) => w.whereNull('claimed_until').orWhere('claimed_until', '<', now));
    const candidates = this.db('mail_outbox').select('id').modify(claimable).orderBy('id').limit(limit);
    if (!isSqlite(this.db)) candidates.forUpdate().skipLocked();
    await this.db('mail_outbox').whereIn('id', candidates).modify(claimable).update({ claimed_by: token, claimed_until: leaseUntil });
    const rows = await this.db('mail_outbox').where({ claimed_by: token, status: 'pending' }).orderBy('id');
    if (rows.length === 0) return [];
    const open = await this.db('mail_deliveries')
      .whereIn(
        'mail_id',
        rows.map((r) => r.id),
      )
      .whereNull('finished_at')
      .pluck('mail_id');
    return rows.map((r) => ({ ...toMail(r), claimedBy: token, interrupted: open.includes(r.id) }));
  }

  /**
   * Writes the delivery record before a handover (and the mail's Message-ID at its first one) and
   * renews the claim until `leaseUntil`: a batch is handed over one mail after the other, so the
   * claim must cover each handover from its start, not only the first. Undefined when the claim
   * was lost meanwhile (another process holds the mail now).
   */
  async startDelivery(mail: ClaimedMail, newMessageId: string, leaseUntil: string): Promise<{ deliveryId: number; messageId: string } | undefined> {
    return this.db.transaction(async (trx) => {
      const claimed = await trx('mail_outbox')
        .where({ id: mail.id, claimed_by: mail.claimedBy, status: 'pending' })
        .update({ message_id: mail.messageId ?? newMessageId, claimed_until: leaseUntil });
      if (claimed === 0) return undefined;
      const messageId = mail.messageId ?? newMessageId;
      const [row] = await trx('mail_deliveries')
        .insert({ mail_id: mail.id, message_id: messageId, attempt: mail.attempts + 1, sender: mail.claimedBy, started_at: nowIso() })
        .returning('id');
      return { deliveryId: (row as { id: number }).id, messageId };
    });
  }

  /** The SMTP server accepted the mail: sent, released, never handed over again. */
  async markSent(mail: ClaimedMail, deliveryId: number, response: string): Promise<void> {
    await this.db.transaction(async (trx) => {
      const now = nowIso();
      await trx('mail_deliveries')
        .where({ id: deliveryId })
        .update({ finished_at: now, outcome: 'accepted', response: response.slice(0, 2000) });
      await trx('mail_outbox')
        .where({ id: mail.id })
        .update({ status: 'sent', sent_at: now, attempts: mail.attempts + 1, last_error: null, claimed_until: null });
    });
  }

  /** The handover failed (nothing was accepted): retry at `next`, or `failed` for good. */
  async markFailed(mail: ClaimedMail, deliveryId: number, error: string, next: { nextAttemptAt: string } | 'failed'): Promise<void> {
    await this.db.transaction(async (trx) => {
      await trx('mail_deliveries')
        .where({ id: deliveryId })
        .update({ finished_at: nowIso(), outcome: 'failed', response: error.slice(0, 2000) });
      await trx('mail_outbox')
        .where({ id: mail.id, claimed_by: mail.claimedBy, status: 'pending' })
        .update({
          attempts: mail.attempts + 1,
          last_error: error.slice(0, 2000),
          claimed_until: null,
          ...(next === 'failed' ? { status: 'failed' } : { next_attempt_at: next.nextAttemptAt }),
        });
    });
  }

  /** A handover whose process died before its outcome was recorded: closed and never repeated. */
  async markInterrupted(mail: ClaimedMail): Promise<void> {
    await this.db.transaction(async (trx) => {
      const now = nowIso();
      await trx('mail_deliveries').where({ mail_id: mail.id }).whereNull('finished_at').update({ finished_at: now, outcome: 'interrupted' });
      await trx('mail_outbox')
        .where({ id: mail.id, claimed_by: mail.claimedBy, status: 'pending' })
        .update({ status: 'uncertain', last_error: 'Übergabe an den SMTP-Server durch Absturz unterbrochen', claimed_until: null });
    });
  }

  /** For tests and operators: a mail's row by dedupe key, with its delivery record. */
  async byDedupeKey(dedupeKey: string): Promise<(OutgoingMail & { status: string; deliveries: MailDelivery[] }) | undefined> {
    const row = await this.db('mail_outbox').where({ dedupe_key: dedupeKey }).first();
    if (!row) return undefined;
    const deliveries = await this.db('mail_deliveries').where({ mail_id: row.id }).orderBy('id');
    return {
      ...toMail(row),
      status: row.status,
      deliveries: deliveries.map((d) => ({
        mailId: d.mail_id,
        messageId: d.message_id,
        attempt: d.attempt,
        sender: d.sender,
        startedAt: d.started_at,
        finishedAt: d.finished_at,
        outcome: d.outcome,
        response: d.response,
      })),
    };
  }
}

function toMail(r: Record<string, any>): OutgoingMail {
  return { id: r.id, caseId: r.case_id, to: r.to, subject: r.subject, body: r.body, attempts: r.attempts, messageId: r.message_id };
}
