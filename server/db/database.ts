/** Opens the database (SQLite file by default, PostgreSQL with DATABASE_URL) and migrates it. */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { migrationSource } from '../../migrations/index';

export type Db = Knex;

export async function openDatabase(opts: { databaseUrl?: string; dataDir: string }): Promise<Db> {
  const db = opts.databaseUrl ? openPostgres(opts.databaseUrl) : await openSqlite(opts.dataDir);
  await db.migrate.latest({ migrationSource });
  return db;
}

function openPostgres(url: string): Db {
  return knexFactory({ client: 'pg', connection: url, pool: { min: 1, max: 10 } });
}

async function openSqlite(dataDir: string): Promise<Db> {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = knexFactory({
    // better-sqlite3 runs each statement synchronously on the calling thread: far less overhead
    // per query than the sqlite3 package's thread-pool round trip, and our queries are short.
    client: IntegerBindingClient as unknown as typeof Knex.Client,
    connection: { filename: path.join(dataDir, 'app.sqlite') },
    useNullAsDefault: true,
    // SQLite allows one writer: one connection avoids SQLITE_BUSY between our own queries.
    pool: {
      min: 1,
      max: 1,
      afterCreate: (conn: BetterSqliteConnection, done: (err: Error | null, conn: unknown) => void) => {
        try {
          conn.pragma('journal_mode = WAL');
          conn.pragma('synchronous = NORMAL');
          conn.pragma('foreign_keys = ON');
          conn.pragma('busy_timeout = 5000');
          reusePreparedStatements(conn);
          done(null, conn);
        } catch (err) {
          done(err as Error, conn);
        }
      },
    },
  });
  return db;
}

const require = createRequire(import.meta.url);
const BetterSqlite3Client = require('knex/lib/dialects/better-sqlite3') as new (config: Knex.Config) => { _formatBindings(bindings: unknown[] | undefined): unknown[] };

/**
 * better-sqlite3 binds every JS number as a REAL: 1061 written to a text column becomes
 * '1061.0', and `'x' || ?` gives 'x1061.0'. Whole numbers are bound as integers instead, as the
 * sqlite3 package did.
 */
class IntegerBindingClient extends BetterSqlite3Client {
  override _formatBindings(bindings: unknown[] | undefined): unknown[] {
    return super._formatBindings(bindings).map((b) => (typeof b === 'number' && Number.isSafeInteger(b) ? BigInt(b) : b));
  }
}

interface BetterSqliteConnection {
  pragma(sql: string): unknown;
  prepare(sql: string): unknown;
}

const PREPARED_STATEMENTS_KEPT = 200;

/**
 * knex prepares every query anew; preparing costs about as much as running our short queries.
 * The connection keeps the statements of the 200 SQL texts used most recently instead (knex
 * runs each to the end with all() or run(), so a statement is never in use twice at once;
 * SQLite re-prepares a kept statement itself after a schema change).
 */
function reusePreparedStatements(conn: BetterSqliteConnection): void {
  const prepare = conn.prepare.bind(conn);
  const kept = new Map<string, unknown>();
  conn.prepare = (sql: string) => {
    let statement = kept.get(sql);
    if (statement === undefined) {
      statement = prepare(sql);
      if (kept.size >= PREPARED_STATEMENTS_KEPT) kept.delete(kept.keys().next().value!);
    } else {
      kept.delete(sql); // moved to the end: the least recently used statement goes first
    }
    kept.set(sql, statement);
    return statement;
  };
}

export const nowIso = (): string => new Date().toISOString();

export function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (text == null) return fallback;
  return JSON.parse(text) as T;
}
