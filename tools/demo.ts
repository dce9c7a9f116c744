/**
 * `npm run demo`: the whole system in demo mode on this machine. Starts a local Zeebe broker
 * (unless ZEEBE_ADDRESS points at an existing cluster), then the server with migrations, demo
 * seeds, relays and workers, and prints the URL. Ctrl-C stops everything it started.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../server/config/config';
import { buildServer, serverNodeArgs } from './server-build';
import { startBroker, type BrokerHandle } from './zeebe';
import { build as viteBuild } from 'vite';

const dataDir = process.env.DATA_DIR ?? path.join(projectRoot, 'data');
const port = process.env.PORT ?? '3000';

async function main(): Promise<void> {
  const nodeEnv = process.env.NODE_ENV ?? 'development';
  if (nodeEnv === 'production') throw new Error('demo mode refuses to run with NODE_ENV=production');
  const t0 = Date.now();
  console.log('[demo] building the back office (backoffice/dist) and the portal (portal/dist) ...');
  const backoffice = viteBuild({ root: path.join(projectRoot, 'backoffice'), logLevel: 'warn' });
  const portal = viteBuild({ root: path.join(projectRoot, 'portal'), logLevel: 'warn' });
  const serverBundle = buildServer();
  // all awaited below; avoid an unhandled rejection meanwhile
  backoffice.catch(() => undefined);
  portal.catch(() => undefined);
  serverBundle.catch(() => undefined);
  let broker: BrokerHandle | undefined;
  let zeebeAddress = process.env.ZEEBE_ADDRESS;
  if (!zeebeAddress) {
    // ZEEBE_GATEWAY_PORT as for `npm run broker` (README "Broker script settings")
    const gatewayPort = process.env.ZEEBE_GATEWAY_PORT ? Number(process.env.ZEEBE_GATEWAY_PORT) : undefined;
    broker = await startBroker({ dataDir: path.join(dataDir, 'zeebe'), logFile: path.join(dataDir, 'zeebe.log'), gatewayPort }, (m) => console.log(`[zeebe] ${m}`));
    zeebeAddress = broker.address;
    console.log(`[demo] Zeebe broker ready at ${zeebeAddress} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } else {
    console.log(`[demo] using the Zeebe cluster at ${zeebeAddress} (no local broker)`);
  }

  // the back office the server serves at `/` (backoffice/dist), built while the broker starts
  await backoffice;
  await portal;
  await serverBundle;

  fs.mkdirSync(dataDir, { recursive: true });
  const logPath = path.join(dataDir, 'server.log');
  const log = fs.openSync(logPath, 'a');
  const server = spawn(process.execPath, serverNodeArgs, {
    cwd: projectRoot,
    // NODE_ENV as the user started us: Vite's in-process build sets it to production
    env: { ...process.env, NODE_ENV: nodeEnv, DEMO_MODE: 'true', ZEEBE_ADDRESS: zeebeAddress, DATA_DIR: dataDir, PORT: port },
    stdio: ['ignore', log, log],
  });

  let stopping = false;
  const stopAll = async (code: number) => {
    stopping = true;
    server.kill('SIGTERM');
    await new Promise((r) => (server.exitCode !== null ? r(null) : server.once('exit', r)));
    await broker?.stop();
    process.exit(code);
  };
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));
  server.once('exit', (code) => {
    if (stopping) return;
    console.error(`[demo] server exited with code ${code}; see ${logPath}`);
    void broker?.stop().then(() => process.exit(code ?? 1));
  });

  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    const ready = await fetch(`${url}/api/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
  }
  console.log(`[demo] ready after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(
    `[demo] back office and API: ${url}   (users: admin, luzern.einwohnerdienste, emmen.einwohnerdienste, luzern.teamlead, prozess.owner; password: ${process.env.DEMO_PASSWORD ?? 'demo1234'})`,
  );
  console.log(`[demo] residents' portal: ${url}/portal/   (citizens: anna.muster, max.neu; same password)`);
  console.log(`[demo] server log: ${logPath}; mail sink: ${path.join(dataDir, 'mail')}; Ctrl-C stops everything`);
}

main().catch((err) => {
  console.error(`[demo] ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
