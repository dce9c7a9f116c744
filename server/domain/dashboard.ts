/**
 * Back office read models: inbox counts, colleagues to assign to, the team-lead dashboard and
 * the case's process diagram with the steps done and the current ones.
 */
import type { Repositories } from '../repositories';
import type { User } from '../repositories/users';
import { isLead } from './auth';
import type { Catalogue } from '../processes/catalogue';
import { forbidden } from './errors';
import { visibleCase } from './cases';
import { taskVisibility } from './tasks';

const DAY = 86_400_000;


export class BackofficeQueries {
  constructor(
    private readonly repos: Repositories,
    private readonly catalogue: Catalogue,
  ) {}

  /**
   * The counts behind the inbox views (Meine Aufgaben, Offen in meinen Gruppen, Alle, Erledigt).
   * Counts stop at the list cap (repositories/list-page.ts): `capped` names the views whose
   * number is a lower bound ("more than n − 1").
   */
  async inboxCounts(user: User) {
    const visibility = taskVisibility(user);
    const count = async (filter: Parameters<Repositories['tasks']['list']>[0]['filter']) =>
      this.repos.tasks.list({ visibility, filter, sort: { field: 'createdAt', order: 'DESC' }, range: [0, 0] });
    const [mine, groups, organisation, completed] = await Promise.all([
      count({ state: 'open', assignee: user.username }),
      count({ state: 'open', assignee: null, candidateGroups: user.groups }),
      count({ state: 'open' }),
      count({ state: 'completed' }),
    ]);
    const views = { mine, groups, organisation, completed };
    return {
      mine: mine.total,
      groups: groups.total,
      organisation: organisation.total,
      completed: completed.total,
      capped: Object.entries(views)
        .filter(([, page]) => page.totalCapped)
        .map(([view]) => view),
    };
  }

  /** Active staff of the caller's organisations (to assign tasks to). */
  async colleagues(user: User) {
    const orgs = taskVisibility(user).organisations;
    const rows = await this.repos.db('users')
      .where('active', true)
      .modify((b) => {
        if (orgs !== 'all') b.whereIn('id', this.repos.db('user_organisations').select('user_id').whereIn('organisation_id', orgs));
      })
      .orderBy('display_name')
      .select('username', 'display_name', 'roles');
    return rows
      .map((r: any) => ({ id: r.username as string, username: r.username as string, displayName: r.display_name as string, roles: JSON.parse(r.roles) as string[] }))
      .filter((u: { roles: string[] }) => u.roles.includes('clerk') || u.roles.includes('teamlead'));
  }

  /** Team-lead dashboard: open and overdue per person and service, throughput, processing time. */
  async dashboard(user: User, now = new Date()) {
    if (!isLead(user)) throw forbidden('Das Cockpit ist der Teamleitung vorbehalten');
    const orgs = taskVisibility(user).organisations;
    const db = this.repos.db;
    const nowIso = now.toISOString();
    const inOrgs = (b: any, column: string) => {
      if (orgs !== 'all') b.whereIn(column, orgs);
    };
    const openBy = (column: string) =>
      db('tasks')
        .where('state', 'open')
        .modify(inOrgs, 'organisation_id')
        .groupBy(column)
        .select({ key: column })
        .count({ open: '*' })
        .select(db.raw('sum(case when due_date is not null and due_date < ? then 1 else 0 end) as overdue', [nowIso]));
    const weeks = 8;
    const firstMonday = startOfWeek(new Date(now.getTime() - (weeks - 1) * 7 * DAY));
    const [byAssignee, byService, closedCases, completedTasks, users] = await Promise.all([
      openBy('assignee'),
      openBy('service_key'),
      db('cases').whereNotNull('closed_at').where('closed_at', '>=', new Date(Math.min(firstMonday.getTime(), now.getTime() - 90 * DAY)).toISOString()).modify(inOrgs, 'organisation_id').select('service_key', 'submitted_at', 'closed_at', 'status'),
      db('tasks').where('state', 'completed').where('completed_at', '>=', firstMonday.toISOString()).modify(inOrgs, 'organisation_id').select('completed_at'),
      db('users').select('username', 'display_name'),
    ]);
    const nameOf = new Map(users.map((u: any) => [u.username as string, u.display_name as string]));
    const serviceName = (key: string) => this.catalogue.get(key)?.entry.name ?? key;

    const weekStarts = Array.from({ length: weeks }, (_, i) => new Date(firstMonday.getTime() + i * 7 * DAY).toISOString().slice(0, 10));
    const throughput = weekStarts.map((week) => ({ week, casesClosed: 0, tasksCompleted: 0 }));
    const bucket = (iso: string) => throughput.find((w) => w.week === startOfWeek(new Date(iso)).toISOString().slice(0, 10));
    for (const c of closedCases) if (c.closed_at >= firstMonday.toISOString()) bucket(c.closed_at)!.casesClosed += 1;
    for (const t of completedTasks) {
      const w = bucket(t.completed_at);
      if (w) w.tasksCompleted += 1;
    }

    const durations = new Map<string, number[]>();
    for (const c of closedCases) {
      if (c.closed_at < new Date(now.getTime() - 90 * DAY).toISOString()) continue;
      const list = durations.get(c.service_key) ?? [];
      list.push((Date.parse(c.closed_at) - Date.parse(c.submitted_at)) / DAY);
      durations.set(c.service_key, list);
    }
    const processingTime = [...durations].map(([key, list]) => ({
      serviceKey: key,
      serviceName: serviceName(key),
      cases: list.length,
      averageDays: Math.round((list.reduce((a, b) => a + b, 0) / list.length) * 100) / 100,
      targetDays: this.catalogue.get(key)?.entry.targetDays ?? null,
    }));

    return {
      generatedAt: nowIso,
      perAssignee: byAssignee.map((r: any) => ({ assignee: r.key ?? null, displayName: r.key ? (nameOf.get(r.key) ?? r.key) : null, open: Number(r.open), overdue: Number(r.overdue) })),
      perService: byService.map((r: any) => ({ serviceKey: r.key, serviceName: serviceName(r.key), open: Number(r.open), overdue: Number(r.overdue) })),
      throughput,
      processingTime,
    };
  }

  /**
   * The case's process (BPMN XML from the catalogue) with the elements already passed and the
   * ones waiting now, derived from the case's tasks and timeline.
   */
  async diagram(user: User, reference: string) {
    const c = await visibleCase(this.repos, user, reference);
    const service = this.catalogue.get(c.serviceKey);
    if (!service) return { processId: c.processId, xml: null, completed: [], active: [], flows: [] };
    const def = service.definition;
    const [tasks, timeline] = await Promise.all([this.repos.tasks.forCase(c.id), this.repos.timeline.forCase(c.id)]);
    const completed = new Set<string>();
    const active = new Set<string>();
    for (const t of tasks) {
      if (t.state === 'open') active.add(t.elementId);
      else if (t.state === 'completed') completed.add(t.elementId);
    }
    const flows = sequenceFlows(def.bpmnXml);
    for (const e of timeline) {
      if (e.type !== 'worker.completed') continue;
      const elementId = typeof e.details?.elementId === 'string' ? e.details.elementId : undefined;
      if (elementId) {
        completed.add(elementId);
        continue;
      }
      // older events carry only the job type and the step name in the label
      const candidates = def.serviceTasks.filter((s) => s.type === e.details?.jobType && e.label.endsWith(`: ${s.name ?? s.id}`));
      if (candidates.length === 1) completed.add(candidates[0]!.id);
      else if (candidates.length > 1) {
        // same type and name twice (e.g. notify on both branches): take one whose predecessor is done
        const pick = candidates.find((s) => flows.some((f) => f.target === s.id && completed.has(f.source))) ?? candidates.find((s) => !completed.has(s.id));
        if (pick) completed.add(pick.id);
      }
    }
    const started = c.processInstanceKey !== null || timeline.some((e) => e.type === 'process.started');
    if (started) for (const id of elementIds(def.bpmnXml, 'startEvent')) completed.add(id);
    // gateways and end events between passed elements count as passed
    const endEvents = new Set(elementIds(def.bpmnXml, 'endEvent'));
    const passThrough = new Set([...elementIds(def.bpmnXml, 'exclusiveGateway'), ...elementIds(def.bpmnXml, 'parallelGateway'), ...endEvents]);
    const closed = ['completed', 'rejected'].includes(c.status);
    for (let changed = true; changed; ) {
      changed = false;
      for (const f of flows) {
        if (!completed.has(f.source) || completed.has(f.target) || !passThrough.has(f.target)) continue;
        const isEnd = endEvents.has(f.target);
        const leadsOn = flows.some((g) => g.source === f.target && (completed.has(g.target) || active.has(g.target)));
        if ((isEnd && closed) || leadsOn) {
          completed.add(f.target);
          changed = true;
        }
      }
    }
    const takenFlows = flows.filter((f) => completed.has(f.source) && (completed.has(f.target) || active.has(f.target))).map((f) => f.id);
    return { processId: def.processId, xml: def.bpmnXml, completed: [...completed], active: [...active], flows: takenFlows };
  }
}

function startOfWeek(d: Date): Date {
  const day = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const offset = (day.getUTCDay() + 6) % 7; // Monday = 0
  return new Date(day.getTime() - offset * DAY);
}

function sequenceFlows(xml: string): Array<{ id: string; source: string; target: string }> {
  const out: Array<{ id: string; source: string; target: string }> = [];
  for (const m of xml.matchAll(/<bpmn:sequenceFlow\b([^>]*)>/g)) {
    const attr = (name: string) => new RegExp(`\\b${name}="([^"]+)"`).exec(m[1]!)?.[1];
    const id = attr('id');
    const source = attr('sourceRef');
    const target = attr('targetRef');
    if (id && source && target) out.push({ id, source, target });
  }
  return out;
}

function elementIds(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<bpmn:${tag}\\b[^>]*\\bid="([^"]+)"`, 'g'))].map((m) => m[1]!);
}
