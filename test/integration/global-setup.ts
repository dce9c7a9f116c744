/**
 * One real Zeebe broker and one server (demo mode, temporary database) for the whole
 * integration run. Missing Java or Maven fails the run here with the broker tool's message.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startBroker, stopBrokerOf, type BrokerHandle } from '../../tools/zeebe';
import { freePort, startServerProcess, stopServerOf, UNLIMITED, type ServerProcess } from './server-process';

let broker: BrokerHandle | undefined;

let server: ServerProcess | undefined;

export async function setup(project: TestProject): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lu-it-'));
  const gatewayPort = await freePort();
  const started = Date.now();
  const zeebeDataDir = path.join(root, 'zeebe');
  const zeebeLogFile = path.join(root, 'zeebe.log');
  broker = await startBroker({ gatewayPort, dataDir: zeebeDataDir, logFile: zeebeLogFile }, (m) => console.log(`[zeebe] ${m}`));
  console.log(`[it] broker up at ${broker.address} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  server = await startServerProcess({ dataDir: path.join(root, 'server'), zeebeAddress: broker.address, env: UNLIMITED });
  console.log(`[it] server up at ${server.baseUrl}`);
  project.provide('baseUrl', server.baseUrl);
  project.provide('dataDir', server.dataDir);
  project.provide('zeebeAddress', broker.address);
  project.provide('zeebe', { dataDir: zeebeDataDir, logFile: zeebeLogFile, gatewayPort });
  dirs = { server: server.dataDir, zeebe: zeebeDataDir };
}

let dirs: { server: string; zeebe: string } | undefined;

export async function teardown(): Promise<void> {
  // tests may have restarted server and broker: stop whatever runs now, found by pid file
  await server?.stop();
  if (dirs) await stopServerOf(dirs.server);
  await broker?.stop();
  if (dirs) await stopBrokerOf(dirs.zeebe);
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    dataDir: string;
    zeebeAddress: string;
    zeebe: { dataDir: string; logFile: string; gatewayPort: number };
  }
}
