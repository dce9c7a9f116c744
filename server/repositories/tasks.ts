import type { Knex } from 'knex';
import type { Db } from '../db/database';
import { nowIso, parseJson } from '../db/database';

export type TaskState = 'open' | 'completed' | 'cancelled';

export interface TaskRecord {
  id: string;
  caseId: number;
  caseReference: string;
  serviceKey: string;
  municipality: number;
  organisationId: string;
  name: string;
  elementId: string;
  processInstanceKey: string;
  elementInstanceKey: string;
  formKey: string | null;
  /** the Zeebe process definition of the job (null for tasks from before it was kept) */
  processDefinitionKey?: string | null;
  candidateGroups: string[];
  candidateUsers: string[];
  assignee: string | null;
  state: TaskState;
  dueDate: string | null;
  followUpDate: string | null;
  retries: number;
  variables: Record<string, unknown>;
  result: Record<string, unknown> | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  completedBy: string | null;
}

export type ActivatedTask = Omit<
  TaskRecord,
  'state' | 'result' | 'createdAt' | 'updatedAt' | 'completedAt' | 'completedBy'
> & {
  /** for the inbox full-text search, stored with the task */
  applicantName: string;
};

/** Who is asking: restricts every query to what the caller may see. */
export interface TaskVisibility {
  organisations: string[] | 'all';
  /** null: every task of the organisations (team leads, admins) */
  groupsOf: { username: string; groups: string[] } | null;
}

export interface TaskListQuery {
  visibility: TaskVisibility;
  filter: {
    caseReference?: string;
    state?: TaskState;
    assignee?: string | null;
    serviceKey?: string;
    municipality?: number;
    q?: string;
    /** back office: tasks offered to any of these candidate groups */
    candidateGroups?: string[];
    /** back office: due date on or before / on or after (ISO date or date-time) */
    dueBefore?: string;
    dueAfter?: string;
  };
  sort: { field: string; order: 'ASC' | 'DESC' };
  range: [number, number];
}

const sortColumns: Record<string, string> = {
  id: 'id',
  createdAt: 'created_at',
  dueDate: 'due_date',
  name: 'name',
  caseReference: 'case_reference',
  state: 'state',
  assignee: 'assignee',
  completedAt: 'completed_at',
  serviceKey: 'service_key',
  municipality: 'municipality_bfs',
};

export class TaskRepository {
  constructor(private readonly db: Db) {}

  /**
   * Upsert by job key. A job that timed out comes back with the same key: it must not reset
   * what staff already did (assignee, state), only refresh engine data.
   */
  async upsertActivated(task: ActivatedTask): Promise<{ created: boolean }> {
    const now = nowIso();
    const existing = await this.db('tasks').where({ id: task.id }).first('id');
    if (existing) {
      await this.db('tasks').where({ id: task.id }).update({ retries: task.retries, updated_at: now });
      return { created: false };
    }
    await this.db('tasks')
      .insert({
        id: task.id,
        case_id: task.caseId,
        case_reference: task.caseReference,
        service_key: task.serviceKey,
        municipality_bfs: task.municipality,
        organisation_id: task.organisationId,
        name: task.name,
        element_id: task.elementId,
        process_instance_key: task.processInstanceKey,
        element_instance_key: task.elementInstanceKey,
        form_key: task.formKey,
        process_definition_key: task.processDefinitionKey ?? null,
        candidate_groups: JSON.stringify(task.candidateGroups),
        candidate_users: JSON.stringify(task.candidateUsers),
        assignee: task.assignee,
        state: 'open',
        due_date: task.dueDate,
        follow_up_date: task.followUpDate,
        retries: task.retries,
        variables: JSON.stringify(task.variables),
        search_text: `${task.caseReference} ${task.name} ${task.applicantName}`.toLowerCase().slice(0, 500),
        created_at: now,
        updated_at: now,
      })
      .onConflict('id')
      .ignore();
    return { created: true };
  }

  async get(id: string): Promise<TaskRecord | undefined> {
    const row = await this.db('tasks').where({ id }).first();
    return row ? toTask(row) : undefined;
  }

  async getVisible(id: string, visibility: TaskVisibility): Promise<TaskRecord | undefined> {
    const row = await this.db('tasks').where({ id }).modify(applyVisibility, visibility).first();
    return row ? toTask(row) : undefined;
  }

  async list(query: TaskListQuery): Promise<{ rows: TaskRecord[]; total: number }> {
    const { filter } = query;
    const base = this.db('tasks')
      .modify(applyVisibility, query.visibility)
      .modify((b) => {
        if (filter.caseReference) b.where('case_reference', filter.caseReference);
        if (filter.state) b.where('state', filter.state);
        if (filter.assignee !== undefined) {
          if (filter.assignee === null) b.whereNull('assignee');
          else b.where('assignee', filter.assignee);
        }
        if (filter.serviceKey) b.where('service_key', filter.serviceKey);
        if (filter.municipality) b.where('municipality_bfs', filter.municipality);
        if (filter.q) {
          const like = `%${filter.q.toLowerCase()}%`;
          // reference, task name and applicant name, kept lowercased on the task (no join per row)
          b.where('search_text', 'like', like);
        }
        if (filter.candidateGroups) {
          const groups = filter.candidateGroups;
          b.where((w) => {
            if (groups.length === 0) w.whereRaw('1 = 0');
            for (const g of groups) w.orWhere('candidate_groups', 'like', `%${JSON.stringify(g)}%`);
          });
        }
        if (filter.dueBefore) b.where('due_date', '<=', endOfDay(filter.dueBefore));
        if (filter.dueAfter) b.where('due_date', '>=', filter.dueAfter);
      });
    const [{ n }] = await base.clone().count({ n: '*' });
    const column = sortColumns[query.sort.field] ?? 'created_at';
    const [from, to] = query.range;
    const direction = query.sort.order === 'ASC' ? 'asc' : 'desc';
    const rows = await base
      .clone()
      .modify((b) => {
        // A caseReference filter selects a handful of rows: sort them. Ordering by the bare column
        // lets SQLite walk the (organisation_id, created_at) index in order and test every task
        // of the organisation (seconds at 1M tasks); coalesce(c, c) = c hides that index.
        if (filter.caseReference) b.orderByRaw(`coalesce(??, ??) ${direction}`, [column, column]);
        else b.orderBy(column, direction);
      })
      .orderBy('id', 'asc')
      .offset(from)
      .limit(to - from + 1);
    return { rows: rows.map(toTask), total: Number(n) };
  }

  async forCase(caseId: number): Promise<TaskRecord[]> {
    const rows = await this.db('tasks').where({ case_id: caseId }).orderBy('created_at');
    return rows.map(toTask);
  }

  async openForProcessInstance(processInstanceKey: string): Promise<TaskRecord[]> {
    const rows = await this.db('tasks').where({ process_instance_key: processInstanceKey, state: 'open' });
    return rows.map(toTask);
  }

  /** Oldest-checked open tasks first, for the reconciler that notices tasks the engine removed. */
  async openTasksToReconcile(limit: number): Promise<TaskRecord[]> {
    const rows = await this.db('tasks').where({ state: 'open' }).orderBy('updated_at').limit(limit);
    return rows.map(toTask);
  }

  async touch(id: string): Promise<void> {
    await this.db('tasks').where({ id }).update({ updated_at: nowIso() });
  }

  /** Sets the assignee only if the task is still open and the assignee is what the caller saw. */
  async setAssignee(id: string, expected: string | null, assignee: string | null): Promise<boolean> {
    const n = await this.db('tasks')
      .where({ id, state: 'open' })
      .modify((b) => (expected === null ? b.whereNull('assignee') : b.where('assignee', expected)))
      .update({ assignee, updated_at: nowIso() });
    return n === 1;
  }

  /** Marks an open task completed; false when it was no longer open (a concurrent change). */
  async markCompleted(id: string, by: string, result: Record<string, unknown>): Promise<boolean> {
    const now = nowIso();
    const n = await this.db('tasks')
      .where({ id, state: 'open' })
      .update({ state: 'completed', completed_at: now, completed_by: by, result: JSON.stringify(result), updated_at: now });
    return n === 1;
  }

  /** Closes every open task of a case (withdrawal); returns the tasks closed. */
  async cancelOpenForCase(caseId: number, trx: Knex | Knex.Transaction = this.db): Promise<number> {
    const now = nowIso();
    return trx('tasks').where({ case_id: caseId, state: 'open' }).update({ state: 'cancelled', completed_at: now, updated_at: now });
  }

  /** Undoes markCompleted when the engine could not be reached. */
  async reopen(id: string): Promise<void> {
    await this.db('tasks').where({ id, state: 'completed' }).update({ state: 'open', completed_at: null, completed_by: null, result: null, updated_at: nowIso() });
  }

  /** Marks an open task cancelled (a refused completion was reopened first). */
  async markCancelled(id: string): Promise<boolean> {
    const now = nowIso();
    const n = await this.db('tasks').where({ id, state: 'open' }).update({ state: 'cancelled', completed_at: now, updated_at: now });
    return n === 1;
  }

}

/** A bare date (YYYY-MM-DD) as a bound includes the whole day. */
const endOfDay = (d: string): string => (/^\d{4}-\d{2}-\d{2}$/.test(d) ? `${d}T23:59:59.999Z` : d);

function applyVisibility(b: Knex.QueryBuilder, v: TaskVisibility): void {
  if (v.organisations !== 'all') b.whereIn('organisation_id', v.organisations);
  const who = v.groupsOf;
  if (who) {
    b.where((w) => {
      w.where('assignee', who.username).orWhere('candidate_users', 'like', `%${JSON.stringify(who.username)}%`);
      for (const g of who.groups) w.orWhere('candidate_groups', 'like', `%${JSON.stringify(g)}%`);
    });
  }
}

function toTask(row: any): TaskRecord {
  return {
    id: row.id,
    caseId: row.case_id,
    caseReference: row.case_reference,
    serviceKey: row.service_key,
    municipality: row.municipality_bfs,
    organisationId: row.organisation_id,
    name: row.name,
    elementId: row.element_id,
    processInstanceKey: row.process_instance_key,
    elementInstanceKey: row.element_instance_key,
    formKey: row.form_key,
    processDefinitionKey: row.process_definition_key ?? null,
    candidateGroups: parseJson<string[]>(row.candidate_groups, []),
    candidateUsers: parseJson<string[]>(row.candidate_users, []),
    assignee: row.assignee,
    state: row.state,
    dueDate: row.due_date,
    followUpDate: row.follow_up_date,
    retries: row.retries,
    variables: parseJson(row.variables, {}),
    result: parseJson(row.result, null),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    completedAt: row.completed_at,
    completedBy: row.completed_by,
  };
}
