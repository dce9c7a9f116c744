/**
 * The production shape of DESIGN.md §8 on one machine: a 3-broker Zeebe cluster (replication
 * factor 3), one private PostgreSQL, two ROLE=server processes and one ROLE=workers process, each
 * with a data folder of its own (nothing may rely on a shared local folder).
 *
 * Each process talks to the embedded gateway of broker 0 or 1; broker 2 serves no client, so
 * killing it tests what a broker crash does to the cluster (partition leaders move), not the
 * loss of a client's only gateway address (production clients use standalone gateways).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureDatabase, startPostgres, type PostgresHandle } from '../../tools/postgres';
import { belowEphemeralPort, freeClusterPorts, startCluster, type Cluster } from '../../tools/zeebe';
import { freePort, startServerProcess, UNLIMITED, type ServerProcess } from '../integration/server-process';

const BROKER_JAVA_OPTS = '-Xms64m -Xmx256m -XX:MaxDirectMemorySize=128m -XX:+UseSerialGC';
/** a loaded 2-CPU machine: a process may take minutes to start */
const START_TIMEOUT_MS = 5 * 60_000;

export type Say = (message: string) => void;

/** One server or workers process, restartable on the same port and data folder. */
export class AppProcess {
  private current: ServerProcess | undefined;

  constructor(
    readonly name: string,
    private readonly opts: { dataDir: string; port: number; zeebeAddress: string; env: Record<string, string> },
  ) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.opts.port}`;
  }

  get pid(): number | undefined {
    return this.current?.child.pid;
  }

  async start(): Promise<void> {
    this.current = await startServerProcess({ ...this.opts, readyTimeoutMs: START_TIMEOUT_MS });
  }

  /** A crash: SIGKILL, nothing drains. */
  async kill(): Promise<void> {
    await this.current?.stop('SIGKILL');
  }

  /** An orderly stop (a deploy, a scale-down): SIGTERM, and wait until the process is gone. */
  async terminate(): Promise<void> {
    await this.current?.stop('SIGTERM');
  }
}

export interface Installation {
  cluster: Cluster;
  postgres: PostgresHandle;
  databaseUrl: string;
  servers: [AppProcess, AppProcess];
  workers: AppProcess;
  stop(): Promise<void>;
}

export async function startInstallation(say: Say): Promise<Installation> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lu-cluster-'));
  say(`folder ${root}`);
  const started = Date.now();
  // a folder of its own under the world-traversable tmpdir: as root, PostgreSQL runs as `postgres`
  const postgres = await startPostgres({ dir: fs.mkdtempSync(path.join(os.tmpdir(), 'lu-cluster-pg-')), port: await freePort(), log: say });
  await ensureDatabase(postgres.url(), 'lu_cluster');
  const databaseUrl = postgres.url('lu_cluster');

  const cluster = await startCluster(
    { size: 3, replicationFactor: 3, partitions: 3, dir: path.join(root, 'zeebe'), firstPort: await freeClusterPorts(3, belowEphemeralPort), javaOpts: BROKER_JAVA_OPTS },
    (m) => say(`[zeebe] ${m}`),
  );
  say(`3 brokers up in ${seconds(started)} s`);

  // ROLE=workers answers its probes on OPS_PORT: the process's port is that one
  const env = (role: string, port: number) => ({ ...UNLIMITED, ROLE: role, DATABASE_URL: databaseUrl, ...(role === 'workers' ? { OPS_PORT: String(port) } : {}) });
  const [gateway0, gateway1] = cluster.brokers.map((b) => b.address) as [string, string];
  const app = async (name: string, role: string, zeebeAddress: string) => {
    const port = await freePort();
    return new AppProcess(name, { dataDir: path.join(root, name), port, zeebeAddress, env: env(role, port) });
  };
  const servers: [AppProcess, AppProcess] = [await app('server-a', 'server', gateway0), await app('server-b', 'server', gateway1)];
  const workers = await app('workers', 'workers', gateway0);
  const installation: Installation = {
    cluster,
    postgres,
    databaseUrl,
    servers,
    workers,
    async stop() {
      await Promise.all([...servers, workers].map((p) => p.terminate().catch(() => undefined)));
      await cluster.stop();
      await postgres.stop();
    },
  };
  try {
    // all three at once on the empty database: migrations and seeds run under a start-up lock
    await Promise.all([servers[0].start(), servers[1].start(), workers.start()]);
  } catch (err) {
    await installation.stop();
    throw err;
  }
  say(`servers ${servers.map((s) => s.baseUrl).join(', ')} and workers up after ${seconds(started)} s`);
  return installation;
}

export const seconds = (since: number) => ((Date.now() - since) / 1000).toFixed(1);
