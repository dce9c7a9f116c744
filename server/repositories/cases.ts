import type { Knex } from 'knex';
import type { Db } from '../db/database';
import { nowIso, parseJson } from '../db/database';
import type { Applicant, CaseStatus, VerifiedIdentity } from '../../model/types';
import { claimRows, claimToken, leaseFree } from './claims';
import { cappedCount, containsPattern, COUNT_CAP, isSqlite, sortColumn, type ListPage } from './list-page';
import { enqueueStatusCallback } from './status-callbacks';
import { foldForSearch } from '../lib/search-fold';

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
  /** OpenID subject and issuer of the signed-in person who submitted (null: anonymous) */
  citizenSubject: string | null;
  citizenIssuer: string | null;
  /** the identity the provider vouched for, as the workers receive it */
  identity: VerifiedIdentity | null;
  /** the portal client that submitted (status callbacks go to it) */
  clientId: string | null;
}

type CallerColumns = 'citizenSubject' | 'citizenIssuer' | 'identity' | 'clientId';
/** A case to insert; the caller columns default to null (anonymous). */
export type NewCase = Omit<CaseRecord, 'id' | 'processDefinitionKey' | 'processInstanceKey' | 'updatedAt' | 'closedAt' | CallerColumns> & Partial<Pick<CaseRecord, CallerColumns>>;

export interface CaseListQuery {
  organisations: string[] | 'all';
  status?: string;
  serviceKey?: string;
  q?: string;
  /** closed on or after this UTC day (YYYY-MM-DD) */
  closedFrom?: string;
  /** closed before this UTC day */
  closedBefore?: string;
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

  /**
   * The next number of a reference prefix (`LU-2026` → 1, 2, ...), counted in reference_counters:
   * one upsert that increments and returns, atomic on both databases, so concurrent submissions in
   * any number of processes get distinct numbers. It commits on its own, outside the submission's
   * transaction: the counter row is locked for this one statement only, not while the whole
   * submission is written (that serialised every submission of every process behind one row lock,
   * and under load they waited past the statement timeout). A submission that fails after this
   * leaves a gap in the numbers.
   */
  async nextReferenceNumber(prefix: string): Promise<number> {
    const result = await this.db.raw(
      `insert into reference_counters (prefix, last_number) values (?, 1)
       on conflict (prefix) do update set last_number = reference_counters.last_number + 1
       returning last_number`,
      [prefix],
    );
    const rows: Array<{ last_number: number | string }> = Array.isArray(result) ? result : result.rows;
    return Number(rows[0]!.last_number);
  }

  /** Inserts the case; its organisation sees it from now on (case_organisations). */
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
        citizen_subject: c.citizenSubject ?? null,
        citizen_issuer: c.citizenIssuer ?? null,
        identity: c.identity ? JSON.stringify(c.identity) : null,
        client_id: c.clientId ?? null,
        search_text: foldForSearch([c.reference, c.applicant.firstName, c.applicant.lastName].filter(Boolean).join(' ')).slice(0, 500),
      })
      .returning('id');
    const id: number = typeof row === 'object' ? row.id : row;
    await trx('case_organisations').insert({ case_id: id, organisation_id: c.organisationId, submitted_at: c.submittedAt, via_task: false });
    // a portal client's case: its first status (received) is a callback event too, in this transaction
    if (c.clientId) await enqueueStatusCallback(trx, id, c.status, c.submittedAt, { initial: true });
    return id;
  }

  /** Whether one of the organisations owns the case or has a task on it (case_organisations). */
  /**
   * Cases of a service that still stand (not rejected or withdrawn), other than `exceptReference`,
   * whose data text contains `digits` (a LIKE pre-filter; the caller compares the field exactly).
   */
  async standingWithDataDigits(serviceKey: string, exceptReference: string, digits: string): Promise<CaseRecord[]> {
    if (!/^\d{1,40}$/.test(digits)) throw new Error('digits only');
    const rows = await this.db('cases')
      .where({ service_key: serviceKey })
      .whereNotIn('status', ['rejected', 'withdrawn'])
      .whereNot({ reference: exceptReference })
      .where('data', 'like', `%${digits}%`)
      .limit(20);
    return rows.map(toCase);
  }

  /** Standing cases of a service whose applicant has this birth date (the caller compares names). */
  async standingOfBirthDate(serviceKey: string, exceptReference: string, dateOfBirth: string): Promise<CaseRecord[]> {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(dateOfBirth)) return [];
    const rows = await this.db('cases')
      .where({ service_key: serviceKey })
      .whereNotIn('status', ['rejected', 'withdrawn'])
      .whereNot({ reference: exceptReference })
      .where('applicant', 'like', `%"dateOfBirth":"${dateOfBirth}"%`)
      .limit(50);
    return rows.map(toCase);
  }

  async isVisibleTo(caseId: number, organisations: string[]): Promise<boolean> {
    if (organisations.length === 0) return false;
    return Boolean(await this.db('case_organisations').where({ case_id: caseId }).whereIn('organisation_id', organisations).first('case_id'));
  }

  async getByReference(reference: string): Promise<CaseRecord | undefined> {
    const row = await this.db('cases').where({ reference }).first();
    return row ? toCase(row) : undefined;
  }

  async getById(id: number): Promise<CaseRecord | undefined> {
    const row = await this.db('cases').where({ id }).first();
    return row ? toCase(row) : undefined;
  }

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
        await trx('process_start_outbox').where({ case_id: id }).update({ status: 'done', done_at: nowIso(), last_error: null, claimed_by: null, claimed_until: null });
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
    // before the update: the event is queued only if the stored status differs (portal clients' cases)
    await enqueueStatusCallback(trx, id, status, now);
    await trx('cases')
      .where({ id })
      .update({ status, updated_at: now, closed_at: closed ? now : null });
  }

  /**
   * One page of the case list with a capped total (list-page.ts). Visibility comes from
   * case_organisations: for one organisation in the default order (submitted) the list walks
   * its index (organisation_id, submitted_at, case_id) and stops after the page; otherwise the
   * cases are walked in the requested order and each is checked there by primary key.
   */
  async list(query: CaseListQuery): Promise<ListPage<CaseRecord>> {
    const orgs = query.organisations;
    if (orgs !== 'all' && orgs.length === 0) return { rows: [], total: 0, totalCapped: false };
    const filtered = Boolean(query.status || query.serviceKey || query.q || query.closedFrom || query.closedBefore);
    const filters = (b: Knex.QueryBuilder) => {
      if (query.status) b.where('cases.status', query.status);
      if (query.serviceKey) b.where('cases.service_key', query.serviceKey);
      // closed_at is an ISO timestamp text (UTC): a day compares as its prefix
      if (query.closedFrom) b.where('cases.closed_at', '>=', query.closedFrom);
      if (query.closedBefore) b.where('cases.closed_at', '<', query.closedBefore);
      if (query.q) {
        // reference and applicant name, folded like the search term (ß → ss, ä → ae, …)
        b.whereRaw(`cases.search_text like ? escape '\\'`, [containsPattern(foldForSearch(query.q))]);
      }
    };
    const column = `cases.${sortColumn(sortColumns, query.sort.field, 'id')}`;
    const direction = query.sort.order === 'ASC' ? 'asc' : 'desc';
    const [from, to] = query.range;

    let page: Knex.QueryBuilder;
    if (orgs !== 'all' && orgs.length === 1 && column === 'cases.submitted_at') {
      page = this.db('case_organisations as co')
        .join('cases', 'cases.id', 'co.case_id')
        .where('co.organisation_id', orgs[0]!)
        .modify(filters)
        .select('cases.*')
        .orderBy('co.submitted_at', direction)
        .orderBy('co.case_id', 'desc');
    } else {
      page = this.db('cases')
        .modify((b) => {
          if (orgs !== 'all') b.whereExists((sub) => sub.select(1).from('case_organisations as co').whereRaw('co.case_id = cases.id').whereIn('co.organisation_id', orgs));
        })
        .modify(filters)
        .select('cases.*')
        .orderBy(column, direction)
        .orderBy('cases.id', 'desc');
    }

    // Unfiltered, the count reads the organisations' rows of case_organisations (a case seen by
    // two of them counts once). Filtered, it reads cases: those of the organisations (indexes on
    // cases) and the few they see through a task.
    const viaTask = () =>
      this.db('case_organisations')
        .select('case_id')
        .where('via_task', true)
        .whereIn('organisation_id', orgs as string[]);
    let counted: Knex.QueryBuilder;
    if (orgs !== 'all' && !filtered) counted = this.db('case_organisations').whereIn('organisation_id', orgs).distinct('case_id');
    else if (orgs === 'all') counted = this.db('cases').modify(filters);
    else if (isSqlite(this.db)) {
      counted = this.db('cases')
        .where((w) => w.whereIn('cases.organisation_id', orgs).orWhereIn('cases.id', viaTask()))
        .modify(filters);
    } else {
      // PostgreSQL cannot answer "own organisation OR in a subquery" from an index: it read the
      // cases table from its start, testing each row (the in-progress cases, the newest, come
      // last). Two disjoint parts instead: the organisations' own cases through
      // (organisation_id, status), and those they see through a task.
      counted = this.db
        .select('visible.id')
        .from(
          this.db('cases')
            .select('cases.id')
            .whereIn('cases.organisation_id', orgs)
            .modify(filters)
            .unionAll(this.db('cases').select('cases.id').whereIn('cases.id', viaTask()).whereNotIn('cases.organisation_id', orgs).modify(filters), true)
            .as('visible'),
        );
    }
    const [count, rows] = await Promise.all([cappedCount(this.db, counted, query.range, COUNT_CAP, { keepSelect: orgs !== 'all' && !filtered }), page.offset(from).limit(to - from + 1)]);
    return { rows: rows.map(toCase), ...count };
  }

  /**
   * A signed-in person's cases at every authority, newest first, with the responsible
   * organisation's name (GET /api/v1/me/submissions). Uses cases_citizen_subject_idx.
   */
  async listByCitizen(subject: string, issuer: string, range: [number, number]): Promise<ListPage<CaseRecord & { organisationName: string }>> {
    const mine = this.db('cases').where({ 'cases.citizen_subject': subject, 'cases.citizen_issuer': issuer });
    const [count, rows] = await Promise.all([
      cappedCount(this.db, mine.clone().select('cases.id'), range, COUNT_CAP),
      mine
        .clone()
        .leftJoin('organisations', 'organisations.id', 'cases.organisation_id')
        .select('cases.*', 'organisations.name as organisation_name')
        .orderBy('cases.submitted_at', 'desc')
        .orderBy('cases.id', 'desc')
        .offset(range[0])
        .limit(range[1] - range[0] + 1),
    ]);
    return { rows: rows.map((row: any) => ({ ...toCase(row), organisationName: row.organisation_name ?? row.organisation_id })), ...count };
  }

  // --- idempotency keys -------------------------------------------------------------------

  async findIdempotencyKey(key: string): Promise<{ requestHash: string; response: string; caseId: number } | undefined> {
    const row = await this.db('idempotency_keys').where({ key }).first();
    return row ? { requestHash: row.request_hash, response: row.response, caseId: row.case_id } : undefined;
  }

  async insertIdempotencyKey(trx: Knex.Transaction, key: string, requestHash: string, caseId: number, response: string): Promise<void> {
    await trx('idempotency_keys').insert({ key, request_hash: requestHash, case_id: caseId, response, created_at: nowIso() });
  }

  /** Idempotency keys stored before `cutoff`; returns how many were deleted. */
  deleteIdempotencyKeysBefore(cutoff: string): Promise<number> {
    return this.db('idempotency_keys').where('created_at', '<', cutoff).delete();
  }

  // --- process-start outbox ---------------------------------------------------------------

  async enqueueProcessStart(trx: Knex.Transaction, caseId: number): Promise<void> {
    const now = nowIso();
    await trx('process_start_outbox').insert({ case_id: caseId, status: 'pending', attempts: 0, next_attempt_at: now, created_at: now });
  }

  /**
   * Claims up to `limit` due process starts for `claimer` until `leaseUntil` (claims.ts): only the
   * holder starts the instance; a holder that dies leaves the row to the next after the lease.
   */
  async claimDueProcessStarts(claimer: string, leaseUntil: string, limit: number): Promise<Array<{ id: number; caseId: number; attempts: number }>> {
    const now = nowIso();
    const rows = await claimRows(this.db, {
      table: 'process_start_outbox',
      claimable: (b) => b.where('status', 'pending').where('next_attempt_at', '<=', now).where(leaseFree(now)),
      orderBy: ['id'],
      limit,
      set: { claimed_by: claimToken(claimer), claimed_until: leaseUntil },
    });
    return rows.sort((a, b) => a.id - b.id).map((r) => ({ id: r.id, caseId: r.case_id, attempts: r.attempts }));
  }

  async markProcessStartFailed(id: number, attempts: number, nextAttemptAt: string, error: string): Promise<void> {
    await this.db('process_start_outbox')
      .where({ id })
      .update({ attempts, next_attempt_at: nextAttemptAt, last_error: error.slice(0, 2000), claimed_by: null, claimed_until: null });
  }
}

/**
 * Lets an organisation see a case (a task of it was routed there); a no-op for the case's own
 * organisation and for one that already sees it.
 */
export async function linkCaseOrganisation(db: Knex | Knex.Transaction, caseId: number, organisationId: string): Promise<void> {
  // one statement: this runs for every projected task, and mostly inserts nothing
  await db.raw(
    `insert into case_organisations (case_id, organisation_id, submitted_at, via_task)
     select id, ?, submitted_at, ? from cases where id = ? and organisation_id <> ?
     on conflict (case_id, organisation_id) do nothing`,
    [organisationId, true, caseId, organisationId],
  );
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
    citizenSubject: row.citizen_subject ?? null,
    citizenIssuer: row.citizen_issuer ?? null,
    identity: parseJson(row.identity, null),
    clientId: row.client_id ?? null,
  };
}
