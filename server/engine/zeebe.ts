/**
 * All access to the Zeebe engine goes through this module: the rest of the server never
 * imports zeebe-node. Keys are 64-bit numbers and stay strings everywhere.
 */
import tls from 'node:tls';
import { ZBClient, type ZBWorkerTaskHandler } from 'zeebe-node';
import type { Logger } from 'pino';
import { DependencyUnavailableError } from '../lib/unavailable';
import type { ZeebeConnection } from '../config/config';

const GRPC_NOT_FOUND = 5;
const GRPC_CANCELLED = 1;
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;
/** what a caller is told to wait before repeating a request the engine could not take */
const ENGINE_RETRY_AFTER_S = 10;
const JOB_POLL_INTERVAL_MS = 20;
/** pause before reopening a job stream that ended without delivering anything, times 1..5 */
const STREAM_RETRY_MS = 1000;
const WORKER_NAME = 'lu-workflow-backoffice';

export interface ActivatedJob {
  key: string;
  type: string;
  processInstanceKey: string;
  bpmnProcessId: string;
  processDefinitionKey: string;
  elementId: string;
  elementInstanceKey: string;
  retries: number;
  customHeaders: Record<string, string>;
  variables: Record<string, any>;
}

/** What a job handler tells the engine to do with the job. */
export type JobOutcome =
  | { kind: 'complete'; variables?: Record<string, unknown> }
  | { kind: 'bpmnError'; code: string; message: string }
  | { kind: 'fail'; message: string; retries: number; backoffMs: number }
  /** keep the job activated: it is completed later (human tasks) */
  | { kind: 'hold' };

export interface WorkerOptions {
  taskType: string;
  handler: (job: ActivatedJob) => Promise<JobOutcome>;
  timeoutMs: number;
  maxJobsToActivate?: number;
}

/** Told of every job handled here: its type, its outcome and how long the handler took. */
export type JobObserver = (type: string, outcome: JobOutcome['kind'] | 'incident', seconds: number) => void;

export class JobNotFoundError extends Error {
  constructor(jobKey: string) {
    super(`job ${jobKey} no longer exists in the engine`);
  }
}

export class Engine {
  private readonly client: ZBClient;
  private readonly jobStreams = new Set<{ cancel(): void }>();
  private readonly pollingWorkers: Array<{ close(timeoutMs?: number): Promise<unknown> }> = [];
  /** handlers running now, so a shutdown can wait for them */
  private readonly runningJobs = new Set<Promise<unknown>>();
  private observer: JobObserver = () => undefined;
  private closing = false;

  constructor(
    connection: ZeebeConnection,
    private readonly log: Logger,
  ) {
    this.client = new ZBClient(connection.address, {
      ...securityOptions(connection),
      loglevel: 'NONE',
      // fail fast: callers (the outbox relay, HTTP handlers) have their own retry policy
      retry: true,
      maxRetries: 2,
      maxRetryTimeout: 2000,
      longPoll: 30_000,
    } as any);
  }

  async isReady(): Promise<boolean> {
    try {
      const topology = await withTimeout(this.client.topology(), 2000);
      return topology.brokers.some((b) => b.partitions.some((p) => String(p.health) === 'HEALTHY' || String(p.health) === '0'));
    } catch {
      return false;
    }
  }

  async deployProcess(name: string, xml: string): Promise<{ processId: string; version: number; processDefinitionKey: string }> {
    // at start-up: a broker failing over or a loaded cluster must not end the process (a deploy of
    // an unchanged resource is idempotent in Zeebe, so a retry after a lost answer is harmless)
    const res = await engineCall(() => retryUnreachable(() => this.client.deployResource({ name, process: Buffer.from(xml) })));
    const process = res.deployments[0]!.process;
    return { processId: process.bpmnProcessId, version: process.version, processDefinitionKey: String(process.processDefinitionKey) };
  }

  /** `version`: the installation's current version; without it Zeebe's latest (which another installation on the cluster may have deployed). */
  async startInstance(bpmnProcessId: string, variables: Record<string, unknown>, version?: number): Promise<{ processInstanceKey: string; processDefinitionKey: string }> {
    const res = await engineCall(() => this.client.createProcessInstance({ bpmnProcessId, variables: variables as any, ...(version ? { version } : {}) }));
    return { processInstanceKey: String(res.processInstanceKey), processDefinitionKey: String(res.processDefinitionKey) };
  }

  async cancelInstance(processInstanceKey: string): Promise<void> {
    try {
      await engineCall(() => this.client.cancelProcessInstance(processInstanceKey));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** Completes a job; JobNotFoundError when the engine removed it (cancelled, interrupted). */
  async completeJob(jobKey: string, variables: Record<string, unknown>): Promise<void> {
    try {
      await engineCall(() => this.client.completeJob({ jobKey, variables: variables as any }));
    } catch (err) {
      if (isNotFound(err)) throw new JobNotFoundError(jobKey);
      throw err;
    }
  }

  /**
   * Whether a job still exists. zeebe-node 8.3 has no "get job" call; updating the retries to
   * their current value is a harmless probe that answers NOT_FOUND for a removed job.
   */
  async jobExists(jobKey: string, retries: number): Promise<boolean> {
    try {
      await engineCall(() => this.client.updateJobRetries({ jobKey, retries: Math.max(1, retries) }));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  async publishMessage(name: string, correlationKey: string, variables: Record<string, unknown>, messageId?: string): Promise<void> {
    await engineCall(() => this.client.publishMessage({ name, correlationKey, variables: variables as any, messageId, timeToLive: 60_000 }));
  }

  /**
   * Runs a handler for every job of a type. Jobs are pushed to us through a job stream
   * (StreamActivatedJobs: the broker activates and sends a job in the same step that creates
   * it); a long-polling worker beside it picks up what no stream received: jobs that existed
   * before the stream opened, jobs made activatable again (timeouts, retries) and jobs created
   * while the stream was reconnecting.
   */
  startWorker(opts: WorkerOptions): void {
    this.openJobStream(opts);
    const worker = this.client.createWorker({
      taskType: opts.taskType,
      taskHandler: ((job: PolledJob) => this.runPolledJob(job, opts)) as ZBWorkerTaskHandler,
      timeout: opts.timeoutMs,
      maxJobsToActivate: opts.maxJobsToActivate ?? 32,
      // pause between two activation requests. Each request long-polls (the broker answers as
      // soon as a job exists), so a short pause costs no busy polling; zeebe-node's default of
      // 300 ms was added to every one of a process's job hops.
      pollInterval: JOB_POLL_INTERVAL_MS,
      failProcessOnException: false,
    } as any);
    this.pollingWorkers.push(worker);
  }

  observeJobs(observer: JobObserver): void {
    this.observer = observer;
  }

  /**
   * Stops taking jobs (streams cancelled, polling workers closed) and waits until the handlers
   * running now have finished or `deadline` (epoch ms) has passed. Jobs not finished stay
   * activated and come back after their timeout; the handlers are idempotent.
   */
  async stopTakingJobs(deadline: number): Promise<void> {
    this.closing = true;
    for (const call of this.jobStreams) call.cancel();
    const remaining = () => Math.max(0, deadline - Date.now());
    const closed = Promise.all(this.pollingWorkers.map((w) => w.close(remaining()).catch(() => undefined)));
    await Promise.race([Promise.all([closed, Promise.allSettled([...this.runningJobs])]), sleep(remaining())]);
  }

  private runPolledJob(job: PolledJob, opts: WorkerOptions) {
    return this.runJob(toActivatedJob(job), opts, {
      complete: (variables) => job.complete(variables as any),
      error: (code, message) => job.error(code, message),
      fail: (failure) => job.fail(failure),
      hold: () => job.forward(),
    });
  }

  private async runStreamedJob(raw: RawStreamedJob, opts: WorkerOptions): Promise<void> {
    const job = toActivatedJob({ ...raw, variables: parseJsonObject(raw.variables), customHeaders: parseJsonObject(raw.customHeaders) });
    try {
      await this.runJob(job, opts, {
        complete: (variables) => this.client.completeJob({ jobKey: job.key, variables: variables as any }),
        error: (errorCode, errorMessage) => this.client.throwError({ jobKey: job.key, errorCode, errorMessage }),
        fail: (failure) => this.client.failJob({ jobKey: job.key, ...failure }),
        hold: () => undefined,
      });
    } catch (err) {
      // the job stays activated and comes back after its timeout; the handlers are idempotent
      this.log.warn({ jobKey: job.key, type: job.type, err: (err as Error).message }, 'could not report a job outcome');
    }
  }

  /** Runs the handler and reports its outcome through the way the job arrived (poll or stream). */
  private async runJob<T>(job: ActivatedJob, opts: WorkerOptions, report: JobReporter<T>): Promise<T> {
    const run = this.reportJob(job, opts, report);
    this.runningJobs.add(run);
    try {
      return await run;
    } finally {
      this.runningJobs.delete(run);
    }
  }

  private async reportJob<T>(job: ActivatedJob, opts: WorkerOptions, report: JobReporter<T>): Promise<T> {
    const started = performance.now();
    const outcome = await runHandler(opts, job);
    // a failure with no retries left becomes an incident in the engine
    this.observer(job.type, outcome.kind === 'fail' && outcome.retries <= 0 ? 'incident' : outcome.kind, (performance.now() - started) / 1000);
    switch (outcome.kind) {
      case 'complete':
        return report.complete(outcome.variables ?? {});
      case 'bpmnError':
        // the message says why, in the applicant's words: the decline letter and mail give it as the
        // reason. Not as ThrowError's variables: those stay in the catch event's local scope unless
        // every boundary event maps them out (tried: the letter lost its reason). Set first, so a
        // retry after a lost error report sets it again.
        await this.client.setVariables({ elementInstanceKey: job.processInstanceKey, variables: { declineReason: outcome.message }, local: false });
        return report.error(outcome.code, outcome.message);
      case 'fail':
        this.log.warn({ jobKey: job.key, type: job.type, err: outcome.message }, 'job failed');
        return report.fail({ errorMessage: outcome.message, retries: Math.max(0, outcome.retries), retryBackOff: outcome.backoffMs });
      case 'hold':
        return report.hold();
    }
  }

  /** One push stream per job type, reopened when it ends (broker restart, network trouble). */
  private openJobStream(opts: WorkerOptions, attempt = 0): void {
    if (this.closing) return;
    const grpc = (this.client as unknown as { grpc: GrpcWrapper }).grpc;
    // the raw gRPC call bypasses zeebe-node's per-call credentials: ask it for them (OAuth token)
    grpc.getAuthToken().then(
      (metadata) => this.streamJobs(grpc.client, metadata, opts, attempt),
      (err: Error) => {
        this.log.warn({ type: opts.taskType, err: err.message }, 'no token for the job stream');
        this.reopenJobStream(opts, Math.min(attempt + 1, 5));
      },
    );
  }

  private streamJobs(grpc: GrpcJobStreamClient, metadata: unknown, opts: WorkerOptions, attempt: number): void {
    if (this.closing) return;
    const call = grpc.StreamActivatedJobs({ type: opts.taskType, worker: WORKER_NAME, timeout: opts.timeoutMs, fetchVariable: [], tenantIds: [] }, metadata);
    this.jobStreams.add(call);
    let received = false;
    call.on('data', (raw: RawStreamedJob) => {
      received = true;
      void this.runStreamedJob(raw, opts);
    });
    call.on('error', (err: Error & { code?: number }) => {
      if (!this.closing && err.code !== GRPC_CANCELLED) this.log.debug({ type: opts.taskType, err: err.message }, 'job stream ended');
    });
    call.on('status', () => {
      this.jobStreams.delete(call);
      this.reopenJobStream(opts, received ? 0 : Math.min(attempt + 1, 5));
    });
  }

  private reopenJobStream(opts: WorkerOptions, attempt: number): void {
    setTimeout(() => this.openJobStream(opts, attempt), STREAM_RETRY_MS * attempt).unref();
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const call of this.jobStreams) call.cancel();
    await this.client.close(5000);
  }
}

type PolledJob = Parameters<ZBWorkerTaskHandler>[0];

/** How a job's outcome goes back to the engine: zeebe-node's job object, or client calls by key. */
interface JobReporter<T> {
  complete(variables: Record<string, unknown>): T | Promise<T>;
  error(code: string, message: string): T | Promise<T>;
  fail(failure: { errorMessage: string; retries: number; retryBackOff: number }): T | Promise<T>;
  hold(): T | Promise<T>;
}

/** A job as StreamActivatedJobs delivers it: variables and headers still JSON text. */
interface RawStreamedJob extends Omit<ActivatedJob, 'variables' | 'customHeaders' | 'processDefinitionKey'> {
  processDefinitionKey: string;
  variables: string;
  customHeaders: string;
}

/** The part of zeebe-node's generated gRPC client we use for job streams (not in its typings). */
interface GrpcJobStreamClient {
  StreamActivatedJobs(request: { type: string; worker: string; timeout: number; fetchVariable: string[]; tenantIds: string[] }, metadata: unknown): NodeJS.EventEmitter & { cancel(): void };
}

/** zeebe-node's wrapper around it: `getAuthToken` gives the call metadata with the OAuth token. */
interface GrpcWrapper {
  client: GrpcJobStreamClient;
  getAuthToken(): Promise<unknown>;
}

/**
 * zeebe-node options for TLS and OAuth. Given explicitly, so zeebe-node's own reading of the
 * environment cannot add settings our config did not validate. The token endpoint is trusted
 * with the system's CAs plus the gateway's CA (zeebe-node would otherwise use the CA file alone
 * for it, and a public token endpoint such as Camunda SaaS's would fail).
 */
function securityOptions(c: ZeebeConnection) {
  const rootCerts = c.caPem ? Buffer.from(c.caPem) : undefined;
  return {
    useTLS: c.tls,
    customSSL: rootCerts ? { rootCerts } : {},
    oAuth: c.oauth && {
      url: c.oauth.url,
      clientId: c.oauth.clientId,
      clientSecret: c.oauth.clientSecret,
      audience: c.oauth.audience,
      scope: c.oauth.scope,
      // tokens stay in memory: no token files in the home folder of a server process
      cacheOnDisk: false,
      customRootCert: c.caPem ? Buffer.from([...tls.rootCertificates, c.caPem].join('\n')) : undefined,
    },
  };
}

function toActivatedJob(job: {
  key: string;
  type: string;
  processInstanceKey: string;
  bpmnProcessId: string;
  elementId: string;
  elementInstanceKey: string;
  retries: number;
  customHeaders: unknown;
  variables: unknown;
  processDefinitionKey?: string;
  processKey?: string;
}): ActivatedJob {
  return {
    key: String(job.key),
    type: job.type,
    processInstanceKey: String(job.processInstanceKey),
    bpmnProcessId: job.bpmnProcessId,
    // the gRPC field is processDefinitionKey; zeebe-node 8.3 types it as processKey
    processDefinitionKey: String(job.processDefinitionKey ?? job.processKey),
    elementId: job.elementId,
    elementInstanceKey: String(job.elementInstanceKey),
    retries: job.retries,
    customHeaders: job.customHeaders as Record<string, string>,
    variables: job.variables as Record<string, any>,
  };
}

async function runHandler(opts: WorkerOptions, job: ActivatedJob): Promise<JobOutcome> {
  try {
    return await opts.handler(job);
  } catch (err) {
    return { kind: 'fail', message: String((err as Error).message ?? err), retries: job.retries - 1, backoffMs: 5000 };
  }
}

function parseJsonObject(text: string): Record<string, any> {
  const value = text ? JSON.parse(text) : {};
  return typeof value === 'object' && value !== null ? value : {};
}

/** A call to the engine; the engine being unreachable becomes DependencyUnavailableError (HTTP 503). */
async function engineCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (isUnreachable(err)) throw new DependencyUnavailableError('Zeebe', ENGINE_RETRY_AFTER_S, { cause: err });
    throw err;
  }
}

function isUnreachable(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  // grpc-js reports a connection dropped in the middle of a call (gateway restart, a proxy or load
  // balancer closing it) as CANCELLED; this server never cancels an engine call of a request itself
  if (code === GRPC_UNAVAILABLE || code === GRPC_DEADLINE_EXCEEDED || code === GRPC_CANCELLED) return true;
  return /\b(14 UNAVAILABLE|4 DEADLINE_EXCEEDED|1 CANCELLED|ECONNREFUSED)\b/.test(String((err as Error)?.message ?? ''));
}

const UNREACHABLE_ATTEMPTS = 5;

/** Retries a call while the engine is unreachable or slow (UNAVAILABLE, DEADLINE_EXCEEDED), with growing pauses. */
async function retryUnreachable<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (attempt >= UNREACHABLE_ATTEMPTS || !isUnreachable(err)) throw err;
      await new Promise((r) => setTimeout(r, 2000 * attempt));
    }
  }
}

export function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: number }).code === GRPC_NOT_FOUND;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
}
