/**
 * The process-start outbox relay: starts one process instance per accepted submission.
 * Submissions are stored first (with an outbox record in the same transaction); this relay
 * retries with backoff while Zeebe is unreachable, so the public API never depends on the engine.
 * Any number of processes run it: each claims its rows with a lease (repositories/claims.ts), so
 * one process starts a case's instance; one that dies mid-start leaves the row to another after
 * the lease, and the instance guard cancels whichever of the two instances loses.
 */
import type { Logger } from 'pino';
import { Poller } from '../lib/poller';
import { processName } from '../lib/process-name';
import type { Catalogue } from '../processes/catalogue';
import type { Repositories } from '../repositories';
import { adoptInstance } from './instance-guard';
import { DEFAULT_TARGET_WORKING_DAYS, escalationDuration } from '../../model/working-days';
import type { Engine } from './zeebe';

const MAX_BACKOFF_MS = 10_000;
/** how long a claimed start stays with its process: far longer than one start takes */
const LEASE_MS = 60_000;
const BATCH = 20;

/**
 * Fault injection for the crash test only (NODE_ENV=test): exit right after the engine created
 * the instance and before the database knows it, the window exactly-once has to survive.
 */
function crashForTestIfAsked(): void {
  if (process.env.NODE_ENV === 'test' && process.env.TEST_CRASH_AFTER_INSTANCE_CREATED === 'true') {
    process.kill(process.pid, 'SIGKILL');
  }
}

export class ProcessStartRelay {
  private readonly loop = new Poller(
    () => this.drain(),
    (err) => this.log.error({ err }, 'process start relay failed'),
  );

  constructor(
    private readonly engine: Engine,
    private readonly repos: Repositories,
    private readonly catalogue: Catalogue,
    private readonly log: Logger,
    /** carried by every instance, so the instance guard of another installation leaves it alone */
    private readonly installationId: string,
    /** ESCALATION_AFTER: overrides every service's target processing time */
    private readonly escalateAfterOverride?: string,
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    this.loop.start(this.intervalMs);
  }

  stop(): void {
    this.loop.stop();
  }

  /** Run now (called right after a submission is stored). */
  kick(): void {
    this.loop.kick();
  }

  private async drain(): Promise<void> {
    // checked before each claim: a stopping process claims nothing it would leave to the lease
    while (this.loop.started) {
      const due = await this.repos.cases.claimDueProcessStarts(processName, new Date(Date.now() + LEASE_MS).toISOString(), BATCH);
      if (due.length === 0) return;
      const results = await Promise.all(due.map((entry) => this.startOne(entry)));
      if (results.some((ok) => !ok)) return; // engine trouble: wait for the next tick
    }
  }

  private async startOne(entry: { id: number; caseId: number; attempts: number }): Promise<boolean> {
    const c = await this.repos.cases.getById(entry.caseId);
    if (!c) return true;
    try {
      const service = this.catalogue.get(c.serviceKey);
      // this installation's current version (its latest deployment), not Zeebe's latest: another
      // installation on the same cluster may have deployed the same process id since
      const current = await this.repos.deployments.currentVersion(c.serviceKey);
      const { processInstanceKey, processDefinitionKey } = await this.engine.startInstance(
        c.processId,
        {
          installationId: this.installationId,
          caseId: c.id,
          reference: c.reference,
          serviceKey: c.serviceKey,
          serviceName: service?.entry.name ?? c.serviceKey,
          municipality: c.municipality,
          applicant: c.applicant,
          data: c.data,
          // the signed-in person's verified identity: register matches use it, never typed data
          ...(c.identity ? { identity: c.identity } : {}),
          // the human tasks' escalation timers (=escalateAfter) run for the service's target time in
          // Lucerne working days from the submission (a case submitted on Friday with 2 days escalates
          // after Tuesday, not on Sunday)
          escalateAfter: this.escalateAfterOverride ?? escalationDuration(c.submittedAt, service?.entry.targetDays ?? DEFAULT_TARGET_WORKING_DAYS, [], new Date()),
        },
        current?.processId === c.processId ? current.version : undefined,
      );
      crashForTestIfAsked();
      // another instance adopted meanwhile (crash after create, a job got there first): keep only that one
      await adoptInstance(this.engine, this.repos, c.id, processDefinitionKey, processInstanceKey);
      return true;
    } catch (err) {
      const attempts = entry.attempts + 1;
      const backoff = Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(attempts, 10));
      this.log.warn({ reference: c.reference, attempts, err: (err as Error).message }, 'could not start process instance, will retry');
      await this.repos.cases.markProcessStartFailed(entry.id, attempts, new Date(Date.now() + backoff).toISOString(), String((err as Error).message));
      return false;
    }
  }
}
