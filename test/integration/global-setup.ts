/**
 * One real Zeebe broker and one server (demo mode, temporary database) for the whole run; with
 * TEST_DB=postgres also a private PostgreSQL server, and every test server uses a database there
 * instead of SQLite (see server-process.ts testDatabaseUrl).
 * Missing Java or Maven fails the run here with the broker tool's message.
 *
 * The `integration` and `browser` projects both name this file: `vitest run --project browser`
 * alone must start a backend, and a run of both must start only one. Vitest loads the file once
 * per project (in the same main process), so the backend lives on `globalThis`, shared with a
 * user count: the first project's setup starts it, the last project's teardown stops it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { freeBrokerPort, startBroker, stopBrokerOf, type BrokerHandle } from '../../tools/zeebe';
import { startPostgres, type PostgresHandle } from '../../tools/postgres';
import { freePort, startServerProcess, stopServerOf, UNLIMITED, type ServerProcess } from './server-process';

interface Backend {
  broker?: BrokerHandle;
  /** TEST_DB=postgres: the private PostgreSQL every test server gets a database of */
  postgres?: PostgresHandle;
  server?: ServerProcess;
  dirs: { server: string; zeebe: string; zeebeLog: string };
  gatewayPort: number;
}

interface Shared {
  ready: Promise<Backend>;
  /** known as soon as it exists, so a failed start can still be cleaned up */
  backend?: Backend;
  users: number;
}

const KEY = Symbol.for('lu-workflow.integration-backend');
const registry = globalThis as { [KEY]?: Shared };

/** Whether this module instance (one per project) holds a share of the backend. */
let joined = false;

export async function setup(project: TestProject): Promise<void> {
  const shared = (registry[KEY] ??= createShared());
  shared.users += 1;
  joined = true;
  const { server, broker, dirs, gatewayPort } = await shared.ready;
  project.provide('baseUrl', server!.baseUrl);
  project.provide('dataDir', server!.dataDir);
  project.provide('zeebeAddress', broker!.address);
  project.provide('zeebe', { dataDir: dirs.zeebe, logFile: dirs.zeebeLog, gatewayPort });
}

export async function teardown(): Promise<void> {
  const shared = registry[KEY];
  if (!joined || !shared) return;
  joined = false;
  shared.users -= 1;
  if (shared.users > 0) return;
  delete registry[KEY];
  const backend = shared.backend;
  if (!backend) return;
  // tests may have restarted server and broker: stop whatever runs now, found by pid file
  await backend.server?.stop();
  await stopServerOf(backend.dirs.server);
  await backend.broker?.stop();
  await stopBrokerOf(backend.dirs.zeebe);
  await backend.postgres?.stop();
}

function createShared(): Shared {
  const shared: Shared = { users: 0, ready: undefined as unknown as Promise<Backend> };
  shared.ready = startBackend((backend) => (shared.backend = backend));
  return shared;
}

async function startBackend(created: (backend: Backend) => void): Promise<Backend> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lu-it-'));
  const backend: Backend = {
    gatewayPort: await freeBrokerPort(),
    dirs: { server: path.join(root, 'server'), zeebe: path.join(root, 'zeebe'), zeebeLog: path.join(root, 'zeebe.log') },
  };
  created(backend);
  if (process.env.TEST_DB === 'postgres') {
    backend.postgres = await startPostgres({ dir: fs.mkdtempSync(path.join(os.tmpdir(), 'lu-pg-')), port: await freePort(), log: (m) => console.log(`[it] ${m}`) });
    // read by startServerProcess in the test files' processes too (they inherit the environment)
    process.env.TEST_PG_ADMIN_URL = backend.postgres.url();
  } else if (process.env.TEST_DB && process.env.TEST_DB !== 'sqlite') {
    throw new Error(`TEST_DB must be sqlite or postgres, not ${process.env.TEST_DB}`);
  }
  const started = Date.now();
  backend.broker = await startBroker({ gatewayPort: backend.gatewayPort, dataDir: backend.dirs.zeebe, logFile: backend.dirs.zeebeLog }, (m) => console.log(`[zeebe] ${m}`));
  console.log(`[it] broker up at ${backend.broker.address} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  backend.server = await startServerProcess({ dataDir: backend.dirs.server, zeebeAddress: backend.broker.address, env: UNLIMITED });
  console.log(`[it] server up at ${backend.server.baseUrl}`);
  return backend;
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    dataDir: string;
    zeebeAddress: string;
    zeebe: { dataDir: string; logFile: string; gatewayPort: number };
  }
}
