/**
 * Every job is checked against its case before any side effect: the job's instance must be the
 * one instance the case owns. This closes the outbox's crash window (instance created, database
 * not yet updated): the first instance to reach a job is adopted, any other one is cancelled.
 * Jobs of withdrawn cases cancel their instance as well.
 */
import type { Repositories } from '../repositories';
import type { CaseRecord } from '../repositories/cases';
import type { ActivatedJob, Engine } from './zeebe';

export type GuardResult = { kind: 'proceed'; case: CaseRecord } | { kind: 'stop' } | { kind: 'unknown' };

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

export async function guardJob(job: ActivatedJob, engine: Engine, repos: Repositories): Promise<GuardResult> {
  const reference = job.variables.reference;
  const c = typeof reference === 'string' ? await repos.cases.getByReference(reference) : undefined;
  if (!c) return { kind: 'unknown' };
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
