/**
 * Every job is checked against its case before any side effect: the job's instance must be the
 * one instance the case owns. This closes the outbox's crash window (instance created, database
 * not yet updated): the first instance to reach a job is adopted, any other one is cancelled.
 * Jobs of withdrawn cases cancel their instance as well.
 */
import type { Repositories } from '../repositories';
import type { CaseRecord } from '../repositories/cases';
import { cancelDuplicateInstance } from './process-start-relay';
import type { ActivatedJob, Engine } from './zeebe';

export type GuardResult = { kind: 'proceed'; case: CaseRecord } | { kind: 'stop' } | { kind: 'unknown' };

export async function guardJob(job: ActivatedJob, engine: Engine, repos: Repositories): Promise<GuardResult> {
  const reference = job.variables.reference;
  const c = typeof reference === 'string' ? await repos.cases.getByReference(reference) : undefined;
  if (!c) return { kind: 'unknown' };
  if (c.processInstanceKey !== job.processInstanceKey) {
    const adoption = c.processInstanceKey === null ? await repos.cases.adoptProcessInstance(c.id, job.processDefinitionKey, job.processInstanceKey) : 'other';
    if (adoption === 'other') {
      await cancelDuplicateInstance(engine, repos, c.id, job.processInstanceKey);
      return { kind: 'stop' };
    }
    // 'already': another job of this instance was adopted at the same moment and wrote the event
    if (adoption === 'adopted') {
      await repos.timeline.append({ caseId: c.id, type: 'process.started', actor: 'system', label: 'Prozess gestartet', details: { processInstanceKey: job.processInstanceKey, adopted: true } });
    }
  }
  if (c.status === 'withdrawn') {
    await engine.cancelInstance(job.processInstanceKey);
    return { kind: 'stop' };
  }
  return { kind: 'proceed', case: { ...c, processInstanceKey: job.processInstanceKey } };
}
