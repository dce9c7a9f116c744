/** Opens the database (SQLite file by default, PostgreSQL with DATABASE_URL) and migrates it. */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { migrationSource } from '../../migrations/index';
import { LruMap } from '../lib/lru-map';

export type Db = Knex;

export interface DatabaseOptions {
  /** PostgreSQL connection string; without it an SQLite file in `dataDir` */
  databaseUrl?: string;
  dataDir: string;
  /** PostgreSQL: the pool, the name the server shows in pg_stat_activity, the statement timeout (0: none) */
  pool?: { min: number; max: number };
  applicationName?: string;
  statementTimeoutMs?: number;
  /** runs after the migrations, under the same start-up lock (seeding) */
  prepare?: (db: Db) => Promise<void>;
}

/**
 * Several processes may start at once on one (empty) database: the migrations and `prepare` run
 * under a lock, so one process migrates and seeds while the others wait, then find nothing left
 * to do. On PostgreSQL an advisory lock, held on a connection of its own without statement
 * timeout (a migration or a wait for the lock may take longer than a request should), closed
 * afterwards, which releases the lock even if the unlock never ran. On SQLite see
 * underSqliteStartupLock.
 */
export async function openDatabase(opts: DatabaseOptions): Promise<Db> {
  if (!opts.databaseUrl) {
    const db = openSqlite(opts.dataDir);
    await underSqliteStartupLock(opts.dataDir, async () => {
      await db.migrate.latest({ migrationSource });
      await opts.prepare?.(db);
    });
    return db;
  }
  const db = openPostgres(opts.databaseUrl, opts);
  const lockHolder = knexFactory({
    client: 'pg',
    connection: { connectionString: opts.databaseUrl, application_name: `${opts.applicationName ?? 'lu-backoffice'}-migrate` },
    pool: { min: 1, max: 1 },
  });
  try {
    await lockHolder.raw('select pg_advisory_lock(?::bigint)', [STARTUP_LOCK_KEY]);
    await lockHolder.migrate.latest({ migrationSource });
    await opts.prepare?.(db);
    await lockHolder.raw('select pg_advisory_unlock(?::bigint)', [STARTUP_LOCK_KEY]);
  } catch (err) {
    await db.destroy();
    throw err;
  } finally {
    await lockHolder.destroy();
  }
  return db;
}

/** The advisory lock key of migrating and seeding: any fixed 64-bit number ("lu-migr" in ASCII). */
const STARTUP_LOCK_KEY = '30528135454353266';

function openPostgres(url: string, opts: DatabaseOptions): Db {
  return knexFactory({
    client: 'pg',
    connection: {
      connectionString: url,
      application_name: opts.applicationName ?? 'lu-backoffice',
      ...(opts.statementTimeoutMs ? { statement_timeout: opts.statementTimeoutMs } : {}),
    },
    pool: opts.pool ?? { min: 1, max: 10 },
  });
}

/**
 * SQLite: an exclusive transaction on a small file beside the database is the lock between
 * processes sharing the data folder (the database's own lock cannot be it: our migrating
 * connection needs the database). The operating system releases it when a holder dies.
 */
async function underSqliteStartupLock(dataDir: string, work: () => Promise<void>): Promise<void> {
  fs.mkdirSync(dataDir, { recursive: true });
  const lock = sqliteFile(path.join(dataDir, 'app.sqlite.startup-lock'));
  try {
    await lock.raw('pragma busy_timeout = 120000'); // waits while another process migrates
    await lock.raw('begin exclusive');
    await work();
    await lock.raw('commit');
  } finally {
    await lock.destroy();
  }
}

function openSqlite(dataDir: string): Db {
  fs.mkdirSync(dataDir, { recursive: true });
  return sqliteFile(path.join(dataDir, 'app.sqlite'));
}

/** A SQLite file through the server's connection set-up, not migrated (tools and migration tests). */
export function sqliteFile(filename: string): Db {
  return knexFactory({
    client: SqliteClient as unknown as typeof Knex.Client,
    connection: { filename },
    useNullAsDefault: true,
    // SQLite allows one writer: one connection avoids SQLITE_BUSY between our own queries.
    pool: { min: 1, max: 1 },
  });
}

const require = createRequire(import.meta.url);

interface BetterSqliteConnection {
  pragma(sql: string): unknown;
  prepare(sql: string): unknown;
}

const BetterSqlite3Client = require('knex/lib/dialects/better-sqlite3') as new (config: Knex.Config) => {
  acquireRawConnection(): Promise<BetterSqliteConnection>;
  _formatBindings(bindings: unknown[] | undefined): unknown[];
};

const PREPARED_STATEMENTS_KEPT = 200;

/**
 * knex's better-sqlite3 client with what the server needs of every connection. better-sqlite3
 * runs each statement synchronously on the calling thread: far less overhead per query than the
 * sqlite3 package's thread-pool round trip, and our queries are short.
 */
class SqliteClient extends BetterSqlite3Client {
  override async acquireRawConnection(): Promise<BetterSqliteConnection> {
    const conn = await super.acquireRawConnection();
    conn.pragma('journal_mode = WAL');
    conn.pragma('synchronous = NORMAL');
    conn.pragma('foreign_keys = ON');
    conn.pragma('busy_timeout = 5000');
    reusePreparedStatements(conn);
    return conn;
  }

  /**
   * better-sqlite3 binds every JS number as a REAL: 1061 written to a text column becomes
   * '1061.0', and `'x' || ?` gives 'x1061.0'. Whole numbers are bound as integers instead, as
   * the sqlite3 package did.
   */
  override _formatBindings(bindings: unknown[] | undefined): unknown[] {
    return super._formatBindings(bindings).map((b) => (typeof b === 'number' && Number.isSafeInteger(b) ? BigInt(b) : b));
  }
}

/**
 * knex prepares every query anew; preparing costs about as much as running our short queries.
 * The connection keeps the statements of the 200 SQL texts used most recently instead (knex
 * runs each to the end with all() or run(), so a statement is never in use twice at once;
 * SQLite re-prepares a kept statement itself after a schema change).
 */
function reusePreparedStatements(conn: BetterSqliteConnection): void {
  const prepare = conn.prepare.bind(conn);
  const kept = new LruMap<string, unknown>(PREPARED_STATEMENTS_KEPT);
  conn.prepare = (sql: string) => {
    let statement = kept.get(sql);
    if (statement === undefined) {
      statement = prepare(sql);
      kept.set(sql, statement);
    }
    return statement;
  };
}

export const nowIso = (): string => new Date().toISOString();

/** A unique constraint refused the write (PostgreSQL 23505, SQLite's UNIQUE constraint). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint|unique constraint/.test(e?.message ?? '');
}

/** Whether the database answers a trivial query (readiness check). */
export async function isReachable(db: Db): Promise<boolean> {
  try {
    await db.raw('select 1');
    return true;
  } catch {
    return false;
  }
}

export function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (text == null) return fallback;
  return JSON.parse(text) as T;
}

export interface PoolStats {
  used: number;
  free: number;
  pendingAcquires: number;
  max: number;
}

/** The connection pool's state now (tarn, under knex), for the metrics. */
export function poolStats(db: Db): PoolStats {
  const pool = (db.client as { pool?: { numUsed(): number; numFree(): number; numPendingAcquires(): number; max: number } }).pool;
  if (!pool) return { used: 0, free: 0, pendingAcquires: 0, max: 0 };
  return { used: pool.numUsed(), free: pool.numFree(), pendingAcquires: pool.numPendingAcquires(), max: pool.max };
}
