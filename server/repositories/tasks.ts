import type { Knex } from 'knex';
import type { Db } from '../db/database';
import { nowIso, parseJson } from '../db/database';
import { foldForSearch } from '../lib/search-fold';
import { linkCaseOrganisation } from './cases';
import { claimRows } from './claims';
import { cappedCount, containsPattern, COUNT_CAP, isSqlite, sortColumn, type ListPage } from './list-page';

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
  /** first and last name of the case's applicant (null for tasks from before it was kept) */
  applicantName?: string | null;
  /** the absent user the assignee stands in for (Stellvertretung, migration 020); null otherwise */
  delegatedFrom?: string | null;
}

/** A change of a task and who may see the task now (see TaskRepository.changesAfter). */
export interface TaskChange {
  seq: number;
  taskId: string;
  organisationId: string;
  candidateGroups: string[];
  candidateUsers: string[];
  assignee: string | null;
}

export type ActivatedTask = Omit<TaskRecord, 'state' | 'result' | 'createdAt' | 'updatedAt' | 'completedAt' | 'completedBy' | 'applicantName' | 'delegatedFrom'> & {
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

/** How the inbox search and counts trade exactness for speed (defaults; tests use small ones). */
export interface TaskListLimits {
  /** Content-Range totals are exact up to this many tasks */
  countCap: number;
  /**
   * Full text (SQLite): a term the index finds at most this often is looked up task by task
   * (about 5 µs each); a more frequent one ("prüfen") is checked row by row while walking the
   * list in its order instead, which finds a page of it quickly.
   */
  searchLookupLimit: number;
  /**
   * the total of such a frequent term counts its matches among this many tasks of the list;
   * PostgreSQL: the total of any search counts at most this many matches (then a lower bound)
   */
  frequentTermWindow: number;
}

export const defaultTaskListLimits: TaskListLimits = { countCap: COUNT_CAP, searchLookupLimit: 2000, frequentTermWindow: 2000 };

/**
 * How a search term is applied: `ids` the tasks the full-text index found (SQLite, rare term);
 * `scan` LIKE on each task of the list (SQLite: frequent or short term; PostgreSQL: frequent
 * by the planner's estimate); `like` LIKE as a plain filter (PostgreSQL, trigram-indexed:
 * migrations 008 and 021).
 */
type SearchPlan = { kind: 'ids' | 'scan' | 'like'; pattern: string; ids?: string[] };

export class TaskRepository {
  constructor(
    private readonly db: Db,
    private readonly limits: TaskListLimits = defaultTaskListLimits,
  ) {}

  /**
   * Upsert by job key. A job that timed out comes back with the same key: it must not reset
   * what staff already did (assignee, state), only refresh engine data.
   */
  async upsertActivated(task: ActivatedTask): Promise<{ created: boolean }> {
    const now = nowIso();
    const created = await this.db.transaction(async (trx) => {
      // SQLite: the insert trigger of migration 008 adds search_text to the full-text index
      const inserted = await trx('tasks')
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
          search_text: taskSearchText(task.caseReference, task.name, task.applicantName),
          applicant_name: task.applicantName.slice(0, 200),
          created_at: now,
          updated_at: now,
        })
        .onConflict('id')
        .ignore()
        .returning('id');
      // ignored: the job is known (re-activated after a timeout, or delivered twice at once)
      if (inserted.length === 0) return false;
      // a task routed to another organisation (a move) shows the case to that organisation too
      await linkCaseOrganisation(trx, task.caseId, task.organisationId);
      return true;
    });
    if (!created) await this.db('tasks').where({ id: task.id }).update({ retries: task.retries, updated_at: now });
    return { created };
  }

  async get(id: string): Promise<TaskRecord | undefined> {
    const row = await this.db('tasks').where({ id }).first();
    return row ? toTask(row) : undefined;
  }

  async getVisible(id: string, visibility: TaskVisibility): Promise<TaskRecord | undefined> {
    const row = await this.db('tasks').where({ id }).modify(applyVisibility, visibility).first();
    return row ? toTask(row) : undefined;
  }

  /**
   * One page of the inbox and its total (capped, see list-page.ts).
   *
   * Full text (`q`, a substring of search_text) on SQLite asks the trigram index first
   * (migration 008). A term it finds at most `searchLookupLimit` times drives the query: those
   * tasks by primary key, then visibility and filters; the total is exact. A more frequent term,
   * or one under 3 characters (no trigram), is tested with LIKE on each task while the list is
   * walked in its order, which fills a page after a few rows; its total counts the matches among
   * the first `frequentTermWindow` tasks of the list and is a lower bound when there are more.
   * PostgreSQL always filters with LIKE (the pg_trgm indexes of migrations 008 and 021 serve
   * it). A term the planner expects on more than `searchLookupLimit` tasks is counted in the
   * window as on SQLite; any other total counts at most `frequentTermWindow` matches. Counting a
   * frequent term ("zuzug", a fifth of all tasks) up to the 10 000 of the count cap made
   * PostgreSQL intersect the trigram index's 220 000 hits with the organisation's 275 000 tasks
   * (about 200 ms), and up to 2 000 still read 40 000 rows (30 ms), while the page itself,
   * walked in list order, took under a millisecond.
   *
   * A page with fewer rows than asked for ends the list: its total is known without a count.
   */
  async list(query: TaskListQuery): Promise<ListPage<TaskRecord>> {
    const { filter } = query;
    const search = filter.q ? await this.searchPlan(filter.q) : undefined;
    if (search?.ids?.length === 0) return { rows: [], total: 0, totalCapped: false };
    const source = search?.ids
      ? // the ids found first, then each task by primary key (CROSS JOIN keeps that order in SQLite)
        this.db
          .select('tasks.*')
          .from(this.db.raw('(SELECT value AS task_id FROM json_each(?)) AS found', [JSON.stringify(search.ids)]))
          .joinRaw('CROSS JOIN tasks ON tasks.id = found.task_id')
      : this.db('tasks');
    // visibility and every filter but the LIKE of a search
    const scope = source.modify(applyVisibility, query.visibility).modify((b) => {
      if (filter.caseReference) b.where('case_reference', filter.caseReference);
      if (filter.state) b.where('state', filter.state);
      if (filter.assignee !== undefined) {
        if (filter.assignee === null) b.whereNull('assignee');
        else b.where('assignee', filter.assignee);
      }
      if (filter.serviceKey) b.where('service_key', filter.serviceKey);
      if (filter.municipality) b.where('municipality_bfs', filter.municipality);
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
    const column = sortColumn(sortColumns, query.sort.field, 'created_at');
    const direction = query.sort.order === 'ASC' ? 'asc' : 'desc';
    const inOrder = (b: Knex.QueryBuilder) =>
      b
        .modify((o) => {
          // A caseReference filter selects a handful of rows: sort them. Ordering by the bare column
          // lets SQLite walk the (organisation_id, created_at) index in order and test every task
          // of the organisation (seconds at 1M tasks); coalesce(c, c) = c hides that index.
          if (filter.caseReference) o.orderByRaw(`coalesce(??, ??) ${direction}`, [column, column]);
          else o.orderBy(column, direction);
        })
        .orderBy('id', 'asc');
    // reference, task name and applicant name, kept lowercased on the task (no join per row);
    // the ids the index found are candidates (see ftsQuery): LIKE decides
    const matching = search ? scope.clone().whereRaw(`search_text like ? escape '\\'`, [search.pattern]) : scope;
    const [from, to] = query.range;
    const rows = (
      await matching
        .clone()
        .modify(inOrder)
        .offset(from)
        .limit(to - from + 1)
    ).map(toTask);
    if (rows.length < to - from + 1 && (rows.length > 0 || from === 0)) return { rows, total: from + rows.length, totalCapped: false };
    if (search?.kind === 'scan') return { rows, ...(await this.countInWindow(scope.clone().modify(inOrder), search.pattern, query.range, rows.length)) };
    return { rows, ...(await cappedCount(this.db, matching, query.range, search?.kind === 'like' ? this.limits.frequentTermWindow : this.limits.countCap)) };
  }

  /**
   * The total of a frequent search term without testing every visible task: the matches among
   * the first `frequentTermWindow` tasks of the list. Exact when the list is no longer than
   * that; otherwise a lower bound, at least up to the page shown (and one more if it was full).
   */
  private async countInWindow(ordered: Knex.QueryBuilder, pattern: string, range: [number, number], pageRows: number): Promise<{ total: number; totalCapped: boolean }> {
    const size = this.limits.frequentTermWindow;
    const window = ordered
      .clearSelect()
      .select('search_text')
      .limit(size + 1);
    const [row] = (await this.db
      .from(window.as('w'))
      .select(this.db.raw('count(*) as n'), this.db.raw(`coalesce(sum(case when search_text like ? escape '\\' then 1 else 0 end), 0) as m`, [pattern]))) as Array<{
      n: number | string;
      m: number | string;
    }>;
    const [n, matches] = [Number(row?.n ?? 0), Number(row?.m ?? 0)];
    if (n <= size) return { total: matches, totalCapped: false };
    const shown = pageRows > 0 ? range[0] + pageRows : 0;
    return { total: Math.max(matches, shown + (pageRows === range[1] - range[0] + 1 ? 1 : 0)), totalCapped: true };
  }

  /** How a search term is applied (see list). */
  private async searchPlan(q: string): Promise<SearchPlan> {
    const text = foldForSearch(q);
    const pattern = containsPattern(text);
    if (!isSqlite(this.db)) {
      // the planner's estimate of the term's matches among all tasks (column statistics, kept by
      // autovacuum) stands in for SQLite's count of index hits
      return (await this.estimatedMatches(pattern)) > this.limits.searchLookupLimit ? { kind: 'scan', pattern } : { kind: 'like', pattern };
    }
    if (Array.from(text).length < 3) return { kind: 'scan', pattern };
    const rows: Array<{ id: string }> = await this.db.raw('SELECT CAST(rowid AS TEXT) AS id FROM tasks_fts WHERE tasks_fts MATCH ? LIMIT ?', [ftsQuery(text), this.limits.searchLookupLimit + 1]);
    return rows.length > this.limits.searchLookupLimit ? { kind: 'scan', pattern } : { kind: 'ids', ids: rows.map((r) => r.id), pattern };
  }

  /**
   * PostgreSQL: how many tasks the planner expects `search_text LIKE pattern` to match, from the
   * column's statistics (a sample of the texts; a term on about 1 % of the tasks or more shows
   * there, a rarer one is estimated at 0.01 %). Planning only, nothing is read.
   */
  private async estimatedMatches(pattern: string): Promise<number> {
    const result = await this.db.raw(`EXPLAIN (FORMAT JSON) SELECT 1 FROM tasks WHERE search_text LIKE ? ESCAPE '\\'`, [pattern]);
    const plan = (result.rows?.[0]?.['QUERY PLAN'] as Array<{ Plan?: { 'Plan Rows'?: number } }> | undefined)?.[0]?.Plan;
    return Number(plan?.['Plan Rows'] ?? 0);
  }

  /** The newest entry of task_changes (0 when none): where a change feed starts. */
  async latestChangeSeq(): Promise<number> {
    const row = await this.db('task_changes').max({ seq: 'seq' }).first();
    return Number(row?.seq ?? 0);
  }

  /**
   * Changes after `seq` (task_changes, written by triggers of migration 015) with who may see the
   * task now: its organisation, candidates and assignee. A task deleted since is left out.
   */
  async changesAfter(seq: number, limit: number): Promise<TaskChange[]> {
    const rows = await this.db('task_changes as c')
      .join('tasks as t', 't.id', 'c.task_id')
      .where('c.seq', '>', seq)
      .orderBy('c.seq')
      .limit(limit)
      .select('c.seq', 't.id', 't.organisation_id', 't.candidate_groups', 't.candidate_users', 't.assignee');
    return rows.map((r) => ({
      seq: Number(r.seq),
      taskId: r.id,
      organisationId: r.organisation_id,
      candidateGroups: parseJson<string[]>(r.candidate_groups, []),
      candidateUsers: parseJson<string[]>(r.candidate_users, []),
      assignee: r.assignee,
    }));
  }

  /** Forgets all but the newest `keep` changes (a feed reads only the last few). */
  async pruneChanges(keep: number): Promise<number> {
    const newest = await this.latestChangeSeq();
    return this.db('task_changes')
      .where('seq', '<=', newest - keep)
      .delete();
  }

  async forCase(caseId: number): Promise<TaskRecord[]> {
    const rows = await this.db('tasks').where({ case_id: caseId }).orderBy('created_at');
    return rows.map(toTask);
  }

  /** When the first task of this BPMN element in the case was created (a Rückfrage loop creates it again). */
  async firstCreatedAt(caseId: number, elementId: string): Promise<string | undefined> {
    const row = await this.db('tasks').where({ case_id: caseId, element_id: elementId }).min({ first: 'created_at' }).first();
    return row?.first ?? undefined;
  }

  /** Who completed the latest task of this BPMN element in the case (four-eyes rule), if any. */
  async lastCompletedBy(caseId: number, elementId: string): Promise<string | null> {
    const row = await this.db('tasks')
      .where({ case_id: caseId, element_id: elementId, state: 'completed' })
      .whereNotNull('completed_by')
      .orderBy('completed_at', 'desc')
      .orderBy('id', 'desc')
      .first('completed_by');
    return row?.completed_by ?? null;
  }

  async openForProcessInstance(processInstanceKey: string): Promise<TaskRecord[]> {
    const rows = await this.db('tasks').where({ process_instance_key: processInstanceKey, state: 'open' });
    return rows.map(toTask);
  }

  /** Oldest-checked open tasks first, for the reconciler that notices tasks the engine removed. */
  /**
   * Claims up to `limit` open tasks not checked since `checkedBefore`, oldest-checked first, by
   * marking them checked now (updated_at): several processes sweeping at once take different
   * tasks (claims.ts).
   */
  async claimTasksToReconcile(limit: number, checkedBefore: string): Promise<TaskRecord[]> {
    const rows = await claimRows(this.db, {
      table: 'tasks',
      claimable: (b) => b.where('state', 'open').where('updated_at', '<', checkedBefore),
      orderBy: ['updated_at'],
      limit,
      set: { updated_at: nowIso() },
    });
    return rows.map(toTask);
  }

  async touch(id: string): Promise<void> {
    await this.db('tasks').where({ id }).update({ updated_at: nowIso() });
  }

  /**
   * Sets the assignee only if the task is still open and the assignee is what the caller saw.
   * `delegatedFrom`: the absent user the new assignee stands in for (null: an assignment of its own,
   * which ends any standing in).
   */
  async setAssignee(id: string, expected: string | null, assignee: string | null, delegatedFrom: string | null = null): Promise<boolean> {
    const n = await this.db('tasks')
      .where({ id, state: 'open' })
      .modify((b) => (expected === null ? b.whereNull('assignee') : b.where('assignee', expected)))
      .update({ assignee, delegated_from: delegatedFrom, updated_at: nowIso() });
    return n === 1;
  }

  /** Open tasks of the organisation assigned to `username` in their own right (not standing in for someone). */
  async openAssignedTo(username: string, organisationId: string): Promise<TaskRecord[]> {
    const rows = await this.db('tasks').where({ assignee: username, organisation_id: organisationId, state: 'open' }).whereNull('delegated_from').orderBy('id');
    return rows.map(toTask);
  }

  /** Open tasks whose assignee stands in for an absent user, by id after `afterId` (keyset pages). */
  async openDelegated(limit: number, afterId?: string): Promise<TaskRecord[]> {
    const rows = await this.db('tasks')
      .whereNotNull('delegated_from')
      .where({ state: 'open' })
      .modify((b) => (afterId === undefined ? b : b.where('id', '>', afterId)))
      .orderBy('id')
      .limit(limit);
    return rows.map(toTask);
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

/**
 * The FTS5 query for a substring (3 or more characters) of the trigram index: the text in
 * overlapping pieces of 6 characters, each a quoted phrase (the trigram tokenizer makes it the
 * phrase of its trigrams), all required. Every trigram of the text lies in a piece, so every task
 * containing the text is found, plus rarely one with the pieces apart (LIKE removes those).
 * Pieces because FTS5 checks the positions of a long phrase against every row that has all its
 * trigrams somewhere: "nachname12344" took 70 ms at 1.1 M tasks, "nachna" AND "name12" AND
 * "e12344" 1.3 ms.
 */
export function ftsQuery(text: string, piece = 6): string {
  const chars = Array.from(text);
  const pieces: string[] = [];
  for (let start = 0; ; start += piece - 2) {
    if (start + piece >= chars.length) {
      pieces.push(chars.slice(Math.max(0, chars.length - piece)).join(''));
      break;
    }
    pieces.push(chars.slice(start, start + piece).join(''));
  }
  return pieces.map((p) => `"${p.replace(/"/g, '""')}"`).join(' AND ');
}

/** What the inbox search looks in: reference, task name and applicant name, folded (ß → ss, ä → ae, …). */
function taskSearchText(reference: string, taskName: string, applicantName: string): string {
  return foldForSearch(`${reference} ${taskName} ${applicantName}`).slice(0, 500);
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
    applicantName: row.applicant_name ?? null,
    delegatedFrom: row.delegated_from ?? null,
  };
}
