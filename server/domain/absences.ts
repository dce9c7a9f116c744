/**
 * Deputies (Stellvertretung, issue 17 item 4). A user, their team lead, an organisation admin of
 * the organisation or an admin sets an absence window (from, to) and a deputy for one
 * organisation. While it runs, the absent user's open tasks of that organisation are assigned to
 * the deputy (tasks.delegated_from names the absent user, the inbox shows "Stellvertretung für …"),
 * and an assignment to the absent user goes to the deputy (TaskService.assign). When the window
 * ends or the absence is deleted, the tasks the deputy has not finished go back.
 *
 * The state is in the database only: `reconcile` derives what to do from the absences running now
 * and the delegated tasks, so it is idempotent; each task changes with a conditional update (the
 * assignee the run saw), so several processes running it at once change each task once and write
 * one timeline entry. It runs on every change of an absence and every ABSENCE_SWEEP_MS in the
 * processes that serve HTTP (a window that starts or ends by the clock).
 */
import type { Logger } from 'pino';
import type { Repositories } from '../repositories';
import type { Absence, AbsenceScope } from '../repositories/absences';
import type { TaskRecord } from '../repositories/tasks';
import type { User } from '../repositories/users';
import { Poller } from '../lib/poller';
import { authorizeAbsences, hasAudience } from './access';
import { isAdmin, isLead } from './auth';
import { forbidden, notFound, validationFailed, type FieldError } from './errors';
import { swissDateTime, type TaskService } from './tasks';

/** the longest absence window (a year); longer absences are a change of staff, not a deputy */
const MAX_WINDOW_MS = 366 * 24 * 3600_000;
/** delegated tasks read per query (a run reads them all, page by page) */
const BATCH = 500;

export interface AbsenceInput {
  /** the absent user; default the caller */
  username?: string;
  organisationId?: string;
  deputy: string;
  from: string;
  to: string;
  note?: string | null;
}

export interface AbsenceDto extends Absence {
  displayName: string;
  deputyName: string;
  /** running now */
  active: boolean;
  /** the caller may delete it */
  deletable: boolean;
}

export class AbsenceService {
  private readonly poller: Poller;

  constructor(
    private readonly repos: Repositories,
    private readonly tasks: TaskService,
    private readonly log: Logger,
  ) {
    this.poller = new Poller(
      async () => void (await this.reconcile()),
      (err) => this.log.warn({ err }, 'absences: reconcile failed'),
    );
  }

  start(intervalMs: number): void {
    this.poller.start(intervalMs);
  }

  stop(): void {
    this.poller.stop();
  }

  /** The absences the caller sees: their own, those they stand in for, and those of the organisations they manage (admins: all). */
  async list(actor: User, now = new Date()): Promise<AbsenceDto[]> {
    this.requireAbsenceRole(actor);
    const scope: AbsenceScope = isAdmin(actor) ? 'all' : { username: actor.username, managedOrganisations: managedOrganisations(actor) };
    const rows = await this.repos.absences.list(scope, now.toISOString());
    return this.toDtos(actor, rows, now);
  }

  async create(actor: User, input: AbsenceInput, now = new Date()): Promise<AbsenceDto> {
    this.requireAbsenceRole(actor);
    const errors: FieldError[] = [];
    const username = input.username ?? actor.username;
    const absent = await this.repos.users.findByUsername(username);
    // a person of another organisation is "unknown", as one that does not exist
    const visible = absent && (isAdmin(actor) || absent.username === actor.username || absent.organisations.some((o) => actor.organisations.includes(o)));
    if (!absent || !visible) throw validationFailed([{ path: 'username', message: 'Unbekannte Person' }]);
    if (!absent.active) errors.push({ path: 'username', message: 'Die Person ist deaktiviert' });
    if (!hasAudience(absent, 'caseWorker')) errors.push({ path: 'username', message: 'Nur für Personen mit Fallbearbeitung (Sachbearbeitung, Teamleitung)' });
    const organisationId = input.organisationId ?? (absent.organisations.length === 1 ? absent.organisations[0] : undefined);
    if (!organisationId) errors.push({ path: 'organisationId', message: 'Bitte die Organisation angeben' });
    else if (!absent.organisations.includes(organisationId)) errors.push({ path: 'organisationId', message: 'Die Person gehört nicht zu dieser Organisation' });
    if (organisationId && absent.organisations.includes(organisationId) && !this.mayManage(actor, absent.username, organisationId)) {
      throw forbidden('Abwesenheiten anderer Personen erfasst die Teamleitung oder die Administration der Organisation');
    }

    const deputy = await this.repos.users.findByUsername(input.deputy);
    if (!deputy || !(isAdmin(actor) || deputy.organisations.some((o) => actor.organisations.includes(o) || absent.organisations.includes(o)))) {
      errors.push({ path: 'deputy', message: 'Unbekannte Person' });
    } else if (deputy.username === absent.username) errors.push({ path: 'deputy', message: 'Die Stellvertretung muss eine andere Person sein' });
    else if (!deputy.active) errors.push({ path: 'deputy', message: 'Die Stellvertretung ist deaktiviert' });
    else if (!hasAudience(deputy, 'caseWorker')) errors.push({ path: 'deputy', message: 'Die Stellvertretung muss Fälle bearbeiten dürfen (Sachbearbeitung, Teamleitung)' });
    else if (organisationId && absent.organisations.includes(organisationId) && !deputy.organisations.includes(organisationId))
      errors.push({ path: 'deputy', message: 'Die Stellvertretung gehört nicht zur selben Organisation' });

    const from = new Date(input.from);
    const to = new Date(input.to);
    if (to.getTime() <= from.getTime()) errors.push({ path: 'to', message: 'Das Ende muss nach dem Beginn liegen' });
    else if (to.getTime() <= now.getTime()) errors.push({ path: 'to', message: 'Das Ende liegt in der Vergangenheit' });
    else if (to.getTime() - from.getTime() > MAX_WINDOW_MS) errors.push({ path: 'to', message: 'Eine Abwesenheit dauert höchstens ein Jahr' });
    if (errors.length > 0) throw validationFailed(errors);

    const window = { from: from.toISOString(), to: to.toISOString() };
    const org = organisationId!;
    const own = await this.repos.absences.overlapping(absent.username, org, window.from, window.to);
    if (own) errors.push({ path: 'from', message: `Überschneidet sich mit einer Abwesenheit vom ${swissDateTime(own.from)} bis ${swissDateTime(own.to)}` });
    // no chains: a deputy is present, and an absent person stands in for no one
    const deputyAway = await this.repos.absences.overlapping(deputy!.username, org, window.from, window.to);
    if (deputyAway) errors.push({ path: 'deputy', message: `${deputy!.displayName} ist in dieser Zeit selbst abwesend` });
    const standsIn = await this.repos.absences.overlappingAsDeputy(absent.username, org, window.from, window.to);
    if (standsIn) errors.push({ path: 'from', message: `${absent.displayName} ist in dieser Zeit Stellvertretung für ${standsIn.username}` });
    if (errors.length > 0) throw validationFailed(errors);

    const created = await this.repos.absences.create({
      username: absent.username,
      organisationId: org,
      deputy: deputy!.username,
      ...window,
      note: input.note?.trim() || null,
      createdBy: actor.username,
    });
    this.log.info({ absenceId: created.id, username: created.username, deputy: created.deputy, by: actor.username }, 'absence created');
    await this.reconcile(now);
    return (await this.toDtos(actor, [created], now))[0]!;
  }

  /** Ends an absence (deletes it); the deputy's unfinished tasks go back at once. */
  async remove(actor: User, id: number, now = new Date()): Promise<AbsenceDto> {
    this.requireAbsenceRole(actor);
    const absence = await this.repos.absences.get(id);
    const visible = absence && (isAdmin(actor) || absence.username === actor.username || absence.deputy === actor.username || managedOrganisations(actor).includes(absence.organisationId));
    if (!absence || !visible) throw notFound('Abwesenheit nicht gefunden');
    if (!this.mayManage(actor, absence.username, absence.organisationId)) throw forbidden('Nur die abwesende Person, ihre Teamleitung oder die Administration kann die Abwesenheit löschen');
    await this.repos.absences.delete(id);
    this.log.info({ absenceId: id, by: actor.username }, 'absence deleted');
    await this.reconcile(now);
    return (await this.toDtos(actor, [absence], now))[0]!;
  }

  /**
   * Brings the tasks in line with the absences running at `now`: the absent users' own open tasks
   * go to their deputies; delegated tasks whose absence is over go back (or to the deputy of a
   * following absence). Idempotent; safe in several processes at once (see the file comment).
   */
  async reconcile(now = new Date()): Promise<{ delegated: number; handedBack: number }> {
    const at = now.toISOString();
    const active = await this.repos.absences.activeAt(at);
    let delegated = 0;
    let handedBack = 0;
    const names = new Map<string, string>();
    const nameOf = async (username: string) => {
      if (!names.has(username)) names.set(username, (await this.repos.users.findByUsername(username))?.displayName ?? username);
      return names.get(username)!;
    };
    for (const absence of active) {
      for (const task of await this.repos.tasks.openAssignedTo(absence.username, absence.organisationId)) {
        if (await this.delegate(task, absence.username, now, nameOf)) delegated++;
      }
    }
    for await (const task of this.delegatedTasks()) {
      const absent = task.delegatedFrom!;
      const absence = active.find((a) => a.username === absent && a.organisationId === task.organisationId);
      if (absence && absence.deputy === task.assignee) continue;
      if (absence && (await this.delegate(task, absent, now, nameOf))) {
        delegated++;
        continue;
      }
      // over (or its deputy may not take the task): back to the absent user, if they still work here
      const user = await this.repos.users.findByUsername(absent);
      const backTo = user?.active && (isAdmin(user) || user.organisations.includes(task.organisationId)) ? absent : null;
      if (!(await this.repos.tasks.setAssignee(task.id, task.assignee, backTo, null))) continue;
      handedBack++;
      const label = backTo
        ? `Aufgabe «${task.name}» an ${await nameOf(absent)} zurückgegeben (Stellvertretung durch ${task.assignee ? await nameOf(task.assignee) : '–'} beendet)`
        : `Aufgabe «${task.name}» freigegeben: Stellvertretung beendet, ${await nameOf(absent)} arbeitet nicht mehr in der Organisation`;
      await this.repos.timeline.append({ caseId: task.caseId, type: 'task.handed_back', actor: 'system', label, details: { taskId: task.id } });
    }
    if (delegated + handedBack > 0) this.log.info({ delegated, handedBack }, 'absences: tasks moved');
    return { delegated, handedBack };
  }

  /** Every open delegated task, page by page. */
  private async *delegatedTasks(): AsyncGenerator<TaskRecord> {
    let afterId: string | undefined;
    for (;;) {
      const page = await this.repos.tasks.openDelegated(BATCH, afterId);
      yield* page;
      if (page.length < BATCH) return;
      afterId = page[page.length - 1]!.id;
    }
  }

  /** Hands the task (assigned to `absent` or to a former deputy) to the deputy of `absent`'s absence; false when nothing changed. */
  private async delegate(task: TaskRecord, absent: string, now: Date, nameOf: (u: string) => Promise<string>): Promise<boolean> {
    const deputy = await this.tasks.deputyOf(task, absent, now);
    if (!deputy || deputy.username === task.assignee) return false;
    if (!(await this.repos.tasks.setAssignee(task.id, task.assignee, deputy.username, absent))) return false;
    await this.tasks.recordDelegation(task, deputy.displayName, await nameOf(absent), deputy.until, 'system');
    return true;
  }

  /** Self (a case worker), a team lead or organisation admin of the organisation, or an admin. */
  private mayManage(actor: User, username: string, organisationId: string): boolean {
    if (isAdmin(actor)) return true;
    if (actor.username === username && hasAudience(actor, 'caseWorker')) return true;
    return managedOrganisations(actor).includes(organisationId);
  }

  private requireAbsenceRole(actor: User): void {
    authorizeAbsences(actor);
  }

  private async toDtos(actor: User, rows: Absence[], now: Date): Promise<AbsenceDto[]> {
    const names = await this.repos.users.displayNames();
    const at = now.toISOString();
    return rows.map((a) => ({
      ...a,
      displayName: names.get(a.username) ?? a.username,
      deputyName: names.get(a.deputy) ?? a.deputy,
      active: a.from <= at && a.to > at,
      deletable: this.mayManage(actor, a.username, a.organisationId),
    }));
  }
}

/** The organisations whose absences the user manages: as team lead or organisation admin. */
function managedOrganisations(user: User): string[] {
  return isLead(user) || user.roles.includes('org_admin') ? user.organisations : [];
}
