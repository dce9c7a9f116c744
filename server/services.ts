/**
 * The composition root: opens the database, loads the catalogue, connects the engine and wires
 * domain services, relays and workers. main.ts and the tests start the system through here.
 */
import type { Logger } from 'pino';
import type { Config } from './config/config';
import { isReachable, openDatabase } from './db/database';
import { createRepositories, type Repositories } from './repositories';
import { ApplicantActions } from './domain/applicant-actions';
import { AuthService } from './domain/auth';
import { Catalogue } from './processes/catalogue';
import { CaseService } from './domain/cases';
import { CitizenAuthService } from './domain/citizen-auth';
import { Housekeeping } from './domain/housekeeping';
import { MailSender } from './domain/mail-sender';
import { StatusCallbackRelay } from './domain/status-callback-relay';
import { PortalAdminService } from './domain/portal-admin';
import { SecretBox } from './domain/secret-box';
import { SubmissionService } from './domain/submissions';
import { TaskService } from './domain/tasks';
import { ProcessOwnerService } from './domain/process-owner';
import { deployProcesses } from './engine/deployment';
import { createDemoIdp, type DemoIdp } from './idp';
import { ProcessStartRelay } from './engine/process-start-relay';
import { UserTaskProjection } from './engine/user-tasks';
import { createWorkerPorts } from './engine/worker-ports';
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
  submissions: SubmissionService;
  tasks: TaskService;
  cases: CaseService;
  applicantActions: ApplicantActions;
  processOwner: ProcessOwnerService;
  portalAdmin: PortalAdminService;
  citizenAuth: CitizenAuthService;
  /** the demo OpenID provider at /idp (demo mode and tests only) */
  idp: DemoIdp | undefined;
  isDatabaseReady(): Promise<boolean>;
  stop(): Promise<void>;
}

export async function startServices(config: Config, log: Logger): Promise<Services> {
  const db = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    pool: { min: config.DATABASE_POOL_MIN, max: config.DATABASE_POOL_MAX },
    applicationName: `lu-backoffice-${config.ROLE}`,
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
    // seeded under the start-up lock: processes starting at once on an empty database seed once
    prepare: async (db) => {
      await seedReferenceData(db);
      if (config.DEMO_MODE) await seedDemoData(db, createRepositories(db, config.DATA_DIR), config.DEMO_PASSWORD);
    },
  });
  const repos = createRepositories(db, config.DATA_DIR);
  const installationId = config.INSTALLATION_ID ?? (await repos.installation.installationId());
  log.info({ installationId }, 'installation');

  const catalogue = await Catalogue.load(config.PROCESSES_DIR);
  const engine = new Engine(config.ZEEBE_ADDRESS, log.child({ module: 'engine' }));
  await deployProcesses(engine, catalogue, repos, log);

  const relay = new ProcessStartRelay(engine, repos, catalogue, log.child({ module: 'relay' }), installationId, config.ESCALATION_AFTER);
  const mail = new MailSender(repos, log.child({ module: 'mail' }), { smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, dataDir: config.DATA_DIR });
  const tasks = new TaskService(repos, catalogue, engine, log.child({ module: 'tasks' }));
  const userTasks = new UserTaskProjection(engine, repos, catalogue, tasks, log.child({ module: 'user-tasks' }), config.USER_TASK_JOB_TIMEOUT_HOURS * 3600_000, installationId);

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
      installationId,
    });
    userTasks.start();
    mail.start();
  }
  const housekeeping = new Housekeeping(repos, log.child({ module: 'housekeeping' }), config.IDEMPOTENCY_KEY_TTL_HOURS);
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
    idp,
    citizenAuth: new CitizenAuthService(repos, catalogue, config.oidc, { publicBaseUrl: config.publicBaseUrl, sessionTtlHours: config.CITIZEN_SESSION_TTL_HOURS }),
    catalogue,
    engine,
    auth: new AuthService(repos, config.SESSION_TTL_HOURS),
    submissions: new SubmissionService(repos, catalogue, {
      publicBaseUrl: config.publicBaseUrl,
      receiptSecret: config.receiptSecret,
      onAccepted: () => {
        relay.kick();
        mail.kick();
      },
    }),
    tasks,
    cases: new CaseService(repos, catalogue),
    applicantActions: new ApplicantActions(repos, engine, log.child({ module: 'applicant' })),
    processOwner: new ProcessOwnerService(repos, catalogue, engine, new Set(Object.keys(workers)), log.child({ module: 'process-owner' })),
    portalAdmin: new PortalAdminService(repos, log.child({ module: 'admin' }), callbackSecrets),
    isDatabaseReady: () => isReachable(db),
    async stop() {
      relay.stop();
      housekeeping.stop();
      callbacks.stop();
      userTasks.stop();
      mail.stop();
      await engine.close();
      await db.destroy();
    },
  };
}
