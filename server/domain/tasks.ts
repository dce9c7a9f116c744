/** Staff work on human tasks: the inbox, claiming, assigning and completing. */
import type { Logger } from 'pino';
import type { Engine } from '../engine/zeebe';
import { JobNotFoundError } from '../engine/zeebe';
import type { Repositories } from '../repositories';
import type { TaskListQuery, TaskRecord, TaskVisibility } from '../repositories/tasks';
import type { User } from '../repositories/users';
import { validateAgainstForm } from '../processes/form-validation';
import { isAdmin, isLead } from './auth';
import { authorizeCaseWork, hasAudience } from './access';
import type { Catalogue } from '../processes/catalogue';
import { conflict, forbidden, notFound, validationFailed } from './errors';

/** What the user's inbox and case views may show; 403 for users without a case role (least privilege). */
export function taskVisibility(user: User): TaskVisibility {
  authorizeCaseWork(user);
  const admin = isAdmin(user);
  const seesWholeOrganisation = isLead(user);
  return {
    organisations: admin ? 'all' : user.organisations,
    groupsOf: seesWholeOrganisation ? null : { username: user.username, groups: user.groups },
  };
}

export function toTaskDto(t: TaskRecord) {
  return {
    id: t.id,
    name: t.name,
    state: t.state,
    caseReference: t.caseReference,
    serviceKey: t.serviceKey,
    municipality: t.municipality,
    organisationId: t.organisationId,
    assignee: t.assignee,
    candidateGroups: t.candidateGroups,
    candidateUsers: t.candidateUsers,
    createdAt: t.createdAt,
    dueDate: t.dueDate,
    followUpDate: t.followUpDate,
    completedAt: t.completedAt,
    completedBy: t.completedBy,
    applicantName: t.applicantName ?? null,
    /** Stellvertretung: the absent user the assignee stands in for (domain/absences.ts) */
    deputyFor: t.delegatedFrom ?? null,
  };
}

/** The task DTO with the absent user's name when the assignee stands in for someone ("Stellvertretung für …"). */
async function withDeputyNames<T extends { deputyFor: string | null }>(repos: Repositories, dtos: T[]): Promise<Array<T & { deputyForName: string | null }>> {
  const names = new Map<string, string>();
  for (const username of new Set(dtos.flatMap((d) => (d.deputyFor ? [d.deputyFor] : [])))) {
    names.set(username, (await repos.users.findByUsername(username))?.displayName ?? username);
  }
  return dtos.map((d) => ({ ...d, deputyForName: d.deputyFor ? (names.get(d.deputyFor) ?? d.deputyFor) : null }));
}

export class TaskService {
  constructor(
    private readonly repos: Repositories,
    private readonly catalogue: Catalogue,
    private readonly engine: Engine,
    private readonly log: Logger,
  ) {}

  /** A page of the inbox; `totalCapped`: the total is a lower bound (see repositories/list-page.ts). */
  async list(user: User, query: Omit<TaskListQuery, 'visibility'>) {
    const { rows, total, totalCapped } = await this.repos.tasks.list({ ...query, visibility: taskVisibility(user) });
    return { rows: await withDeputyNames(this.repos, rows.map(toTaskDto)), total, totalCapped };
  }

  async get(user: User, id: string) {
    const task = await this.visibleTask(user, id);
    const [dto] = await withDeputyNames(this.repos, [toTaskDto(task)]);
    return {
      ...dto!,
      formKey: task.formKey,
      form: this.catalogue.form(task.formKey, task.processDefinitionKey) ?? null,
      infoRequestAllowed: this.catalogue.allowsInfoRequest(task.serviceKey, task.elementId),
      variables: task.variables,
      result: task.result,
      fourEyes: await this.fourEyesInfo(task, user.username),
    };
  }

  async claim(user: User, id: string) {
    const task = await this.visibleTask(user, id);
    if (task.assignee === user.username && task.state === 'open') return toTaskDto(task);
    this.requireOpen(task);
    if (task.assignee) throw conflict(`Die Aufgabe ist bereits ${task.assignee} zugewiesen`);
    await this.requireFourEyes(task, user.username);
    if (!(await this.repos.tasks.setAssignee(id, null, user.username))) throw conflict('Die Aufgabe wurde soeben von jemand anderem übernommen');
    await this.record(task, user, 'task.claimed', `Aufgabe «${task.name}» übernommen`);
    return toTaskDto((await this.repos.tasks.get(id))!);
  }

  async unclaim(user: User, id: string) {
    const task = await this.visibleTask(user, id);
    this.requireOpen(task);
    if (!task.assignee) return toTaskDto(task);
    if (task.assignee !== user.username && !isLead(user)) throw conflict('Nur die zugewiesene Person oder die Teamleitung kann die Aufgabe freigeben');
    if (!(await this.repos.tasks.setAssignee(id, task.assignee, null))) throw conflict('Die Aufgabe wurde soeben geändert');
    await this.record(task, user, 'task.unclaimed', `Aufgabe «${task.name}» freigegeben`);
    return toTaskDto((await this.repos.tasks.get(id))!);
  }

  async assign(user: User, id: string, assignee: string, reason?: string) {
    const task = await this.visibleTask(user, id);
    if (assignee !== user.username && !isLead(user)) throw forbidden('Nur die Teamleitung kann Aufgaben anderen Personen zuweisen');
    this.requireOpen(task);
    const target = await this.repos.users.findByUsername(assignee);
    // only people who work on cases (not a process owner or organisation admin of the organisation)
    if (!target || !target.active || !hasAudience(target, 'caseWorker') || !(isAdmin(target) || target.organisations.includes(task.organisationId))) {
      throw validationFailed([{ path: 'assignee', message: 'Unbekannte Person oder nicht in der zuständigen Organisation' }]);
    }
    await this.requireFourEyes(task, assignee);
    // an assignment to an absent person goes to their deputy (Stellvertretung, domain/absences.ts)
    const deputy = await this.deputyOf(task, assignee);
    if (!(await this.repos.tasks.setAssignee(id, task.assignee, deputy?.username ?? assignee, deputy ? assignee : null))) throw conflict('Die Aufgabe wurde soeben geändert');
    await this.record(task, user, 'task.assigned', `Aufgabe «${task.name}» ${target.displayName} zugewiesen${reason ? ` (${reason})` : ''}`);
    if (deputy) await this.recordDelegation(task, deputy.displayName, target.displayName, deputy.until, user.username);
    return toTaskDto((await this.repos.tasks.get(id))!);
  }

  async complete(user: User, id: string, variables: unknown) {
    const task = await this.visibleTask(user, id);
    this.requireOpen(task);
    if (task.assignee !== user.username) throw conflict('Nur die zugewiesene Person kann die Aufgabe abschliessen; bitte zuerst übernehmen');
    await this.requireFourEyes(task, user.username);
    const form = this.catalogue.form(task.formKey, task.processDefinitionKey);
    // conditions of the task form may refer to the process variables the task was created with (as in form-js)
    const { value, errors } = validateAgainstForm(form ?? { components: [] }, variables ?? {}, { basePath: 'variables', context: task.variables });
    if (errors.length > 0) throw validationFailed(errors);
    await this.finish(task, user, value);
    await this.record(task, user, 'task.completed', `Aufgabe «${task.name}» erledigt`, value);
    return toTaskDto((await this.repos.tasks.get(id))!);
  }

  /**
   * "Rückfrage an Gesuchsteller/in": completes the task with infoRequested, where the process
   * models it (user task property infoRequest=allowed): the process sends the question and waits
   * for the applicant's reply, then the task comes back.
   */
  async requestInfo(user: User, id: string, message: string) {
    const task = await this.visibleTask(user, id);
    this.requireOpen(task);
    if (!this.catalogue.allowsInfoRequest(task.serviceKey, task.elementId)) throw conflict('Bei dieser Aufgabe ist keine Rückfrage vorgesehen');
    if (task.assignee !== user.username) throw conflict('Nur die zugewiesene Person kann eine Rückfrage stellen; bitte zuerst übernehmen');
    await this.requireFourEyes(task, user.username);
    const variables = { infoRequested: true, infoRequestMessage: message };
    await this.finish(task, user, variables);
    await this.record(task, user, 'task.info_requested', `Rückfrage an Gesuchsteller/in: ${message}`);
    return toTaskDto((await this.repos.tasks.get(id))!);
  }

  /** Completes the task's job in the engine; the task is marked first, so the reconciler never
   * mistakes the completed job for one the engine removed. */
  private async finish(task: TaskRecord, user: User, variables: Record<string, unknown>): Promise<void> {
    if (!(await this.repos.tasks.markCompleted(task.id, user.username, variables))) throw conflict('Die Aufgabe wurde soeben geändert');
    try {
      await this.engine.completeJob(task.id, variables);
    } catch (err) {
      await this.repos.tasks.reopen(task.id);
      if (err instanceof JobNotFoundError) {
        await this.markCancelled(task, 'Die Aufgabe existiert im Prozess nicht mehr');
        throw conflict('Die Aufgabe wurde im Prozess bereits beendet');
      }
      throw err;
    }
  }

  /** The engine removed the job (instance cancelled, interrupting event): close the task. */
  async markCancelled(task: TaskRecord, why: string): Promise<void> {
    if (await this.repos.tasks.markCancelled(task.id)) {
      this.log.info({ taskId: task.id, why }, 'task cancelled');
      await this.repos.timeline.append({ caseId: task.caseId, type: 'task.cancelled', actor: 'system', label: `Aufgabe «${task.name}» beendet: ${why}` });
    }
  }

  private async visibleTask(user: User, id: string): Promise<TaskRecord> {
    const task = /^\d{1,20}$/.test(id) ? await this.repos.tasks.getVisible(id, taskVisibility(user)) : undefined;
    if (!task) throw notFound('Aufgabe nicht gefunden');
    return task;
  }

  /**
   * Four-eyes principle as a model rule (user task property fourEyes=<element id>, checked before
   * deploy in processes/process-checks.ts): whoever completed the latest task of that element in
   * the same case may not claim, be assigned or complete this task. Returns the explanation, or
   * null when `username` may work on the task.
   */
  private async fourEyesBlock(task: TaskRecord, username: string): Promise<{ earlierTask: string; message: string | null } | null> {
    const earlier = this.catalogue.fourEyes(task.serviceKey, task.elementId, task.processDefinitionKey);
    if (!earlier) return null;
    const earlierTask = this.catalogue.elementName(task.serviceKey, earlier, task.processDefinitionKey);
    const by = await this.repos.tasks.lastCompletedBy(task.caseId, earlier);
    if (by !== username) return { earlierTask, message: null };
    const who = (await this.repos.users.findByUsername(username))?.displayName ?? username;
    return {
      earlierTask,
      message: `Vier-Augen-Prinzip: ${who} hat «${earlierTask}» erledigt und darf «${task.name}» deshalb weder übernehmen noch abschliessen; das muss eine andere Person tun`,
    };
  }

  /**
   * The deputy who takes `username`'s tasks of the task's organisation now (an absence running), or
   * null: none, or the deputy may not work on this task (inactive, or excluded by four-eyes).
   */
  async deputyOf(task: TaskRecord, username: string, now = new Date()): Promise<{ username: string; displayName: string; until: string } | null> {
    const absence = await this.repos.absences.activeFor(username, task.organisationId, now.toISOString());
    if (!absence) return null;
    const deputy = await this.repos.users.findByUsername(absence.deputy);
    if (!deputy?.active || !hasAudience(deputy, 'caseWorker') || !(isAdmin(deputy) || deputy.organisations.includes(task.organisationId))) return null;
    if (await this.fourEyesMessage(task, deputy.username)) return null;
    return { username: deputy.username, displayName: deputy.displayName, until: absence.to };
  }

  /**
   * A new task the process assigned to someone (BPMN assignee) goes to their deputy while they are
   * absent (Stellvertretung); the absences' sweep would do it too, later.
   */
  async routeToDeputy(taskId: string, now = new Date()): Promise<void> {
    const task = await this.repos.tasks.get(taskId);
    if (!task || task.state !== 'open' || !task.assignee || task.delegatedFrom) return;
    const deputy = await this.deputyOf(task, task.assignee, now);
    if (!deputy) return;
    if (!(await this.repos.tasks.setAssignee(task.id, task.assignee, deputy.username, task.assignee))) return;
    const absentName = (await this.repos.users.findByUsername(task.assignee))?.displayName ?? task.assignee;
    await this.recordDelegation(task, deputy.displayName, absentName, deputy.until, 'system');
  }

  /** The timeline entry of a task handed to a deputy. */
  async recordDelegation(task: TaskRecord, deputyName: string, absentName: string, until: string, actor: string): Promise<void> {
    await this.repos.timeline.append({
      caseId: task.caseId,
      type: 'task.delegated',
      actor,
      label: `Aufgabe «${task.name}» an Stellvertretung ${deputyName} weitergeleitet (${absentName} abwesend bis ${swissDateTime(until)})`,
      details: { taskId: task.id },
    });
  }

  /** The four-eyes explanation when `username` may not work on the task, else null. */
  async fourEyesMessage(task: TaskRecord, username: string): Promise<string | null> {
    return (await this.fourEyesBlock(task, username))?.message ?? null;
  }

  private async fourEyesInfo(task: TaskRecord, username: string) {
    const block = await this.fourEyesBlock(task, username);
    return block && { earlierTask: block.earlierTask, blocked: block.message !== null, message: block.message };
  }

  private async requireFourEyes(task: TaskRecord, username: string): Promise<void> {
    const message = await this.fourEyesMessage(task, username);
    if (message) throw conflict(message);
  }

  private requireOpen(task: TaskRecord): void {
    if (task.state !== 'open') throw conflict(`Die Aufgabe ist bereits ${task.state === 'completed' ? 'erledigt' : 'beendet'}`);
  }

  private async record(task: TaskRecord, user: User, type: string, label: string, details?: Record<string, unknown>) {
    await this.repos.timeline.append({ caseId: task.caseId, type, actor: user.username, label, details: { taskId: task.id, ...details } });
  }
}

/** 05.01.2027 14:30 (Europe/Zurich), for timeline labels */
export function swissDateTime(iso: string): string {
  return new Intl.DateTimeFormat('de-CH', { timeZone: 'Europe/Zurich', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}
