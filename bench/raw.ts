/**
 * Raw engine baseline: zeebe-node alone against the same broker, with the same job activation as
 * the server's Engine (server/engine/zeebe.ts): a job stream per job type (StreamActivatedJobs,
 * the broker pushes each job as it is created) beside a long-polling worker (long poll 30 s,
 * 20 ms between polls, 32/100 jobs per activation). BENCH_RAW_ACTIVATION=poll leaves the streams
 * out, for comparison.
 * Process shape "brief": one service task, then one job-worker user task (a bpmn:userTask without
 * zeebe:userTask, job type io.camunda.zeebe:userTask). Shape "full": the same number of jobs as
 * the wohnsitzbestaetigung human path (2 service tasks, the user task, 4 service tasks), each
 * service task with its own job type as in our process.
 * One cycle = create instance, complete every job as soon as it is activated, instance ends.
 */
import crypto from 'node:crypto';
import { ZBClient } from 'zeebe-node';
import { closedLoop, dist, now, type Dist } from './lib';

const USER_TASK = 'io.camunda.zeebe:userTask';

export type Shape = 'brief' | 'full';
const shapes: Record<Shape, { before: number; after: number }> = { brief: { before: 1, after: 0 }, full: { before: 2, after: 4 } };

/**
 * Job type of a service task. Like our process (case-status, register-lookup, certificate-generate,
 * ...), every service task of the "full" shape has its own job type and so its own worker and
 * long poll; "brief" has one.
 */
function serviceType(shape: Shape, elementId: string): string {
  return shape === 'brief' ? 'bench-service' : `bench-${elementId}`;
}

export function shapeBpmn(shape: Shape): { processId: string; xml: string } {
  const { before, after } = shapes[shape];
  const processId = `bench-raw-${shape}`;
  const els: string[] = [];
  const ids: string[] = ['start'];
  for (let i = 1; i <= before; i++) {
    ids.push(`pre${i}`);
    els.push(`<bpmn:serviceTask id="pre${i}" name="pre ${i}"><bpmn:extensionElements><zeebe:taskDefinition type="${serviceType(shape, `pre${i}`)}" /></bpmn:extensionElements></bpmn:serviceTask>`);
  }
  ids.push('human');
  els.push(
    `<bpmn:userTask id="human" name="Prüfen"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="einwohnerdienste" />` +
      `<zeebe:formDefinition formKey="wohnsitz-pruefen" /><zeebe:taskSchedule dueDate="=now() + duration(&quot;P2D&quot;)" /></bpmn:extensionElements></bpmn:userTask>`,
  );
  for (let i = 1; i <= after; i++) {
    ids.push(`post${i}`);
    els.push(`<bpmn:serviceTask id="post${i}" name="post ${i}"><bpmn:extensionElements><zeebe:taskDefinition type="${serviceType(shape, `post${i}`)}" /></bpmn:extensionElements></bpmn:serviceTask>`);
  }
  ids.push('end');
  const flows = ids.slice(1).map((id, i) => `<bpmn:sequenceFlow id="f${i}" sourceRef="${ids[i]}" targetRef="${id}" />`);
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs-${processId}" targetNamespace="http://bench">
  <bpmn:process id="${processId}" isExecutable="true">
    <bpmn:startEvent id="start" />
    ${els.join('\n    ')}
    <bpmn:endEvent id="end" />
    ${flows.join('\n    ')}
  </bpmn:process>
</bpmn:definitions>`;
  return { processId, xml };
}

export interface RawLevel {
  shape: Shape;
  concurrency: number;
  instances: number;
  errors: number;
  instancesPerS: number;
  /** create → first job in the worker, and complete(previous job) → next job in the worker */
  activationMs: Dist;
  /** create request → last job completed (instance done) */
  cycleMs: Dist;
}

/** Applicant-sized payload, as our process carries (~0.5 kB). */
function payload(id: string) {
  return {
    benchId: id,
    reference: `BENCH-${id.slice(0, 8)}`,
    serviceKey: 'wohnsitzbestaetigung',
    serviceName: 'Wohnsitzbestätigung',
    municipality: 1061,
    applicant: {
      firstName: 'Testperson',
      lastName: `Unbekannt${id.slice(0, 6)}`,
      dateOfBirth: '1990-05-17',
      email: 'test@example.ch',
      address: { street: 'Musterweg', houseNumber: '1', postalCode: '6003', town: 'Luzern' },
    },
    data: { copies: 1, purpose: 'Benchmark' },
  };
}

export class RawBench {
  private readonly zbc: ZBClient;
  private readonly pending = new Map<string, { ready: number; done: () => void }>();
  private activations: number[] = [];

  constructor(address: string) {
    this.zbc = new ZBClient(address, {
      useTLS: false,
      loglevel: 'NONE',
      retry: true,
      maxRetries: 2,
      maxRetryTimeout: 2000,
      longPoll: 30_000,
      pollInterval: Number(process.env.BENCH_RAW_POLL_MS ?? 20),
    } as any);
  }

  async start(): Promise<void> {
    for (const shape of Object.keys(shapes) as Shape[]) {
      const { processId, xml } = shapeBpmn(shape);
      await this.zbc.deployResource({ name: `${processId}.bpmn`, process: Buffer.from(xml) });
    }
    const onJob = async (job: any, last: boolean, complete: () => Promise<unknown>, forward: () => unknown) => {
      const p = this.pending.get(job.variables.benchId);
      if (!p) return forward(); // not ours (e.g. a user task of the app's own processes)
      const t = now();
      this.activations.push(t - p.ready);
      p.ready = now();
      const res = await complete();
      if (last) p.done();
      return res;
    };
    const worker = (taskType: string, isLast: (job: any) => boolean, maxJobsToActivate: number) => {
      if (process.env.BENCH_RAW_ACTIVATION !== 'poll')
        this.openStream(taskType, (job) =>
          onJob(
            job,
            isLast(job),
            () => this.zbc.completeJob({ jobKey: job.key, variables: {} }),
            () => {},
          ),
        );
      this.zbc.createWorker({
        taskType,
        taskHandler: (job: any) =>
          onJob(
            job,
            isLast(job),
            () => job.complete(),
            () => job.forward(),
          ),
        maxJobsToActivate,
        timeout: 60_000,
        failProcessOnException: false,
      } as any);
    };
    // a job-worker user task is activated like any job; the benchmark "human" completes it at once
    const serviceTypes = new Set<string>(['bench-service']);
    for (let i = 1; i <= shapes.full.before; i++) serviceTypes.add(serviceType('full', `pre${i}`));
    for (let i = 1; i <= shapes.full.after; i++) serviceTypes.add(serviceType('full', `post${i}`));
    for (const taskType of serviceTypes) worker(taskType, (job) => job.elementId === this.lastPost, 32);
    worker(USER_TASK, (job) => job.bpmnProcessId === 'bench-raw-brief', 100);
  }

  private readonly streams: Array<{ cancel(): void }> = [];

  /** zeebe-node 8.3 has no job-stream API: the generated gRPC client has the call. */
  private openStream(type: string, onJob: (job: any) => unknown): void {
    const call = (this.zbc as any).grpc.client.StreamActivatedJobs({ type, worker: 'bench-raw', timeout: 60_000, fetchVariable: [], tenantIds: [] });
    call.on('data', (job: any) => void onJob({ ...job, variables: JSON.parse(job.variables || '{}') }));
    call.on('error', () => {}); // cancelled on close
    this.streams.push(call);
  }

  private lastPost = `post${shapes.full.after}`;

  private async cycle(shape: Shape, cycles: number[]): Promise<void> {
    const id = crypto.randomUUID();
    const t0 = now();
    const finished = new Promise<void>((done) => this.pending.set(id, { ready: t0, done }));
    try {
      await this.zbc.createProcessInstance({ bpmnProcessId: `bench-raw-${shape}`, variables: payload(id) as any });
      await withTimeout(finished, 60_000, `instance ${id} did not finish`);
      cycles.push(now() - t0);
    } finally {
      this.pending.delete(id);
    }
  }

  async level(shape: Shape, concurrency: number, seconds: number): Promise<RawLevel> {
    this.activations = [];
    const cycles: number[] = [];
    const r = await closedLoop(concurrency, seconds, () => this.cycle(shape, cycles));
    return { shape, concurrency, instances: r.cycles, errors: r.errors, instancesPerS: r.perSecond, activationMs: dist(this.activations), cycleMs: dist(cycles) };
  }

  async warmUp(): Promise<void> {
    for (const shape of Object.keys(shapes) as Shape[]) await closedLoop(4, 2, () => this.cycle(shape, []));
  }

  async close(): Promise<void> {
    for (const call of this.streams) call.cancel();
    await this.zbc.close(2000).catch(() => {});
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(what)), ms)))]).finally(() => clearTimeout(timer));
}
