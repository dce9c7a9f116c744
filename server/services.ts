/**
 * The composition root: opens the database, loads the catalogue, connects the engine and wires
 * domain services, relays and workers. main.ts and the tests start the system through here.
 */
import type { Logger } from 'pino';
import type { Config } from './config/config';
import { isReachable, openDatabase, poolStats } from './db/database';
import { Metrics, cached } from './lib/metrics';
import { pollerRunsEnded } from './lib/poller';
import { createRepositories, type Repositories } from './repositories';
import { S3DocumentStore } from './repositories/s3-document-store';
import { ApplicantActions } from './domain/applicant-actions';
import { AuthService } from './domain/auth';
import { Catalogue } from './processes/catalogue';
import { CaseService } from './domain/cases';
import { DocumentUploads } from './domain/document-uploads';
import { CitizenAuthService } from './domain/citizen-auth';
import { StaffSsoService } from './domain/staff-sso';
import { Housekeeping } from './domain/housekeeping';
import { AbsenceService } from './domain/absences';
import { LoginThrottle, RateLimiter } from './domain/throttle';
import { MailSender } from './domain/mail-sender';
import { StatusCallbackRelay } from './domain/status-callback-relay';
import { PortalAdminService } from './domain/portal-admin';
import { SecretBox } from './domain/secret-box';
import { SubmissionService } from './domain/submissions';
import { TaskService } from './domain/tasks';
import { TaskEventHub } from './domain/task-events';
import { ProcessOwnerService } from './domain/process-owner';
import { DeploymentFollower, deployProcesses } from './engine/deployment';
import { createDemoIdp, type DemoIdp } from './idp';
import { ProcessStartRelay } from './engine/process-start-relay';
import { UserTaskProjection } from './engine/user-tasks';
import { createWorkerPorts } from './engine/worker-ports';
import { createDocumentSeals } from './engine/document-seals';
import { IncidentService } from './domain/incidents';
import { startServiceWorkers } from './engine/worker-runtime';
import { Engine } from './engine/zeebe';
import { seedReferenceData } from '../migrations/seeds/reference';
import { seedDemoData } from '../migrations/seeds/demo';
import { workers } from '../workers';

export interface Services {
  repos: Repositories;
  catalogue: Catalogue;
  engine: Engine;
  auth: AuthService;
  /** rate limits shared by every process (counted in the database) */
  rateLimiter: RateLimiter;
  submissions: SubmissionService;
  tasks: TaskService;
  /** the live inbox's change feed (server-sent events) */
  taskEvents: TaskEventHub;
  absences: AbsenceService;
  cases: CaseService;
  applicantActions: ApplicantActions;
  processOwner: ProcessOwnerService;
  incidents: IncidentService;
  portalAdmin: PortalAdminService;
  citizenAuth: CitizenAuthService;
  /** staff single sign-on (STAFF_OIDC_*) and the login page's options */
  staffSso: StaffSsoService;
  /** files applicants upload, streamed into the document store */
  uploads: DocumentUploads;
  /** the demo OpenID provider at /idp (demo mode and tests only) */
  idp: DemoIdp | undefined;
  role: Config['ROLE'];
  metrics: Metrics;
  /** set when SIGTERM arrived: readiness answers 503, connections are closed after their answer */
  lifecycle: { draining: boolean };
  isDatabaseReady(): Promise<boolean>;
  /** Stops all background work and waits (until `deadline`, epoch ms) for running job handlers and relay runs. */
  drain(deadline: number): Promise<void>;
  /** Closes the Zeebe client and the database: after drain() and after the HTTP server closed. */
  close(): Promise<void>;
}

export async function startServices(config: Config, log: Logger): Promise<Services> {
  const documentStore = config.s3 ? new S3DocumentStore(config.s3) : undefined;
  const db = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    pool: { min: config.DATABASE_POOL_MIN, max: config.DATABASE_POOL_MAX },
    applicationName: `lu-backoffice-${config.ROLE}`,
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
    // seeded under the start-up lock: processes starting at once on an empty database seed once
    prepare: async (db) => {
      await seedReferenceData(db);
      if (config.DEMO_MODE) await seedDemoData(db, createRepositories(db, documentStore), config.DEMO_PASSWORD);
    },
  });
  const repos = createRepositories(db, documentStore);
  const uploads = new DocumentUploads(repos, log.child({ module: 'documents' }));
  await uploads.migrateLocalFiles(config.DATA_DIR);
  const installationId = config.INSTALLATION_ID ?? (await repos.installation.installationId());
  log.info({ installationId }, 'installation');

  const catalogue = await Catalogue.load(config.PROCESSES_DIR);
  const engine = new Engine(config.zeebe, log.child({ module: 'engine' }));
  const metrics = operationsMetrics(repos, db);
  engine.observeJobs((type, outcome, seconds) => metrics.jobFinished(type, outcome, seconds));
  // every role follows deploys made through other processes (catalogue, forms, names)
  const deployments = await DeploymentFollower.fromNow(catalogue, repos, log.child({ module: 'deployments' }));
  const deployRetry = await deployProcesses(engine, catalogue, repos, log);
  deployments.start();

  const relay = new ProcessStartRelay(engine, repos, catalogue, log.child({ module: 'relay' }), installationId, config.ESCALATION_AFTER);
  const mail = new MailSender(repos, log.child({ module: 'mail' }), {
    smtpUrl: config.SMTP_URL,
    from: config.MAIL_FROM,
    dataDir: config.DATA_DIR,
    retryBaseMs: config.MAIL_RETRY_BASE_MS,
    maxAttempts: config.MAIL_MAX_ATTEMPTS,
    sendTimeoutMs: config.MAIL_SEND_TIMEOUT_MS,
  });
  const tasks = new TaskService(repos, catalogue, engine, log.child({ module: 'tasks' }));
  const absences = new AbsenceService(repos, tasks, log.child({ module: 'absences' }));
  const userTasks = new UserTaskProjection(engine, repos, catalogue, tasks, log.child({ module: 'user-tasks' }), config.USER_TASK_JOB_TIMEOUT_HOURS * 3600_000, installationId);

  const incidents = new IncidentService(repos, engine, log.child({ module: 'incidents' }), config.publicBaseUrl);

  const runsWorkers = config.ROLE !== 'server';
  const runsServer = config.ROLE !== 'workers';
  if (runsWorkers) {
    const ports = createWorkerPorts(repos, catalogue, config.publicBaseUrl, () => mail.kick(), createDocumentSeals(config.documentSeals));
    startServiceWorkers({
      engine,
      workers,
      ports,
      repos,
      catalogue,
      log: log.child({ module: 'workers' }),
      onJobActivated: (job) => void userTasks.reconcileInstance(job.processInstanceKey),
      onIncidentOpened: async (jobKey) => {
        await incidents.opened(jobKey);
        mail.kick();
      },
      installationId,
    });
    userTasks.start();
    mail.start();
  }
  const housekeeping = new Housekeeping(repos, log.child({ module: 'housekeeping' }), config.IDEMPOTENCY_KEY_TTL_HOURS);
  const taskEvents = new TaskEventHub(repos.tasks, log.child({ module: 'task-events' }), config.TASK_EVENTS_POLL_MS);
  const callbackSecrets = new SecretBox(config.receiptSecret, 'status-callback-secret');
  const callbacks = new StatusCallbackRelay(
    repos,
    log.child({ module: 'status-callbacks' }),
    { retryBaseMs: config.CALLBACK_RETRY_BASE_MS, maxAttempts: config.CALLBACK_MAX_ATTEMPTS },
    callbackSecrets,
  );
  if (runsServer) {
    relay.start();
    housekeeping.start();
    callbacks.start();
    absences.start(config.ABSENCE_SWEEP_MS);
  }

  // demo and tests only; createDemoIdp refuses NODE_ENV=production
  const idp =
    config.DEMO_MODE && runsServer
      ? await createDemoIdp({
          publicBaseUrl: config.publicBaseUrl,
          demoPassword: config.DEMO_PASSWORD,
          einwohnerportalSecret: config.oidc!.clientSecret, // always set in demo mode
          backofficeSecret: config.staffOidc!.clientSecret, // always set in demo mode
          // the demo provider's staff directory is the users table (plus its own demo accounts)
          staffDirectory: { find: (username: string) => repos.users.findByUsername(username) },
          nodeEnv: config.NODE_ENV,
          dataDir: config.DATA_DIR,
          trustProxy: config.TRUST_PROXY,
        })
      : undefined;

  const auth = new AuthService(
    repos,
    config.SESSION_TTL_HOURS,
    new LoginThrottle(
      repos,
      { maxFailuresPerAccount: config.LOGIN_MAX_FAILURES_PER_ACCOUNT, maxFailuresPerAddress: config.LOGIN_MAX_FAILURES_PER_ADDRESS, lockoutMs: config.LOGIN_LOCKOUT_SECONDS * 1000 },
      log.child({ module: 'login-throttle' }),
    ),
    config.STAFF_LOCAL_LOGIN,
  );

  const lifecycle = { draining: false };
  return {
    repos,
    uploads,
    idp,
    role: config.ROLE,
    metrics,
    lifecycle,
    citizenAuth: new CitizenAuthService(repos, catalogue, config.oidc, { publicBaseUrl: config.publicBaseUrl, sessionTtlHours: config.CITIZEN_SESSION_TTL_HOURS }),
    catalogue,
    engine,
    auth,
    staffSso: new StaffSsoService(repos, auth, config.staffOidc, { publicBaseUrl: config.publicBaseUrl, localLogin: config.STAFF_LOCAL_LOGIN }),
    rateLimiter: new RateLimiter(repos),
    submissions: new SubmissionService(repos, catalogue, {
      publicBaseUrl: config.publicBaseUrl,
      receiptSecret: config.receiptSecret,
      onAccepted: () => {
        relay.kick();
        mail.kick();
      },
    }),
    tasks,
    absences,
    taskEvents,
    cases: new CaseService(repos, catalogue),
    applicantActions: new ApplicantActions(repos, engine, log.child({ module: 'applicant' }), catalogue, config.ESCALATION_AFTER),
    processOwner: new ProcessOwnerService(repos, catalogue, engine, new Set(Object.keys(workers)), log.child({ module: 'process-owner' })),
    incidents,
    portalAdmin: new PortalAdminService(repos, log.child({ module: 'admin' }), callbackSecrets),
    isDatabaseReady: () => isReachable(db),
    async drain(deadline) {
      lifecycle.draining = true;
      taskEvents.close();
      for (const background of [relay, housekeeping, callbacks, userTasks, mail, deployments, deployRetry, absences]) background.stop();
      const timeLeft = new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())).unref());
      await Promise.all([engine.stopTakingJobs(deadline), Promise.race([pollerRunsEnded(), timeLeft])]);
    },
    async close() {
      await engine.close();
      await db.destroy();
    },
  };
}

/** The metrics of this process plus the database's backlogs and pool (DESIGN.md §8). */
function operationsMetrics(repos: Repositories, db: Parameters<typeof poolStats>[0]): Metrics {
  const metrics = new Metrics();
  // one database read per few seconds, however often and by how many collectors it is scraped
  const backlogs = cached(() => repos.operations.backlogs());
  metrics.sampledGauge('lu_outbox_backlog', 'Rows waiting in an outbox (database-wide: every process reports the same value)', ['outbox'], async () => {
    const b = await backlogs();
    return [
      { labels: { outbox: 'process_starts' }, value: b.processStarts },
      { labels: { outbox: 'mail' }, value: b.mail },
      { labels: { outbox: 'status_callbacks' }, value: b.statusCallbacks },
    ];
  });
  metrics.sampledGauge('lu_open_tasks', 'Open human tasks (database-wide)', [], async () => [{ value: (await backlogs()).openTasks }]);
  metrics.sampledGauge('lu_db_pool_connections', "This process's database connections by state (used, free, pending acquires) and the pool's maximum", ['state'], () => {
    const p = poolStats(db);
    return Object.entries({ used: p.used, free: p.free, pending: p.pendingAcquires, max: p.max }).map(([state, value]) => ({ labels: { state }, value }));
  });
  return metrics;
}
