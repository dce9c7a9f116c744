import type { Knex } from 'knex';
import type { Db } from '../db/database';
import { nowIso } from '../db/database';

export interface OutgoingMail {
  id: number;
  caseId: number | null;
  to: string;
  subject: string;
  body: string;
  attempts: number;
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

  async pending(limit: number): Promise<OutgoingMail[]> {
    const rows = await this.db('mail_outbox').where({ status: 'pending' }).where('attempts', '<', 10).orderBy('id').limit(limit);
    return rows.map((r) => ({ id: r.id, caseId: r.case_id, to: r.to, subject: r.subject, body: r.body, attempts: r.attempts }));
  }

  async markSent(id: number): Promise<void> {
    await this.db('mail_outbox').where({ id }).update({ status: 'sent', sent_at: nowIso() });
  }

  async markFailed(id: number, attempts: number, error: string): Promise<void> {
    await this.db('mail_outbox')
      .where({ id })
      .update({ attempts, last_error: error.slice(0, 2000) });
  }
}
