/**
 * Back office read models: inbox counts, colleagues to assign to, the team-lead dashboard and
 * the case's process diagram with the steps done and the current ones (case-progress.ts). The
 * queries live in the repositories (tasks, users, workload); this service scopes them to the
 * caller and shapes the numbers.
 */
import type { Repositories } from '../repositories';
import type { User } from '../repositories/users';
import { isLead } from './auth';
import type { Catalogue } from '../processes/catalogue';
import { caseProgress } from './case-progress';
import { forbidden } from './errors';
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
    const count = async (filter: Parameters<Repositories['tasks']['list']>[0]['filter']) => this.repos.tasks.list({ visibility, filter, sort: { field: 'createdAt', order: 'DESC' }, range: [0, 0] });
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
    const staff = await this.repos.users.activeStaff(taskVisibility(user).organisations);
    return staff
      .filter((u) => u.roles.includes('clerk') || u.roles.includes('teamlead'))
      .map((u) => ({ id: u.username, username: u.username, displayName: u.displayName, roles: u.roles as string[] }));
  }

  /**
   * Every staff member's display name by username (deactivated ones too): timelines, versions
   * and drafts name people of other organisations and former staff, whom `colleagues` omits.
   */
  async staffNames(): Promise<Record<string, string>> {
    return Object.fromEntries(await this.repos.users.displayNames());
  }

  /** Team-lead dashboard: open and overdue per person and service, throughput, processing time. */
  async dashboard(user: User, now = new Date()) {
    if (!isLead(user)) throw forbidden('Das Cockpit ist der Teamleitung vorbehalten');
    const orgs = taskVisibility(user).organisations;
    const nowIso = now.toISOString();
    const weeks = 8;
    const firstMonday = startOfWeek(new Date(now.getTime() - (weeks - 1) * 7 * DAY));
    const closedSince = new Date(Math.min(firstMonday.getTime(), now.getTime() - 90 * DAY)).toISOString();
    const workload = this.repos.workload;
    const [byAssignee, byService, closedCases, completedTasks, nameOf] = await Promise.all([
      workload.openTasksPer('assignee', orgs, nowIso),
      workload.openTasksPer('service_key', orgs, nowIso),
      workload.casesClosedSince(closedSince, orgs),
      workload.tasksCompletedSince(firstMonday.toISOString(), orgs),
      this.repos.users.displayNames(),
    ]);
    const serviceName = (key: string) => this.catalogue.get(key)?.entry.name ?? key;

    const weekStarts = Array.from({ length: weeks }, (_, i) => new Date(firstMonday.getTime() + i * 7 * DAY).toISOString().slice(0, 10));
    const throughput = weekStarts.map((week) => ({ week, casesClosed: 0, tasksCompleted: 0 }));
    const bucket = (iso: string) => throughput.find((w) => w.week === startOfWeek(new Date(iso)).toISOString().slice(0, 10));
    for (const c of closedCases) if (c.closedAt >= firstMonday.toISOString()) bucket(c.closedAt)!.casesClosed += 1;
    for (const completedAt of completedTasks) {
      const w = bucket(completedAt);
      if (w) w.tasksCompleted += 1;
    }

    const durations = new Map<string, number[]>();
    for (const c of closedCases) {
      if (c.closedAt < new Date(now.getTime() - 90 * DAY).toISOString()) continue;
      const list = durations.get(c.serviceKey) ?? [];
      list.push((Date.parse(c.closedAt) - Date.parse(c.submittedAt)) / DAY);
      durations.set(c.serviceKey, list);
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
      perAssignee: byAssignee.map((r) => ({ assignee: r.key, displayName: r.key ? (nameOf.get(r.key) ?? r.key) : null, open: r.open, overdue: r.overdue })),
      perService: byService.map((r) => ({ serviceKey: r.key, serviceName: serviceName(r.key!), open: r.open, overdue: r.overdue })),
      throughput,
      processingTime,
    };
  }

  /** The case's process diagram with the steps done and the current ones (see case-progress.ts). */
  diagram(user: User, reference: string) {
    return caseProgress(this.repos, this.catalogue, user, reference);
  }
}

function startOfWeek(d: Date): Date {
  const day = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const offset = (day.getUTCDay() + 6) % 7; // Monday = 0
  return new Date(day.getTime() - offset * DAY);
}
