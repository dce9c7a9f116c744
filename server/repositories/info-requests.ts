import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { Db } from '../db/database';
import { nowIso, parseJson } from '../db/database';

export interface InfoRequest {
  id: string;
  caseId: number;
  message: string;
  status: 'open' | 'answered' | 'cancelled';
  requestedAt: string;
  answer: string | null;
  answerData: Record<string, unknown> | null;
  answeredAt: string | null;
}

/** Questions staff sent to an applicant, and the answers. */
export class InfoRequestRepository {
  constructor(private readonly db: Db) {}

  /** Idempotent per job key: a retried request-information job opens one request. */
  async open(caseId: number, jobKey: string, message: string): Promise<InfoRequest> {
    await this.db('info_requests').insert({ id: crypto.randomUUID(), case_id: caseId, job_key: jobKey, message, status: 'open', requested_at: nowIso() }).onConflict('job_key').ignore();
    return toRequest(await this.db('info_requests').where({ job_key: jobKey }).first());
  }

  async forCase(caseId: number, status?: InfoRequest['status']): Promise<InfoRequest[]> {
    const rows = await this.db('info_requests')
      .where({ case_id: caseId })
      .modify((b) => {
        if (status) b.where({ status });
      })
      .orderBy('requested_at');
    return rows.map(toRequest);
  }

  async get(caseId: number, id: string): Promise<InfoRequest | undefined> {
    const row = await this.db('info_requests').where({ case_id: caseId, id }).first();
    return row ? toRequest(row) : undefined;
  }

  /** False when the request was no longer open (answered twice, or cancelled). */
  async answer(id: string, answer: string, data: Record<string, unknown> | null, trx: Knex | Knex.Transaction = this.db): Promise<boolean> {
    const n = await trx('info_requests')
      .where({ id, status: 'open' })
      .update({ status: 'answered', answer, answer_data: data ? JSON.stringify(data) : null, answered_at: nowIso() });
    return n === 1;
  }

  async reopen(id: string, trx: Knex | Knex.Transaction = this.db): Promise<void> {
    await trx('info_requests').where({ id, status: 'answered' }).update({ status: 'open', answer: null, answer_data: null, answered_at: null });
  }

  async cancelOpen(caseId: number, trx: Knex | Knex.Transaction = this.db): Promise<void> {
    await trx('info_requests').where({ case_id: caseId, status: 'open' }).update({ status: 'cancelled' });
  }
}

function toRequest(row: any): InfoRequest {
  return {
    id: row.id,
    caseId: row.case_id,
    message: row.message,
    status: row.status,
    requestedAt: row.requested_at,
    answer: row.answer,
    answerData: parseJson(row.answer_data, null),
    answeredAt: row.answered_at,
  };
}
