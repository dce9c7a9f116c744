/**
 * One real Zeebe broker and one server (demo mode, temporary database) for the whole
 * integration run. Missing Java or Maven fails the run here with the broker tool's message.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startBroker, type BrokerHandle } from '../../tools/zeebe';
import { freePort, startServerProcess, type ServerProcess } from './server-process';

let broker: BrokerHandle | undefined;
let server: ServerProcess | undefined;

export async function setup(project: TestProject): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lu-it-'));
  const gatewayPort = await freePort();
  const started = Date.now();
  broker = await startBroker({ gatewayPort, dataDir: path.join(root, 'zeebe'), logFile: path.join(root, 'zeebe.log') }, (m) => console.log(`[zeebe] ${m}`));
  console.log(`[it] broker up at ${broker.address} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  server = await startServerProcess({ dataDir: path.join(root, 'server'), zeebeAddress: broker.address });
  console.log(`[it] server up at ${server.baseUrl}`);
  project.provide('baseUrl', server.baseUrl);
  project.provide('dataDir', server.dataDir);
  project.provide('zeebeAddress', broker.address);
}

export async function teardown(): Promise<void> {
  await server?.stop();
  await broker?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    dataDir: string;
    zeebeAddress: string;
  }
}
