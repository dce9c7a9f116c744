/**
 * Starts the real server as a child process (the bundle of tools/server-build.ts), the way production runs it,
 * so integration tests can also stop and restart it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { projectRoot } from '../../server/config/config';
import { buildServer, serverNodeArgs } from '../../tools/server-build';
import { ensureDatabase } from '../../tools/postgres';
import { openDatabase, type Db } from '../../server/db/database';

/**
 * Rate limits lifted: the shared test server and the benchmark send thousands of requests from
 * one address (the limits have their own test).
 */
export const UNLIMITED = { PUBLIC_RATE_LIMIT_PER_MINUTE: '1000000', SUBMISSION_RATE_LIMIT_PER_MINUTE: '1000000', LOGIN_MAX_FAILURES_PER_ADDRESS: '1000000' };

export interface ServerProcess {
  baseUrl: string;
  dataDir: string;
  child: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/**
 * `name`: of the log and pid files in the data folder (several processes on one data folder and
 * database); `readyPath`: what answers 200 once it runs (default /api/ready); `readyTimeoutMs`:
 * how long to wait for it (default TEST_SERVER_START_TIMEOUT_MS or 180 s: a loaded 2-CPU machine
 * may take over a minute, the start deploys every process).
 */
export async function startServerProcess(opts: {
  dataDir: string;
  zeebeAddress: string;
  port?: number;
  env?: Record<string, string>;
  name?: string;
  readyPath?: string;
  readyTimeoutMs?: number;
}): Promise<ServerProcess> {
  const name = opts.name ?? 'server';
  const port = opts.port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const logFile = fs.openSync(path.join(opts.dataDir, `${name}.log`), 'a');
  const databaseUrl = await testDatabaseUrl(opts.dataDir);
  await buildServer();
  const child = spawn(process.execPath, serverNodeArgs, {
    cwd: projectRoot,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DEMO_MODE: 'true',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: opts.dataDir,
      ZEEBE_ADDRESS: opts.zeebeAddress,
      LOG_LEVEL: 'info',
      // deputies: absence windows that end within a test hand their tasks back within a second
      ABSENCE_SWEEP_MS: '1000',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      ...opts.env,
    },
    stdio: ['ignore', logFile, logFile],
  });
  fs.writeFileSync(path.join(opts.dataDir, `${name}.pid`), String(child.pid));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const readyTimeoutMs = opts.readyTimeoutMs ?? (Number(process.env.TEST_SERVER_START_TIMEOUT_MS) || 180_000);
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    const code = await Promise.race([exited, sleep(250).then(() => 'running' as const)]);
    if (code !== 'running') throw new Error(`server exited with ${code} during start; see ${path.join(opts.dataDir, `${name}.log`)}`);
    try {
      const res = await fetch(`${baseUrl}${opts.readyPath ?? '/api/ready'}`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL'); // nobody could stop it otherwise
      throw new Error(`server not ready after ${readyTimeoutMs / 1000} s; see ${path.join(opts.dataDir, `${name}.log`)}`);
    }
  }
  return {
    baseUrl,
    dataDir: opts.dataDir,
    child,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null) return;
      child.kill(signal);
      await exited;
    },
  };
}

/**
 * The database of the server with this data folder: with TEST_PG_ADMIN_URL (set by the global
 * setup for `TEST_DB=postgres`) a PostgreSQL database of its own, named after the folder, so a
 * restarted server finds its data again and a second server never shares the first one's;
 * otherwise undefined (SQLite in the data folder).
 */
export async function testDatabaseUrl(dataDir: string): Promise<string | undefined> {
  const admin = process.env.TEST_PG_ADMIN_URL;
  if (!admin) return undefined;
  const name = `lu_${crypto.createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16)}`;
  await ensureDatabase(admin, name);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.href;
}

/** Opens (and migrates) the database a test server with this data folder uses, SQLite or PostgreSQL. */
export async function openTestDatabase(dataDir: string): Promise<Db> {
  return openDatabase({ dataDir, databaseUrl: await testDatabaseUrl(dataDir) });
}

/** Stops the server started for a data dir (by whichever process started it). */
export async function stopServerOf(dataDir: string, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const pidFile = path.join(dataDir, 'server.pid');
  const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8')) : 0;
  if (!pid) return;
  try {
    process.kill(pid, signal);
  } catch {
    return; // already gone
  }
  for (let i = 0; i < 200; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await sleep(100);
  }
  process.kill(pid, 'SIGKILL');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
