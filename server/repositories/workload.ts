/**
 * The team-lead dashboard's aggregates over tasks and cases: open and overdue tasks per person or
 * service, cases closed and tasks completed since a date. `organisations` limits every query to
 * those organisations ('all': no limit).
 */
import type { Knex } from 'knex';
import type { Db } from '../db/database';

export type OrganisationScope = string[] | 'all';

export interface OpenTaskCount {
  /** the assignee (null: unassigned) or the service key */
  key: string | null;
  open: number;
  overdue: number;
}

export interface ClosedCase {
  serviceKey: string;
  submittedAt: string;
  closedAt: string;
  status: string;
}

export class WorkloadRepository {
  constructor(private readonly db: Db) {}

  /** Open tasks grouped by assignee or service; overdue = due date before `nowIso`. */
  async openTasksPer(column: 'assignee' | 'service_key', organisations: OrganisationScope, nowIso: string): Promise<OpenTaskCount[]> {
    const rows = await this.db('tasks')
      .where('state', 'open')
      .modify(inScope, 'organisation_id', organisations)
      .groupBy(column)
      .select({ key: column })
      .count({ open: '*' })
      .select(this.db.raw('sum(case when due_date is not null and due_date < ? then 1 else 0 end) as overdue', [nowIso]));
    return rows.map((r: any) => ({ key: r.key ?? null, open: Number(r.open), overdue: Number(r.overdue) }));
  }

  async casesClosedSince(sinceIso: string, organisations: OrganisationScope): Promise<ClosedCase[]> {
    const rows = await this.db('cases')
      .whereNotNull('closed_at')
      .where('closed_at', '>=', sinceIso)
      .modify(inScope, 'organisation_id', organisations)
      .select('service_key', 'submitted_at', 'closed_at', 'status');
    return rows.map((r: any) => ({ serviceKey: r.service_key, submittedAt: r.submitted_at, closedAt: r.closed_at, status: r.status }));
  }

  /** Completion instants of the tasks completed since `sinceIso`. */
  async tasksCompletedSince(sinceIso: string, organisations: OrganisationScope): Promise<string[]> {
    const rows = await this.db('tasks').where('state', 'completed').where('completed_at', '>=', sinceIso).modify(inScope, 'organisation_id', organisations).select('completed_at');
    return rows.map((r: any) => r.completed_at as string);
  }
}

function inScope(builder: Knex.QueryBuilder, column: string, organisations: OrganisationScope): void {
  if (organisations !== 'all') builder.whereIn(column, organisations);
}
