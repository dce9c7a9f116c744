/** Incidents: service steps that failed all their retries (see migrations/20261202_014_incidents.ts). */
import type { Db } from '../db/database';
import { nowIso } from '../db/database';

export type IncidentState = 'open' | 'retrying' | 'resolved' | 'cancelled';

export interface IncidentRecord {
  id: number;
  jobKey: string;
  caseId: number;
  caseReference: string;
  serviceKey: string;
  processInstanceKey: string;
  elementInstanceKey: string;
  bpmnProcessId: string;
  elementId: string;
  step: string;
  jobType: string;
  errorMessage: string;
  state: IncidentState;
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
}

/** What the worker runtime knows when a step has failed its last retry. */
export type NewIncident = Pick<IncidentRecord, 'jobKey' | 'caseId' | 'processInstanceKey' | 'elementInstanceKey' | 'bpmnProcessId' | 'elementId' | 'step' | 'jobType' | 'errorMessage'>;

function toRecord(r: any): IncidentRecord {
  return {
    id: r.id,
    jobKey: r.job_key,
    caseId: r.case_id,
    caseReference: r.reference,
    serviceKey: r.service_key,
    processInstanceKey: r.process_instance_key,
    elementInstanceKey: r.element_instance_key,
    bpmnProcessId: r.bpmn_process_id,
    elementId: r.element_id,
    step: r.step,
    jobType: r.job_type,
    errorMessage: r.error_message,
    state: r.state,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    resolvedAt: r.resolved_at ?? null,
    resolvedBy: r.resolved_by ?? null,
  };
}

export class IncidentRepository {
  constructor(private readonly db: Db) {}

  private select() {
    return this.db('incidents').join('cases', 'cases.id', 'incidents.case_id').select('incidents.*', 'cases.reference', 'cases.service_key');
  }

  async get(id: number): Promise<IncidentRecord | undefined> {
    const row = await this.select().where('incidents.id', id).first();
    return row ? toRecord(row) : undefined;
  }

  async getByJobKey(jobKey: string): Promise<IncidentRecord | undefined> {
    const row = await this.select().where('incidents.job_key', jobKey).first();
    return row ? toRecord(row) : undefined;
  }

  async stateOfJob(jobKey: string): Promise<IncidentState | undefined> {
    const row = await this.db('incidents').where({ job_key: jobKey }).first('state');
    return row?.state;
  }

  /**
   * Opens the incident of a job (or opens it again with the new error after a failed retry).
   * True when this call opened it: exactly one process then tells the process owners.
   */
  async open(i: NewIncident): Promise<boolean> {
    const now = nowIso();
    const reopened = await this.db('incidents')
      .where({ job_key: i.jobKey })
      .whereNot({ state: 'open' })
      .update({ state: 'open', error_message: i.errorMessage, updated_at: now, resolved_at: null, resolved_by: null });
    if (reopened > 0) return true;
    const inserted = await this.db('incidents')
      .insert({
        job_key: i.jobKey,
        case_id: i.caseId,
        process_instance_key: i.processInstanceKey,
        element_instance_key: i.elementInstanceKey,
        bpmn_process_id: i.bpmnProcessId,
        element_id: i.elementId,
        step: i.step,
        job_type: i.jobType,
        error_message: i.errorMessage,
        state: 'open',
        created_at: now,
        updated_at: now,
      })
      .onConflict('job_key')
      .ignore()
      .returning('id');
    return inserted.length > 0;
  }

  /** Moves an incident from one state to another; false when it was not in `from` (someone else was faster). */
  async transition(id: number, from: IncidentState, to: IncidentState, by: string | null): Promise<boolean> {
    const now = nowIso();
    const done = to === 'resolved' || to === 'cancelled';
    const n = await this.db('incidents')
      .where({ id, state: from })
      .update({ state: to, updated_at: now, ...(done ? { resolved_at: now, resolved_by: by } : {}) });
    return n > 0;
  }

  /** The step ran again successfully. */
  async resolveJob(jobKey: string): Promise<boolean> {
    const now = nowIso();
    const n = await this.db('incidents').where({ job_key: jobKey }).whereIn('state', ['open', 'retrying']).update({ state: 'resolved', updated_at: now, resolved_at: now });
    return n > 0;
  }

  /** Closes the unresolved incidents of a case (the case was cancelled). */
  async cancelForCase(caseId: number, by: string): Promise<void> {
    const now = nowIso();
    await this.db('incidents').where({ case_id: caseId }).whereIn('state', ['open', 'retrying']).update({ state: 'cancelled', updated_at: now, resolved_at: now, resolved_by: by });
  }

  /** Newest first; `states` empty: all. */
  async list(opts: { states: IncidentState[]; caseReference?: string; range: [number, number] }): Promise<{ rows: IncidentRecord[]; total: number }> {
    const base = this.select().modify((q) => {
      if (opts.states.length > 0) q.whereIn('incidents.state', opts.states);
      if (opts.caseReference) q.where('cases.reference', opts.caseReference);
    });
    const [{ n }] = (await base.clone().clearSelect().count({ n: '*' })) as Array<{ n: number | string }>;
    const rows = await base
      .orderBy('incidents.created_at', 'desc')
      .orderBy('incidents.id', 'desc')
      .offset(opts.range[0])
      .limit(opts.range[1] - opts.range[0] + 1);
    return { rows: rows.map(toRecord), total: Number(n) };
  }

  async countUnresolved(): Promise<number> {
    const [{ n }] = (await this.db('incidents').whereIn('state', ['open', 'retrying']).count({ n: '*' })) as Array<{ n: number | string }>;
    return Number(n);
  }
}
