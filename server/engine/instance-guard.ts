/**
 * Every job is checked against its case before any side effect: the job's instance must be the
 * one instance the case owns. This closes the outbox's crash window (instance created, database
 * not yet updated): the first instance to reach a job is adopted, any other one is cancelled.
 * Jobs of withdrawn cases cancel their instance as well.
 *
 * Every instance carries the id of the installation that started it and its case id
 * (`installationId`, `caseId`; process-start-relay.ts): several installations may share one Zeebe
 * cluster (and its job types), and their references collide (each counts LU-2026-000001 ...). A
 * job of another installation's instance is handed back untouched; it never reaches our cases.
 */
import type { Repositories } from '../repositories';
import type { CaseRecord } from '../repositories/cases';
import type { ActivatedJob, Engine, JobOutcome } from './zeebe';

export type GuardResult = { kind: 'proceed'; case: CaseRecord } | { kind: 'stop' } | { kind: 'unknown' } | { kind: 'foreign' };

/**
 * Hands a job of another installation back to the engine at once without using up a retry, so
 * that installation's workers (which see the same job type) can take it.
 */
export const handBack = (job: ActivatedJob): JobOutcome => ({ kind: 'fail', message: 'job of another installation', retries: job.retries, backoffMs: 0 });

/**
 * Makes an instance the case's one instance if it has none: writes "process.started" when this
 * call adopted it, cancels the instance when the case owns another one.
 */
export async function adoptInstance(engine: Engine, repos: Repositories, caseId: number, processDefinitionKey: string, processInstanceKey: string, details: Record<string, unknown> = {}) {
  const adoption = await repos.cases.adoptProcessInstance(caseId, processDefinitionKey, processInstanceKey);
  if (adoption === 'adopted') {
    await repos.timeline.append({ caseId, type: 'process.started', actor: 'system', label: 'Prozess gestartet', details: { processInstanceKey, ...details } });
  } else if (adoption === 'other') {
    await cancelDuplicateInstance(engine, repos, caseId, processInstanceKey);
  }
  // 'already': a concurrent call adopted this same instance and wrote the event
  return adoption;
}

async function cancelDuplicateInstance(engine: Engine, repos: Repositories, caseId: number, processInstanceKey: string): Promise<void> {
  await engine.cancelInstance(processInstanceKey);
  await repos.timeline.append({ caseId, type: 'process.duplicate_cancelled', actor: 'system', label: 'Doppelt gestarteter Prozess abgebrochen', details: { processInstanceKey } });
}

export async function guardJob(job: ActivatedJob, engine: Engine, repos: Repositories, installationId: string): Promise<GuardResult> {
  const { reference, caseId, installationId: owner } = job.variables;
  // instances started before installation ids existed carry none: they are ours (one installation then)
  if (owner !== undefined && owner !== installationId) return { kind: 'foreign' };
  const c = typeof caseId === 'number' ? await repos.cases.getById(caseId) : typeof reference === 'string' ? await repos.cases.getByReference(reference) : undefined;
  if (!c || c.reference !== reference) return { kind: 'unknown' };
  if (c.processInstanceKey !== job.processInstanceKey) {
    if (c.processInstanceKey !== null) {
      await cancelDuplicateInstance(engine, repos, c.id, job.processInstanceKey);
      return { kind: 'stop' };
    }
    if ((await adoptInstance(engine, repos, c.id, job.processDefinitionKey, job.processInstanceKey, { adopted: true })) === 'other') return { kind: 'stop' };
  }
  if (c.status === 'withdrawn') {
    await engine.cancelInstance(job.processInstanceKey);
    return { kind: 'stop' };
  }
  return { kind: 'proceed', case: { ...c, processInstanceKey: job.processInstanceKey } };
}
