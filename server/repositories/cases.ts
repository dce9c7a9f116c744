import type { Knex } from 'knex';
import type { Db } from '../db/database';
import { nowIso, parseJson } from '../db/database';
import type { Applicant, CaseStatus } from '../../workers/ports';

export interface CaseRecord {
  id: number;
  reference: string;
  serviceKey: string;
  processId: string;
  processDefinitionKey: string | null;
  processInstanceKey: string | null;
  municipality: number;
  organisationId: string;
  status: CaseStatus;
  applicant: Applicant;
  data: Record<string, unknown>;
  accessTokenHash: string;
  receipt: Record<string, unknown>;
  submittedAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export type NewCase = Omit<CaseRecord, 'id' | 'processDefinitionKey' | 'processInstanceKey' | 'updatedAt' | 'closedAt'>;

export interface CaseListQuery {
  organisations: string[] | 'all';
  status?: string;
  serviceKey?: string;
  q?: string;
  sort: { field: string; order: 'ASC' | 'DESC' };
  range: [number, number];
}

const sortColumns: Record<string, string> = {
  id: 'id',
  reference: 'reference',
  submittedAt: 'submitted_at',
  updatedAt: 'updated_at',
  status: 'status',
  serviceKey: 'service_key',
};

export class CaseRepository {
  constructor(private readonly db: Db) {}

  /** Highest sequence number used for references of a year (LU-2026-000123 → 123). */
  async lastReferenceNumber(trx: Knex.Transaction, year: number): Promise<number> {
    // A range instead of LIKE 'LU-<year>-%': SQLite's LIKE is case-insensitive and cannot use the
    // unique index on reference, so it scanned every case inside the submission transaction.
    // References are generated upper-case, so the range selects the same rows ('.' follows '-').
    const row = await trx('cases').where('reference', '>=', `LU-${year}-`).where('reference', '<', `LU-${year}.`).max({ ref: 'reference' }).first();
    const ref = row?.ref as string | null;
    return ref ? Number(ref.split('-')[2]) : 0;
  }

  async insert(trx: Knex.Transaction, c: NewCase): Promise<number> {
    const [row] = await trx('cases')
      .insert({
        reference: c.reference,
        service_key: c.serviceKey,
        process_id: c.processId,
        municipality_bfs: c.municipality,
        organisation_id: c.organisationId,
        status: c.status,
        applicant: JSON.stringify(c.applicant),
        data: JSON.stringify(c.data),
        access_token_hash: c.accessTokenHash,
        receipt: JSON.stringify(c.receipt),
        submitted_at: c.submittedAt,
        updated_at: c.submittedAt,
      })
      .returning('id');
    return typeof row === 'object' ? row.id : row;
  }

  /** Whether one of the organisations owns the case or has a task on it. */
  async isVisibleTo(caseId: number, organisations: string[]): Promise<boolean> {
    if (organisations.length === 0) return false;
    const own = await this.db('cases').where({ id: caseId }).whereIn('organisation_id', organisations).first('id');
    if (own) return true;
    return Boolean(await this.db('tasks').where({ case_id: caseId }).whereIn('organisation_id', organisations).first('id'));
  }

  async getByReference(reference: string): Promise<CaseRecord | undefined> {
    const row = await this.db('cases').where({ reference }).first();
    return row ? toCase(row) : undefined;
  }

  async getById(id: number): Promise<CaseRecord | undefined> {
    const row = await this.db('cases').where({ id }).first();
    return row ? toCase(row) : undefined;
  }

  async getByProcessInstanceKey(key: string): Promise<CaseRecord | undefined> {
    const row = await this.db('cases').where({ process_instance_key: key }).first();
    return row ? toCase(row) : undefined;
  }

  /**
   * Links the case to a process instance and closes its outbox record, only if no instance is
   * linked yet. False means another instance owns the case: the caller's instance is a duplicate.
   */
  /**
   * Makes an instance the case's one instance if it has none yet. 'adopted': this call did it;
   * 'already': the case owns this instance already (a concurrent call won); 'other': the case
   * owns another instance.
   */
  async adoptProcessInstance(id: number, processDefinitionKey: string, processInstanceKey: string): Promise<'adopted' | 'already' | 'other'> {
    return this.db.transaction(async (trx) => {
      const n = await trx('cases')
        .where({ id })
        .whereNull('process_instance_key')
        .update({ process_definition_key: processDefinitionKey, process_instance_key: processInstanceKey, updated_at: nowIso() });
      if (n === 1) {
        await trx('process_start_outbox').where({ case_id: id }).update({ status: 'done', done_at: nowIso(), last_error: null });
        return 'adopted';
      }
      const row = await trx('cases').where({ id }).first('process_instance_key');
      return row?.process_instance_key === processInstanceKey ? 'already' : 'other';
    });
  }

  /** Stops a pending process start (withdrawal before the relay ran). */
  async cancelProcessStart(caseId: number, trx: Knex | Knex.Transaction = this.db): Promise<void> {
    await trx('process_start_outbox').where({ case_id: caseId, status: 'pending' }).update({ status: 'cancelled', done_at: nowIso() });
  }

  async setStatus(id: number, status: CaseStatus, trx: Knex | Knex.Transaction = this.db): Promise<void> {
    const closed = status === 'completed' || status === 'rejected' || status === 'withdrawn';
    const now = nowIso();
    await trx('cases').where({ id }).update({ status, updated_at: now, closed_at: closed ? now : null });
  }

  async list(query: CaseListQuery): Promise<{ rows: CaseRecord[]; total: number }> {
    const base = this.db('cases').modify((b) => {
      if (query.organisations !== 'all') {
        const orgs = query.organisations;
        // a case is visible to its own organisation and to those with a task on it (moves)
        b.where((w) =>
          w.whereIn('organisation_id', orgs).orWhereExists((sub) => sub.select(1).from('tasks').whereRaw('tasks.case_id = cases.id').whereIn('tasks.organisation_id', orgs)),
        );
      }
      if (query.status) b.where('status', query.status);
      if (query.serviceKey) b.where('service_key', query.serviceKey);
      if (query.q) {
        const like = `%${query.q.toLowerCase()}%`;
        b.where((w) => w.whereRaw('lower(reference) like ?', [like]).orWhereRaw('lower(applicant) like ?', [like]));
      }
    });
    const [{ n }] = await base.clone().count({ n: '*' });
    const column = sortColumns[query.sort.field] ?? 'id';
    const [from, to] = query.range;
    const rows = await base
      .clone()
      .orderBy(column, query.sort.order === 'ASC' ? 'asc' : 'desc')
      .orderBy('id', 'desc')
      .offset(from)
      .limit(to - from + 1);
    return { rows: rows.map(toCase), total: Number(n) };
  }

  // --- idempotency keys -------------------------------------------------------------------

  async findIdempotencyKey(key: string): Promise<{ requestHash: string; response: string; caseId: number } | undefined> {
    const row = await this.db('idempotency_keys').where({ key }).first();
    return row ? { requestHash: row.request_hash, response: row.response, caseId: row.case_id } : undefined;
  }

  async insertIdempotencyKey(trx: Knex.Transaction, key: string, requestHash: string, caseId: number, response: string): Promise<void> {
    await trx('idempotency_keys').insert({ key, request_hash: requestHash, case_id: caseId, response, created_at: nowIso() });
  }

  // --- process-start outbox ---------------------------------------------------------------

  async enqueueProcessStart(trx: Knex.Transaction, caseId: number): Promise<void> {
    const now = nowIso();
    await trx('process_start_outbox').insert({ case_id: caseId, status: 'pending', attempts: 0, next_attempt_at: now, created_at: now });
  }

  async dueProcessStarts(limit: number): Promise<Array<{ id: number; caseId: number; attempts: number }>> {
    const rows = await this.db('process_start_outbox')
      .where({ status: 'pending' })
      .where('next_attempt_at', '<=', nowIso())
      .orderBy('id')
      .limit(limit);
    return rows.map((r) => ({ id: r.id, caseId: r.case_id, attempts: r.attempts }));
  }

  async markProcessStartFailed(id: number, attempts: number, nextAttemptAt: string, error: string): Promise<void> {
    await this.db('process_start_outbox')
      .where({ id })
      .update({ attempts, next_attempt_at: nextAttemptAt, last_error: error.slice(0, 2000) });
  }
}

function toCase(row: any): CaseRecord {
  return {
    id: row.id,
    reference: row.reference,
    serviceKey: row.service_key,
    processId: row.process_id,
    processDefinitionKey: row.process_definition_key,
    processInstanceKey: row.process_instance_key,
    municipality: row.municipality_bfs,
    organisationId: row.organisation_id,
    status: row.status,
    applicant: parseJson(row.applicant, {} as Applicant),
    data: parseJson(row.data, {}),
    accessTokenHash: row.access_token_hash,
    receipt: parseJson(row.receipt, {}),
    submittedAt: row.submitted_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
  };
}
