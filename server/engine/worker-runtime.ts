/**
 * Runs the job workers of workers/ against the engine: one Zeebe worker per job type. Every
 * step is written to the case timeline; business errors become BPMN errors, anything else a
 * failed job that Zeebe retries (and finally an incident).
 */
import type { Logger } from 'pino';
import type { Catalogue } from '../processes/catalogue';
import type { Repositories } from '../repositories';
import { BusinessError, type JobInput, type WorkerHandler, type WorkerPorts } from '../../workers/ports';
import { guardJob, handBack } from './instance-guard';
import type { ActivatedJob, Engine, JobOutcome } from './zeebe';

export function startServiceWorkers(opts: {
  engine: Engine;
  workers: Record<string, WorkerHandler>;
  ports: WorkerPorts;
  repos: Repositories;
  catalogue: Catalogue;
  log: Logger;
  onJobActivated: (job: ActivatedJob) => void;
  /** this installation's id: jobs of other installations' instances are handed back */
  installationId: string;
}): void {
  for (const [taskType, handler] of Object.entries(opts.workers)) {
    opts.engine.startWorker({
      taskType,
      timeoutMs: 60_000,
      handler: (job) => runJob(job, handler, opts),
    });
  }
}

async function runJob(
  job: ActivatedJob,
  handler: WorkerHandler,
  {
    engine,
    ports,
    repos,
    catalogue,
    log,
    onJobActivated,
    installationId,
  }: { engine: Engine; ports: WorkerPorts; repos: Repositories; catalogue: Catalogue; log: Logger; onJobActivated: (job: ActivatedJob) => void; installationId: string },
): Promise<JobOutcome> {
  const guard = await guardJob(job, engine, repos, installationId);
  if (guard.kind === 'foreign') return handBack(job);
  if (guard.kind === 'stop') return { kind: 'hold' }; // the instance was cancelled with its job
  if (guard.kind === 'unknown') return { kind: 'fail', message: 'job without a known case reference', retries: job.retries - 1, backoffMs: 10_000 };
  const c = guard.case;
  onJobActivated(job);
  const input: JobInput = {
    key: job.key,
    type: job.type,
    variables: job.variables as JobInput['variables'],
    headers: job.customHeaders,
    processInstanceKey: job.processInstanceKey,
    elementId: job.elementId,
  };
  const step = catalogue.elementName(job.bpmnProcessId, job.elementId, job.processDefinitionKey);
  try {
    const result = await handler(input, ports);
    await repos.timeline.append({
      caseId: c.id,
      type: 'worker.completed',
      actor: 'system',
      label: `Automatischer Schritt: ${step}`,
      details: { jobKey: job.key, jobType: job.type, elementId: job.elementId },
    });
    return { kind: 'complete', variables: result.variables };
  } catch (err) {
    if (err instanceof BusinessError) {
      await repos.timeline.append({ caseId: c.id, type: 'worker.business_error', actor: 'system', label: `${step}: ${err.message}`, details: { code: err.code } });
      return { kind: 'bpmnError', code: err.code, message: err.message };
    }
    const message = (err as Error).message ?? String(err);
    log.error({ err, jobKey: job.key, type: job.type }, 'worker failed');
    if (job.retries <= 1) {
      await repos.timeline.append({ caseId: c.id, type: 'worker.incident', actor: 'system', label: `Störung bei «${step}»: ${message}`, details: { jobKey: job.key } });
    }
    return { kind: 'fail', message, retries: job.retries - 1, backoffMs: 5000 };
  }
}
