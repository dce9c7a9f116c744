/**
 * Runs the job workers of workers/ against the engine: one Zeebe worker per job type. Every
 * step is written to the case timeline; business errors become BPMN errors where the model
 * catches their code (else an incident of the back office at once), anything else a failed job
 * that Zeebe retries, and after the last retry an incident of the back office.
 *
 * Why the back office owns the incident instead of letting Zeebe raise one (retries 0): Zeebe
 * 8.5's gRPC gateway has no query for incidents and answers FailJob without the incident key, yet
 * ResolveIncident needs that key (camunda/camunda#4299, #16580); only an exporter (Operate,
 * Elasticsearch, a custom one) learns it, and an exporter has to be installed in every broker of
 * the cluster the installation uses. Instead, the last failure opens a row in `incidents` (one per
 * job key, shared by all processes) and *parks* the job: it is failed with one retry left and a
 * back-off of PARK_MS, so it stays in Zeebe, comes back every PARK_MS to any worker process, and
 * is failed again without running the handler while the incident is open. "Retry" marks the row
 * `retrying`: the next activation runs the handler once; success resolves the incident, failure
 * opens it again. Cancelling the case cancels the instance with its job.
 */
import type { Logger } from 'pino';
import type { Catalogue } from '../processes/catalogue';
import type { Repositories } from '../repositories';
import { BusinessError, type JobInput, type WorkerHandler, type WorkerPorts } from '../../workers/ports';
import { guardJob, handBack } from './instance-guard';
import type { ActivatedJob, Engine, JobOutcome } from './zeebe';

/** How often a parked job comes back (and so the longest wait between "retry" and the step running). */
export const PARK_MS = 10_000;
/** Back-off between the automatic retries before the incident. */
const RETRY_BACKOFF_MS = 5000;

interface RuntimeOptions {
  engine: Engine;
  ports: WorkerPorts;
  repos: Repositories;
  catalogue: Catalogue;
  log: Logger;
  onJobActivated: (job: ActivatedJob) => void;
  /** an incident was opened by this process (exactly once per opening across all processes) */
  onIncidentOpened: (jobKey: string) => Promise<void>;
  /** this installation's id: jobs of other installations' instances are handed back */
  installationId: string;
}

export function startServiceWorkers(opts: RuntimeOptions & { workers: Record<string, WorkerHandler> }): void {
  for (const [taskType, handler] of Object.entries(opts.workers)) {
    opts.engine.startWorker({
      taskType,
      timeoutMs: 60_000,
      handler: (job) => runJob(job, handler, opts),
    });
  }
}

async function runJob(job: ActivatedJob, handler: WorkerHandler, opts: RuntimeOptions): Promise<JobOutcome> {
  const { engine, ports, repos, catalogue, log, onJobActivated } = opts;
  const guard = await guardJob(job, engine, repos, opts.installationId);
  if (guard.kind === 'foreign') return handBack(job);
  if (guard.kind === 'stop') return { kind: 'hold' }; // the instance was cancelled with its job
  if (guard.kind === 'unknown') return { kind: 'fail', message: 'job without a known case reference', retries: job.retries - 1, backoffMs: 10_000 };
  const c = guard.case;
  const incident = await repos.incidents.stateOfJob(job.key);
  if (incident === 'open' || incident === 'cancelled') return parked('Störung offen: wartet auf «Erneut versuchen» im Backoffice');
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
    if (incident === 'retrying' && (await repos.incidents.resolveJob(job.key))) {
      await repos.timeline.append({ caseId: c.id, type: 'incident.resolved', actor: 'system', label: `Störung bei «${step}» behoben`, details: { jobKey: job.key } });
    }
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
      // an error the model does not catch would become a Zeebe incident nobody here can see or
      // resolve (see the top): it becomes an incident of the back office instead
      if (!catalogue.catchesError(job.elementId, err.code, job.processDefinitionKey)) {
        log.error({ jobKey: job.key, type: job.type, code: err.code }, 'BPMN error without a handler in the model');
        return openIncident(job, c.id, step, `Fachlicher Fehler ${err.code} ohne Fehlerbehandlung im Prozessmodell: ${err.message}`, opts);
      }
      await repos.timeline.append({ caseId: c.id, type: 'worker.business_error', actor: 'system', label: `${step}: ${err.message}`, details: { code: err.code } });
      return { kind: 'bpmnError', code: err.code, message: err.message };
    }
    const message = (err as Error).message ?? String(err);
    log.error({ err, jobKey: job.key, type: job.type }, 'worker failed');
    if (job.retries > 1) return { kind: 'fail', message, retries: job.retries - 1, backoffMs: RETRY_BACKOFF_MS };
    return openIncident(job, c.id, step, message, opts);
  }
}

/** Opens the back office's incident of this job (once across all processes) and parks the job. */
async function openIncident(job: ActivatedJob, caseId: number, step: string, message: string, opts: RuntimeOptions): Promise<JobOutcome> {
  const { repos, log } = opts;
  const opened = await repos.incidents.open({
    jobKey: job.key,
    caseId,
    processInstanceKey: job.processInstanceKey,
    elementInstanceKey: job.elementInstanceKey,
    bpmnProcessId: job.bpmnProcessId,
    elementId: job.elementId,
    step,
    jobType: job.type,
    errorMessage: message,
  });
  if (opened) {
    await repos.timeline.append({ caseId, type: 'worker.incident', actor: 'system', label: `Störung bei «${step}»: ${message}`, details: { jobKey: job.key } });
    await opts.onIncidentOpened(job.key).catch((err) => log.error({ err, jobKey: job.key }, 'incident alert failed'));
  }
  return parked(message);
}

/** Keeps the job in Zeebe without an engine incident (see the comment at the top). */
function parked(message: string): JobOutcome {
  return { kind: 'fail', message, retries: 1, backoffMs: PARK_MS };
}
