/**
 * Projects job-worker user tasks (job type io.camunda.zeebe:userTask) into the tasks table.
 * The job stays activated (with a long timeout) while staff work on it; the back office
 * completes it when staff complete the task. Tasks whose job the engine removed (instance
 * cancelled, interrupting boundary event) are marked cancelled by the reconciler.
 */
import type { Logger } from 'pino';
import type { Catalogue } from '../processes/catalogue';
import type { Repositories } from '../repositories';
import type { TaskRecord } from '../repositories/tasks';
import { municipalityOrganisationId } from '../repositories/organisations';
import { guardJob, handBack } from './instance-guard';
import { dueAfterWorkingDays, pausedWorkingDays } from '../../model/working-days';
import type { ActivatedJob, Engine, JobOutcome } from './zeebe';

export const USER_TASK_JOB_TYPE = 'io.camunda.zeebe:userTask';
const HEADER = 'io.camunda.zeebe:';

/**
 * Closes a task whose job the engine removed (the domain's TaskService, wired in services.ts):
 * the projection finds such tasks, the domain decides what closing one means.
 */
export interface RemovedTaskHandler {
  markCancelled(task: TaskRecord, why: string): Promise<void>;
  /** a new task the process assigned to someone (BPMN assignee): to their deputy while they are absent */
  routeToDeputy?(taskId: string): Promise<void>;
}

export class UserTaskProjection {
  private sweepTimer: NodeJS.Timeout | undefined;
  private readonly sweepIntervalMs = 30_000;

  constructor(
    private readonly engine: Engine,
    private readonly repos: Repositories,
    private readonly catalogue: Catalogue,
    private readonly removedTasks: RemovedTaskHandler,
    private readonly log: Logger,
    private readonly jobTimeoutMs: number,
    /** this installation's id: user tasks of other installations' instances are handed back */
    private readonly installationId: string,
  ) {}

  start(): void {
    this.engine.startWorker({ taskType: USER_TASK_JOB_TYPE, timeoutMs: this.jobTimeoutMs, maxJobsToActivate: 100, handler: (job) => this.project(job) });
    this.sweepTimer = setInterval(() => void this.sweep().catch((err) => this.log.warn({ err }, 'task sweep failed')), this.sweepIntervalMs);
  }

  stop(): void {
    clearInterval(this.sweepTimer);
  }

  private async project(job: ActivatedJob): Promise<JobOutcome> {
    const guard = await guardJob(job, this.engine, this.repos, this.installationId);
    if (guard.kind === 'foreign') return handBack(job);
    if (guard.kind === 'stop') return { kind: 'hold' };
    if (guard.kind === 'unknown') {
      // not one of our cases (no reference): leave it to its timeout, do not guess an organisation
      this.log.error({ jobKey: job.key, processInstanceKey: job.processInstanceKey }, 'user task without a known case reference');
      return { kind: 'hold' };
    }
    const c = guard.case;
    const h = job.customHeaders;
    const name = this.catalogue.elementName(job.bpmnProcessId, job.elementId, job.processDefinitionKey);
    // A process may route one task to another organisation (a move: the municipality moved to)
    // through the local variables taskMunicipality / taskOrganisation of the user task.
    const taskMunicipality = Number.isInteger(job.variables.taskMunicipality) ? (job.variables.taskMunicipality as number) : c.municipality;
    const taskOrganisation =
      typeof job.variables.taskOrganisation === 'string' ? job.variables.taskOrganisation : taskMunicipality !== c.municipality ? municipalityOrganisationId(taskMunicipality) : c.organisationId;
    const { created } = await this.repos.tasks.upsertActivated({
      id: job.key,
      caseId: c.id,
      caseReference: c.reference,
      applicantName: `${c.applicant.firstName} ${c.applicant.lastName}`,
      serviceKey: c.serviceKey,
      municipality: taskMunicipality,
      organisationId: taskOrganisation,
      name,
      elementId: job.elementId,
      processInstanceKey: job.processInstanceKey,
      elementInstanceKey: job.elementInstanceKey,
      formKey: h[`${HEADER}formKey`] ?? null,
      processDefinitionKey: job.processDefinitionKey,
      candidateGroups: parseList(h[`${HEADER}candidateGroups`]),
      candidateUsers: parseList(h[`${HEADER}candidateUsers`]),
      assignee: h[`${HEADER}assignee`] || null,
      dueDate: (await this.workingDayDue(c.id, c.serviceKey, job.elementId)) ?? toIsoInstant(h[`${HEADER}dueDate`]),
      followUpDate: toIsoInstant(h[`${HEADER}followUpDate`]),
      retries: job.retries,
      variables: job.variables,
    });
    if (created) {
      await this.repos.timeline.append({ caseId: c.id, type: 'task.created', actor: 'system', label: `Aufgabe «${name}» erstellt`, details: { taskId: job.key, elementId: job.elementId } });
      if (h[`${HEADER}assignee`]) await this.removedTasks.routeToDeputy?.(job.key);
    }
    void this.reconcileInstance(job.processInstanceKey, job.key);
    return { kind: 'hold' };
  }

  /**
   * The due date of a task with a budget in Lucerne working days (property task.workingDays):
   * counted from the first time this step of the case reached an inbox, moved on by the working
   * days the case waited for the applicant since then (a Rückfrage pauses the clock; the task that
   * comes back after the answer keeps its original clock instead of starting a new one).
   */
  private async workingDayDue(caseId: number, serviceKey: string, elementId: string): Promise<string | null> {
    const workingDays = this.catalogue.taskWorkingDays(serviceKey, elementId);
    if (workingDays === null) return null;
    const now = new Date();
    const clockStart = (await this.repos.tasks.firstCreatedAt(caseId, elementId)) ?? now.toISOString();
    const pauses = (await this.repos.infoRequests.forCase(caseId)).filter((r) => r.status !== 'cancelled' && r.requestedAt >= clockStart).map((r) => ({ from: r.requestedAt, to: r.answeredAt }));
    return dueAfterWorkingDays(new Date(clockStart), workingDays, pausedWorkingDays(pauses, now)).toISOString();
  }

  /**
   * Any new job of an instance means it moved on: its other open tasks may have been removed
   * by an interrupting event. Probe them (cheap: one call per open task of that instance).
   */
  async reconcileInstance(processInstanceKey: string, exceptJobKey?: string): Promise<void> {
    try {
      const open = await this.repos.tasks.openForProcessInstance(processInstanceKey);
      for (const task of open) {
        if (task.id === exceptJobKey) continue;
        await this.reconcileTask(task);
      }
    } catch (err) {
      this.log.warn({ err, processInstanceKey }, 'reconcile failed');
    }
  }

  /**
   * Slow sweep over all open tasks, oldest-checked first: catches instances that simply ended.
   * Claims its batch, so several processes sweeping share the work instead of repeating it.
   */
  async sweep(batch = 50, checkedBefore = new Date(Date.now() - this.sweepIntervalMs).toISOString()): Promise<void> {
    for (const task of await this.repos.tasks.claimTasksToReconcile(batch, checkedBefore)) await this.reconcileTask(task);
  }

  private async reconcileTask(task: TaskRecord): Promise<void> {
    if (await this.engine.jobExists(task.id, task.retries)) {
      await this.repos.tasks.touch(task.id);
    } else {
      await this.removedTasks.markCancelled(task, 'vom Prozess beendet');
    }
  }
}

function parseList(header: string | undefined): string[] {
  if (!header) return [];
  try {
    const value = JSON.parse(header);
    return Array.isArray(value) ? value.map(String) : [String(value)];
  } catch {
    return header
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }
}

/** Zeebe writes dates like "2026-11-25T16:37:53.116Z[Etc/UTC]": drop the zone id, normalise to UTC. */
export function toIsoInstant(header: string | undefined): string | null {
  if (!header) return null;
  const date = new Date(header.replace(/\[[^\]]*\]$/, ''));
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
