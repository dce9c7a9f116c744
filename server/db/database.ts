/** Opens the database (SQLite file by default, PostgreSQL with DATABASE_URL) and migrates it. */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { migrationSource } from '../../migrations/index';
import { LruMap } from '../lib/lru-map';

export type Db = Knex;

export async function openDatabase(opts: { databaseUrl?: string; dataDir: string }): Promise<Db> {
  const db = opts.databaseUrl ? openPostgres(opts.databaseUrl) : openSqlite(opts.dataDir);
  await db.migrate.latest({ migrationSource });
  return db;
}

function openPostgres(url: string): Db {
  return knexFactory({ client: 'pg', connection: url, pool: { min: 1, max: 10 } });
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
