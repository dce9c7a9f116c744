/**
 * The composition root: opens the database, loads the catalogue, connects the engine and wires
 * domain services, relays and workers. main.ts and the tests start the system through here.
 */
import type { Logger } from 'pino';
import type { Config } from './config/config';
import { isReachable, openDatabase } from './db/database';
import { createRepositories, type Repositories } from './repositories';
import { S3DocumentStore } from './repositories/s3-document-store';
import { ApplicantActions } from './domain/applicant-actions';
import { AuthService } from './domain/auth';
import { Catalogue } from './processes/catalogue';
import { CaseService } from './domain/cases';
import { DocumentUploads } from './domain/document-uploads';
import { CitizenAuthService } from './domain/citizen-auth';
import { Housekeeping } from './domain/housekeeping';
import { LoginThrottle, RateLimiter } from './domain/throttle';
import { MailSender } from './domain/mail-sender';
import { StatusCallbackRelay } from './domain/status-callback-relay';
import { PortalAdminService } from './domain/portal-admin';
import { SecretBox } from './domain/secret-box';
import { SubmissionService } from './domain/submissions';
import { TaskService } from './domain/tasks';
import { TaskEventHub } from './domain/task-events';
import { ProcessOwnerService } from './domain/process-owner';
import { deployProcesses } from './engine/deployment';
import { createDemoIdp, type DemoIdp } from './idp';
import { ProcessStartRelay } from './engine/process-start-relay';
import { UserTaskProjection } from './engine/user-tasks';
import { createWorkerPorts } from './engine/worker-ports';
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
  cases: CaseService;
  applicantActions: ApplicantActions;
  processOwner: ProcessOwnerService;
  incidents: IncidentService;
  portalAdmin: PortalAdminService;
  citizenAuth: CitizenAuthService;
  /** files applicants upload, streamed into the document store */
  uploads: DocumentUploads;
  /** the demo OpenID provider at /idp (demo mode and tests only) */
  idp: DemoIdp | undefined;
  isDatabaseReady(): Promise<boolean>;
  stop(): Promise<void>;
}

export async function startServices(config: Config, log: Logger): Promise<Services> {
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  const repos = createRepositories(db, config.s3 ? new S3DocumentStore(config.s3) : undefined);
  const uploads = new DocumentUploads(repos, log.child({ module: 'documents' }));
  await uploads.migrateLocalFiles(config.DATA_DIR);
  await seedReferenceData(db);
  if (config.DEMO_MODE) await seedDemoData(db, repos, config.DEMO_PASSWORD);

  const catalogue = await Catalogue.load(config.PROCESSES_DIR);
  const engine = new Engine(config.ZEEBE_ADDRESS, log.child({ module: 'engine' }));
  await deployProcesses(engine, catalogue, repos, log);

  const relay = new ProcessStartRelay(engine, repos, catalogue, log.child({ module: 'relay' }), config.ESCALATION_AFTER);
  const mail = new MailSender(repos, log.child({ module: 'mail' }), {
    smtpUrl: config.SMTP_URL,
    from: config.MAIL_FROM,
    dataDir: config.DATA_DIR,
    retryBaseMs: config.MAIL_RETRY_BASE_MS,
    maxAttempts: config.MAIL_MAX_ATTEMPTS,
    sendTimeoutMs: config.MAIL_SEND_TIMEOUT_MS,
  });
  const tasks = new TaskService(repos, catalogue, engine, log.child({ module: 'tasks' }));
  const userTasks = new UserTaskProjection(engine, repos, catalogue, tasks, log.child({ module: 'user-tasks' }), config.USER_TASK_JOB_TIMEOUT_HOURS * 3600_000);

  const incidents = new IncidentService(repos, engine, log.child({ module: 'incidents' }), config.publicBaseUrl);

  const runsWorkers = config.ROLE !== 'server';
  const runsServer = config.ROLE !== 'workers';
  if (runsWorkers) {
    const ports = createWorkerPorts(repos, catalogue, config.publicBaseUrl, () => mail.kick());
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
  }

  // demo and tests only; createDemoIdp refuses NODE_ENV=production
  const idp =
    config.DEMO_MODE && runsServer
      ? await createDemoIdp({
          publicBaseUrl: config.publicBaseUrl,
          demoPassword: config.DEMO_PASSWORD,
          einwohnerportalSecret: config.oidc!.clientSecret, // always set in demo mode
          nodeEnv: config.NODE_ENV,
          dataDir: config.DATA_DIR,
          trustProxy: config.TRUST_PROXY,
        })
      : undefined;

  return {
    repos,
    uploads,
    idp,
    citizenAuth: new CitizenAuthService(repos, catalogue, config.oidc, { publicBaseUrl: config.publicBaseUrl, sessionTtlHours: config.CITIZEN_SESSION_TTL_HOURS }),
    catalogue,
    engine,
    auth: new AuthService(
      repos,
      config.SESSION_TTL_HOURS,
      new LoginThrottle(
        repos,
        { maxFailuresPerAccount: config.LOGIN_MAX_FAILURES_PER_ACCOUNT, maxFailuresPerAddress: config.LOGIN_MAX_FAILURES_PER_ADDRESS, lockoutMs: config.LOGIN_LOCKOUT_SECONDS * 1000 },
        log.child({ module: 'login-throttle' }),
      ),
    ),
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
    taskEvents,
    cases: new CaseService(repos, catalogue),
    applicantActions: new ApplicantActions(repos, engine, log.child({ module: 'applicant' })),
    processOwner: new ProcessOwnerService(repos, catalogue, engine, new Set(Object.keys(workers)), log.child({ module: 'process-owner' })),
    incidents,
    portalAdmin: new PortalAdminService(repos, log.child({ module: 'admin' }), callbackSecrets),
    isDatabaseReady: () => isReachable(db),
    async stop() {
      relay.stop();
      taskEvents.close();
      housekeeping.stop();
      callbacks.stop();
      userTasks.stop();
      mail.stop();
      await engine.close();
      await db.destroy();
    },
  };
}
