/**
 * The one typed, validated environment schema of the server. Every setting the server reads
 * comes through here; nothing else touches process.env.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { S3Settings } from '../repositories/s3-document-store';

/** The folder holding package.json, found from this file both in the sources and in the bundle (dist/server). */
export const projectRoot = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

const bool = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1');

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('127.0.0.1'),
    /** public base URL used in e-mails and status URLs */
    PUBLIC_BASE_URL: z.string().url().optional(),
    DATA_DIR: z.string().default(path.join(projectRoot, 'data')),
    /** PostgreSQL connection string; without it an SQLite file in DATA_DIR is used */
    DATABASE_URL: z.string().optional(),
    /** PostgreSQL pool of each process: connections kept open and at most (at least 2: migrations hold one for their lock) */
    DATABASE_POOL_MIN: z.coerce.number().int().min(0).default(1),
    DATABASE_POOL_MAX: z.coerce.number().int().min(2).default(10),
    /** PostgreSQL: longest a statement may run before the server cancels it (0: no limit); migrations are exempt */
    DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
    /**
     * This installation's id, carried by every process instance (the instance guard leaves other
     * installations' instances alone). Unset: generated once and stored in the database.
     */
    INSTALLATION_ID: z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,64}$/, '1 to 64 letters, digits or . _ : -')
      .optional(),
    /** address of an existing Zeebe gateway; without it the start command runs a local broker */
    ZEEBE_ADDRESS: z.string().default('127.0.0.1:26500'),
    /**
     * Zeebe gateway security, under the names Camunda's clients and consoles use: TLS (default: on
     * when a CA file or OAuth is configured), the CA that signed the gateway's certificate, and
     * OAuth client credentials (all four, or none).
     */
    ZEEBE_SECURE_CONNECTION: z.enum(['true', 'false']).optional(),
    ZEEBE_CA_CERTIFICATE_PATH: z.string().min(1).optional(),
    ZEEBE_AUTHORIZATION_SERVER_URL: z.string().url().optional(),
    ZEEBE_CLIENT_ID: z.string().min(1).optional(),
    ZEEBE_CLIENT_SECRET: z.string().min(1).optional(),
    ZEEBE_TOKEN_AUDIENCE: z.string().min(1).optional(),
    ZEEBE_TOKEN_SCOPE: z.string().min(1).optional(),
    PROCESSES_DIR: z.string().default(path.join(projectRoot, 'processes')),
    /** `all` runs HTTP and workers; `workers` runs only the job workers (scale-out) */
    ROLE: z.enum(['all', 'server', 'workers']).default('all'),
    /** ROLE=workers: port of /api/health, /api/ready and /metrics (other roles serve them on PORT) */
    OPS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
    /** SIGTERM: how long in-flight requests and running job handlers may take before the process ends */
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(1000).default(25_000),
    DEMO_MODE: bool,
    DEMO_PASSWORD: z.string().min(8).default('demo1234'),
    /** HMAC key for receipts; required outside demo mode */
    RECEIPT_SECRET: z.string().min(32).optional(),
    SESSION_TTL_HOURS: z.coerce.number().positive().default(10),
    // the HTTP contract promises a repeated submission the first response for at least 24 hours
    IDEMPOTENCY_KEY_TTL_HOURS: z.coerce.number().min(24).default(48),
    /** SMTP URL (smtp://user:pass@host:port); without it mail is written to DATA_DIR/mail */
    SMTP_URL: z.string().optional(),
    MAIL_FROM: z.string().default('Gemeindeverwaltung <no-reply@example.lu.ch>'),
    /** mail: first retry after this many ms, doubling per failed attempt up to one hour; then `failed` */
    MAIL_RETRY_BASE_MS: z.coerce.number().int().positive().default(30_000),
    MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),
    /** mail: bound of each step of an SMTP handover (connect, greeting, each reply); the claim lasts five times it */
    MAIL_SEND_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
    /** job timeout for human tasks: the back office holds the user-task job this long */
    USER_TASK_JOB_TIMEOUT_HOURS: z.coerce
      .number()
      .positive()
      .default(24 * 30),
    /** live inbox: how often each server process with open streams reads new task changes */
    TASK_EVENTS_POLL_MS: z.coerce.number().int().min(50).max(10_000).default(250),
    /** deputies: how often a server process hands tasks to deputies and back as absence windows start and end */
    ABSENCE_SWEEP_MS: z.coerce.number().int().min(200).max(3_600_000).default(60_000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    MAX_JSON_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(256 * 1024),
    /** multipart submissions: whole request, each file, number of files */
    MAX_UPLOAD_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(25 * 1024 * 1024),
    MAX_FILE_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(10 * 1024 * 1024),
    MAX_FILES: z.coerce.number().int().min(0).default(10),
    /** public API requests per client address and minute (reads), and submissions/replies (writes) */
    PUBLIC_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(300),
    SUBMISSION_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(30),
    /**
     * Staff login throttling, shared by all processes: failed logins per account and per client
     * address within 15 minutes before a lockout of LOGIN_LOCKOUT_SECONDS, doubling with each
     * further lockout in a row (up to one hour).
     */
    LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().positive().default(5),
    LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().positive().default(30),
    LOGIN_LOCKOUT_SECONDS: z.coerce.number().int().positive().default(60),
    /**
     * Portal clients (DESIGN.md §6): issuer and audience of their bearer access tokens. Issuer
     * default: the citizen OpenID provider (OIDC_ISSUER; in demo mode the built-in `<PUBLIC_BASE_URL>/idp`);
     * audience default `<PUBLIC_BASE_URL>/api`. A client's own limit (portal_clients) overrides
     * the per-client default, which replaces the per-address limits for verified clients.
     */
    PORTAL_TOKEN_ISSUER: z.string().url().optional(),
    PORTAL_TOKEN_AUDIENCE: z.string().min(1).optional(),
    PORTAL_CLIENT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
    /**
     * Status callbacks to portal clients: first retry after this many ms, doubling per failed
     * attempt up to one hour; after CALLBACK_MAX_ATTEMPTS attempts the event is `dead`.
     */
    CALLBACK_RETRY_BASE_MS: z.coerce.number().int().positive().default(30_000),
    CALLBACK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),
    /**
     * Time after which human tasks escalate to the team lead, for every service (ISO 8601
     * duration, e.g. PT30S). Unset: each service's target processing time (service.targetDays).
     * Meant for demos and tests.
     */
    ESCALATION_AFTER: z
      .string()
      .regex(/^P(?=\d|T\d)(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?$/, 'ISO 8601 duration such as P2D or PT30S')
      .optional(),
    /** honour X-Forwarded-For (only behind a proxy you control) */
    TRUST_PROXY: bool,
    /** citizen sign-in (OpenID Connect): provider URL; demo default: the demo provider at PUBLIC_BASE_URL/idp */
    OIDC_ISSUER: z.string().url().optional(),
    /** our client at that provider; demo default `einwohnerportal` */
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    /** its secret; demo default DEMO_PASSWORD, required outside demo when OIDC_ISSUER is set */
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    CITIZEN_SESSION_TTL_HOURS: z.coerce.number().positive().default(8),
    /** staff single sign-on (OpenID Connect, DESIGN.md §8): provider URL; demo default: the demo provider at PUBLIC_BASE_URL/idp */
    STAFF_OIDC_ISSUER: z.string().url().optional(),
    /** our client at that provider; demo default `backoffice` */
    STAFF_OIDC_CLIENT_ID: z.string().min(1).optional(),
    /** its secret; demo default DEMO_PASSWORD, required outside demo when STAFF_OIDC_ISSUER is set */
    STAFF_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    /** scopes asked for (space-separated, must contain openid); default `openid profile email`, demo `openid profile email staff` */
    STAFF_OIDC_SCOPES: z
      .string()
      .regex(/(^|\s)openid(\s|$)/, 'must contain openid')
      .optional(),
    /** claim mapping: where the ID token carries username, roles, organisations and groups (a dotted path such as realm_access.roles) */
    STAFF_OIDC_USERNAME_CLAIM: z.string().min(1).default('preferred_username'),
    STAFF_OIDC_ROLES_CLAIM: z.string().min(1).default('roles'),
    STAFF_OIDC_ORGANISATION_CLAIM: z.string().min(1).default('organisations'),
    STAFF_OIDC_GROUPS_CLAIM: z.string().min(1).default('groups'),
    /** the login button's text */
    STAFF_OIDC_BUTTON_LABEL: z.string().min(1).max(80).default('Mit Kantons-Login anmelden'),
    /** password login for staff (default on); off: only single sign-on, POST /api/auth/login answers 403 */
    STAFF_LOCAL_LOGIN: z
      .enum(['true', 'false', '1', '0', ''])
      .optional()
      .transform((v) => v !== 'false' && v !== '0'),
    /** where document content lives: `database` (default) or S3-compatible object storage (`s3`) */
    DOCUMENT_STORE: z.enum(['database', 's3']).default('database'),
    S3_BUCKET: z.string().min(1).optional(),
    S3_REGION: z.string().min(1).default('us-east-1'),
    /** endpoint of a non-AWS S3 service (MinIO, Ceph, ...); unset: AWS */
    S3_ENDPOINT: z.string().url().optional(),
    S3_FORCE_PATH_STYLE: bool,
    /** unset: the AWS SDK's default credential chain */
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    /**
     * Electronic seals of the issued PDFs: a folder with one PKCS#12 file per organisation,
     * `<organisation id>.p12` (e.g. `municipality:1061.p12`), all opened with
     * DOCUMENT_SEAL_PASSPHRASE. Required outside demo mode where workers run; in demo mode an
     * organisation without a file gets a generated, self-signed demo seal.
     */
    DOCUMENT_SEAL_DIR: z.string().min(1).optional(),
    DOCUMENT_SEAL_PASSPHRASE: z.string().optional(),
  })
  .superRefine((env, ctx) => {
    if (env.DEMO_MODE && env.NODE_ENV === 'production') {
      ctx.addIssue({ code: 'custom', path: ['DEMO_MODE'], message: 'demo mode refuses to run with NODE_ENV=production' });
    }
    if (!env.DEMO_MODE && !env.RECEIPT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['RECEIPT_SECRET'], message: 'required outside demo mode (at least 32 characters)' });
    }
    // a document is never issued unsealed: without seals outside demo mode the workers could issue none
    if (!env.DEMO_MODE && env.ROLE !== 'server' && !env.DOCUMENT_SEAL_DIR) {
      ctx.addIssue({
        code: 'custom',
        path: ['DOCUMENT_SEAL_DIR'],
        message: 'required outside demo mode where workers run (ROLE all or workers): a folder with <organisation id>.p12 per organisation',
      });
    }
    if (env.DOCUMENT_SEAL_DIR && !fs.existsSync(env.DOCUMENT_SEAL_DIR)) {
      ctx.addIssue({ code: 'custom', path: ['DOCUMENT_SEAL_DIR'], message: `no such folder: ${env.DOCUMENT_SEAL_DIR}` });
    }
    if (!env.DEMO_MODE && env.DOCUMENT_SEAL_DIR && env.DOCUMENT_SEAL_PASSPHRASE === undefined) {
      ctx.addIssue({ code: 'custom', path: ['DOCUMENT_SEAL_PASSPHRASE'], message: 'required with DOCUMENT_SEAL_DIR outside demo mode (the passphrase of the .p12 files)' });
    }
    if (!env.DEMO_MODE && env.OIDC_ISSUER && !env.OIDC_CLIENT_ID) {
      ctx.addIssue({ code: 'custom', path: ['OIDC_CLIENT_ID'], message: 'required outside demo mode when OIDC_ISSUER is set' });
    }
    if (!env.DEMO_MODE && env.OIDC_ISSUER && !env.OIDC_CLIENT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['OIDC_CLIENT_SECRET'], message: 'required outside demo mode when OIDC_ISSUER is set' });
    }
    for (const key of ['STAFF_OIDC_CLIENT_ID', 'STAFF_OIDC_CLIENT_SECRET'] as const) {
      if (!env.DEMO_MODE && env.STAFF_OIDC_ISSUER && !env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'required outside demo mode when STAFF_OIDC_ISSUER is set' });
    }
    if (!env.STAFF_LOCAL_LOGIN && !env.DEMO_MODE && !env.STAFF_OIDC_ISSUER) {
      ctx.addIssue({ code: 'custom', path: ['STAFF_LOCAL_LOGIN'], message: 'password login can only be switched off when single sign-on is configured (STAFF_OIDC_ISSUER)' });
    }
    if (env.DOCUMENT_STORE === 's3' && !env.S3_BUCKET) {
      ctx.addIssue({ code: 'custom', path: ['S3_BUCKET'], message: 'required with DOCUMENT_STORE=s3' });
    }
    if (!env.S3_ACCESS_KEY_ID !== !env.S3_SECRET_ACCESS_KEY) {
      ctx.addIssue({ code: 'custom', path: [env.S3_ACCESS_KEY_ID ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID'], message: 'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together' });
    }
    if (env.NODE_ENV === 'production' && !env.PUBLIC_BASE_URL?.startsWith('https://')) {
      ctx.addIssue({
        code: 'custom',
        path: ['PUBLIC_BASE_URL'],
        message:
          'production needs the https:// address users reach (TLS at this server or at a proxy in front of it): session cookies are Secure, and browsers would never send them back over plain http',
      });
    }
    if (env.DATABASE_POOL_MIN > env.DATABASE_POOL_MAX) {
      ctx.addIssue({ code: 'custom', path: ['DATABASE_POOL_MIN'], message: 'must not exceed DATABASE_POOL_MAX' });
    }
    const oauth = ['ZEEBE_AUTHORIZATION_SERVER_URL', 'ZEEBE_CLIENT_ID', 'ZEEBE_CLIENT_SECRET', 'ZEEBE_TOKEN_AUDIENCE'] as const;
    if (oauth.some((key) => env[key])) {
      for (const key of oauth.filter((k) => !env[k])) ctx.addIssue({ code: 'custom', path: [key], message: 'Zeebe OAuth needs all of ' + oauth.join(', ') });
    }
    if (env.ZEEBE_CA_CERTIFICATE_PATH && !fs.existsSync(env.ZEEBE_CA_CERTIFICATE_PATH)) {
      ctx.addIssue({ code: 'custom', path: ['ZEEBE_CA_CERTIFICATE_PATH'], message: `no such file: ${env.ZEEBE_CA_CERTIFICATE_PATH}` });
    }
    if (!env.DEMO_MODE && env.NODE_ENV === 'production' && !env.SMTP_URL) {
      ctx.addIssue({ code: 'custom', path: ['SMTP_URL'], message: 'required in production' });
    }
  });

export type Env = z.infer<typeof envSchema>;

/** The citizen sign-in's provider and our client there (DESIGN.md §6). */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/** Staff single sign-on (DESIGN.md §8): the provider, our client there and where the claims are. */
export interface StaffOidcSettings extends OidcSettings {
  scopes: string;
  buttonLabel: string;
  claims: { username: string; roles: string; organisations: string; groups: string };
}

/** How the server reaches the Zeebe gateway (server/engine/zeebe.ts). */
export interface ZeebeConnection {
  address: string;
  tls: boolean;
  /** PEM of the CA that signed the gateway's certificate; unset: the system's CAs */
  caPem: string | undefined;
  /** OAuth client credentials: a token from `url` is sent with every gateway call */
  oauth: { url: string; clientId: string; clientSecret: string; audience: string; scope: string | undefined } | undefined;
}

export interface Config extends Env {
  publicBaseUrl: string;
  zeebe: ZeebeConnection;
  receiptSecret: string;
  /** citizen sign-in; undefined: not configured (outside demo without OIDC_ISSUER) */
  oidc: OidcSettings | undefined;
  /** staff single sign-on; undefined: not configured (outside demo without STAFF_OIDC_ISSUER) */
  staffOidc: StaffOidcSettings | undefined;
  /** issuer of portal client tokens; undefined: portal clients are not configured (every client token is refused) */
  portalTokenIssuer: string | undefined;
  portalTokenAudience: string;
  /** DOCUMENT_STORE=s3: the object storage; undefined: content in the database */
  s3: S3Settings | undefined;
  /** the organisations' electronic seals (server/engine/document-seals.ts) */
  documentSeals: { dir: string | undefined; passphrase: string; demo: boolean };
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  const publicBaseUrl = env.PUBLIC_BASE_URL ?? `http://${env.HOST}:${env.PORT}`;
  const oidc = oidcSettings(env, publicBaseUrl);
  return {
    ...env,
    publicBaseUrl,
    oidc,
    staffOidc: staffOidcSettings(env, publicBaseUrl),
    zeebe: zeebeConnection(env),
    portalTokenIssuer: env.PORTAL_TOKEN_ISSUER ?? oidc?.issuer,
    portalTokenAudience: env.PORTAL_TOKEN_AUDIENCE ?? `${publicBaseUrl}/api`,
    // demo mode only: a fixed, publicly known key is acceptable because demo data is not real
    receiptSecret: env.RECEIPT_SECRET ?? 'demo-mode-receipt-key-not-for-production-use',
    s3: s3Settings(env),
    documentSeals: { dir: env.DOCUMENT_SEAL_DIR, passphrase: env.DOCUMENT_SEAL_PASSPHRASE ?? '', demo: env.DEMO_MODE },
  };
}

function s3Settings(env: Env): S3Settings | undefined {
  if (env.DOCUMENT_STORE !== 's3') return undefined;
  return {
    bucket: env.S3_BUCKET!, // required by the schema with DOCUMENT_STORE=s3
    region: env.S3_REGION,
    endpoint: env.S3_ENDPOINT,
    forcePathStyle: env.S3_FORCE_PATH_STYLE,
    credentials: env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY } : undefined,
  };
}

function zeebeConnection(env: Env): ZeebeConnection {
  const oauth = env.ZEEBE_AUTHORIZATION_SERVER_URL
    ? { url: env.ZEEBE_AUTHORIZATION_SERVER_URL, clientId: env.ZEEBE_CLIENT_ID!, clientSecret: env.ZEEBE_CLIENT_SECRET!, audience: env.ZEEBE_TOKEN_AUDIENCE!, scope: env.ZEEBE_TOKEN_SCOPE }
    : undefined;
  const caPem = env.ZEEBE_CA_CERTIFICATE_PATH ? fs.readFileSync(env.ZEEBE_CA_CERTIFICATE_PATH, 'utf8') : undefined;
  const tls = env.ZEEBE_SECURE_CONNECTION ? env.ZEEBE_SECURE_CONNECTION === 'true' : Boolean(caPem || oauth);
  return { address: env.ZEEBE_ADDRESS, tls, caPem, oauth };
}

/** Demo mode defaults to the demo provider (/idp) and its `einwohnerportal` client; secrets are never defaulted outside demo. */
function oidcSettings(env: Env, publicBaseUrl: string): OidcSettings | undefined {
  if (env.DEMO_MODE) {
    return {
      issuer: env.OIDC_ISSUER ?? `${publicBaseUrl}/idp`,
      clientId: env.OIDC_CLIENT_ID ?? 'einwohnerportal',
      clientSecret: env.OIDC_CLIENT_SECRET ?? env.DEMO_PASSWORD,
    };
  }
  if (!env.OIDC_ISSUER || !env.OIDC_CLIENT_ID || !env.OIDC_CLIENT_SECRET) return undefined;
  return { issuer: env.OIDC_ISSUER, clientId: env.OIDC_CLIENT_ID, clientSecret: env.OIDC_CLIENT_SECRET };
}

/** Demo mode defaults to the demo provider (/idp) and its `backoffice` client, whose accounts carry the `staff` scope's claims. */
function staffOidcSettings(env: Env, publicBaseUrl: string): StaffOidcSettings | undefined {
  const claims = { username: env.STAFF_OIDC_USERNAME_CLAIM, roles: env.STAFF_OIDC_ROLES_CLAIM, organisations: env.STAFF_OIDC_ORGANISATION_CLAIM, groups: env.STAFF_OIDC_GROUPS_CLAIM };
  const common = { buttonLabel: env.STAFF_OIDC_BUTTON_LABEL, claims };
  if (env.DEMO_MODE) {
    return {
      issuer: env.STAFF_OIDC_ISSUER ?? `${publicBaseUrl}/idp`,
      clientId: env.STAFF_OIDC_CLIENT_ID ?? 'backoffice',
      clientSecret: env.STAFF_OIDC_CLIENT_SECRET ?? env.DEMO_PASSWORD,
      scopes: env.STAFF_OIDC_SCOPES ?? 'openid profile email staff',
      ...common,
    };
  }
  if (!env.STAFF_OIDC_ISSUER || !env.STAFF_OIDC_CLIENT_ID || !env.STAFF_OIDC_CLIENT_SECRET) return undefined;
  return { issuer: env.STAFF_OIDC_ISSUER, clientId: env.STAFF_OIDC_CLIENT_ID, clientSecret: env.STAFF_OIDC_CLIENT_SECRET, scopes: env.STAFF_OIDC_SCOPES ?? 'openid profile email', ...common };
}
