/**
 * A private PostgreSQL server for the tests (`TEST_DB=postgres`): Debian's binaries
 * (`/usr/lib/postgresql/<version>/bin`, package `postgresql`), a fresh cluster in a temporary
 * folder, trust authentication on 127.0.0.1 and a free port. Nothing is downloaded; a missing
 * PostgreSQL fails with a clear message, as a missing Java does for the broker.
 *
 * PostgreSQL refuses to run as root: run as root (CI, this machine), initdb and the server run as
 * the system user `postgres` (runuser), and the cluster folder belongs to that user.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import knexFactory from 'knex';

export const PG_USER = 'lu';

export interface PostgresHandle {
  /** `postgres://lu@127.0.0.1:<port>/<database>` */
  url(database?: string): string;
  stop(): Promise<void>;
}

/** The newest installed server's bin folder. */
export function findPostgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'postgres'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error(`PostgreSQL is missing (no ${root}/<version>/bin/postgres): install it with  apt-get install -y postgresql`);
  return path.join(root, newest, 'bin');
}

const asRoot = process.getuid?.() === 0;

/** A command as the `postgres` user when we are root (PostgreSQL refuses root). */
function command(bin: string, args: string[]): [string, string[]] {
  return asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}

/**
 * `dir`: a folder of its own directly under a world-traversable one (as root it is handed to
 * `postgres`). A cluster already in `dir` (kept from an earlier run) is started, not created.
 */
export async function startPostgres(opts: { dir: string; port: number; log?: (m: string) => void }): Promise<PostgresHandle> {
  const bin = findPostgresBin();
  const dataDir = path.join(opts.dir, 'pgdata');
  fs.mkdirSync(opts.dir, { recursive: true });
  if (asRoot) spawnSync('chown', ['postgres:postgres', opts.dir]);
  // a cluster folder kept from an earlier run (the bench's BENCH_PG_DIR) is started as it is
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    const [initdb, initArgs] = command(path.join(bin, 'initdb'), ['-D', dataDir, '-U', PG_USER, '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync']);
    const init = spawnSync(initdb, initArgs, { encoding: 'utf8' });
    if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  }

  // no fsync: a throwaway test cluster; sockets only in the cluster folder, TCP on 127.0.0.1
  const [postgres, args] = command(path.join(bin, 'postgres'), ['-D', dataDir, '-p', String(opts.port), '-h', '127.0.0.1', '-k', opts.dir, '-c', 'fsync=off', '-c', 'max_connections=200']);
  const log = fs.openSync(path.join(opts.dir, 'postgres.log'), 'a');
  const child: ChildProcess = spawn(postgres, args, { stdio: ['ignore', log, log], detached: false });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = (database = 'postgres') => `postgres://${PG_USER}@127.0.0.1:${opts.port}/${database}`;
  await waitUntilAccepting(url(), child, path.join(opts.dir, 'postgres.log'));
  opts.log?.(`PostgreSQL ${path.basename(path.dirname(bin))} on 127.0.0.1:${opts.port} (${dataDir})`);
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      // the server itself, by the pid it wrote: as root, `child` is runuser, which does not pass
      // signals on, so signalling it would leave PostgreSQL running and the caller waiting
      postmasterPid(dataDir).forEach((pid) => process.kill(pid, 'SIGINT')); // fast shutdown
      const stopped = await Promise.race([exited.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 15_000))]);
      if (!stopped) {
        postmasterPid(dataDir).forEach((pid) => process.kill(pid, 'SIGKILL'));
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** The postmaster's pid from its lock file (first line of postmaster.pid), if it still runs. */
function postmasterPid(dataDir: string): number[] {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? [pid] : [];
  } catch {
    return [];
  }
}

async function waitUntilAccepting(url: string, child: ChildProcess, logPath: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`PostgreSQL exited during start; see ${logPath}`);
    const db = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
    try {
      await db.raw('select 1');
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`PostgreSQL not ready after 30 s; see ${logPath}`);
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await db.destroy();
    }
  }
}

/** Creates a database unless it exists (each test server gets its own, named after its data folder). */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const db = knexFactory({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
  try {
    const { rowCount } = await db.raw('SELECT 1 FROM pg_database WHERE datname = ?', [name]);
    if (!rowCount) await db.raw(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
  } finally {
    await db.destroy();
  }
}
