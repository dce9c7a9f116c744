/**
 * Fetch, start and stop a real single-node Zeebe broker (embedded gateway) without Docker.
 *
 * - The pinned distribution (ZEEBE_VERSION) is fetched from Maven Central with `mvn
 *   dependency:copy` and extracted atomically into the git-ignored folder `.zeebe/`.
 * - Zeebe 8.5 needs Java 21+; see findJavaHome() for how the JDK is chosen
 *   (ZEEBE_JAVA_HOME > JAVA_HOME > highest JDK >= 21 in /usr/lib/jvm > `java` on PATH).
 * - The broker runs detached (own process group) so a CLI can exit while it keeps running.
 *   startBroker() writes the broker pid to `<dataDir>.pid` (e.g. data/zeebe.pid for
 *   data/zeebe) and removes it again in stop().
 * - Ports, for gateway port G (default 26500): gRPC gateway G, command API G+1, internal API
 *   G+2, REST gateway G+80, management (actuator) G+100. All bound to 127.0.0.1.
 * - Options for the tests: TLS on the gateway (certificate and key files), token checking by the
 *   gateway (Camunda identity mode against an OpenID provider), and membership in a cluster of N
 *   brokers (startCluster: replication, distinct ports, small heaps).
 *
 * CLI: `tsx tools/zeebe.ts fetch|start|stop|status`
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ZBClient } from 'zeebe-node';
import type { TopologyResponse, ZBClientOptions } from 'zeebe-node';

export const ZEEBE_VERSION = '8.5.8';
const MIN_JAVA = 21;
const DEFAULT_GATEWAY_PORT = 26500;
const DEFAULT_READY_TIMEOUT_MS = 300_000;
const STOP_GRACE_MS = 30_000;

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ZEEBE_HOME = path.join(PROJECT_ROOT, '.zeebe');
const DIST_NAME = `camunda-zeebe-${ZEEBE_VERSION}`;

export interface BrokerOptions {
  /** gRPC gateway port on 127.0.0.1; default 26500. */
  gatewayPort?: number;
  /** Broker data directory (created if missing). */
  dataDir: string;
  /** Broker stdout/stderr; default `<dataDir>/../broker.log`. Truncated on each start. */
  logFile?: string;
  /** TLS on the gRPC gateway: PEM certificate chain and PKCS#8 key files */
  tls?: { certFile: string; keyFile: string };
  /**
   * The gateway accepts only calls with a bearer token it verifies (Camunda identity mode, type
   * KEYCLOAK: keys from `<issuerBackendUrl>/protocol/openid-connect/certs`, `aud` must contain `audience`).
   */
  tokenCheck?: { issuerBackendUrl: string; audience: string };
  /** How a client reaches this gateway (TLS, OAuth): used by the readiness probe. */
  client?: Pick<ZBClientOptions, 'useTLS' | 'customSSL' | 'oAuth'>;
  /** Member of a cluster (see startCluster); default: a single node. */
  cluster?: ClusterMembership;
  /** JVM options; default ZEEBE_JAVA_OPTS, else a 512 MB heap */
  javaOpts?: string;
}

export interface ClusterMembership {
  name: string;
  nodeId: number;
  size: number;
  partitions: number;
  replicationFactor: number;
  /** internal API addresses (host:G+2) of all members */
  contactPoints: string[];
}

export interface BrokerHandle {
  /** `127.0.0.1:<gatewayPort>` */
  address: string;
  /** Broker (java) pid; 0 when startBroker() found a gateway already running (see there). */
  pid: number;
  /** SIGTERM to the broker's process group, SIGKILL after 30 s. */
  stop(): Promise<void>;
  /** SIGKILL to the broker's process group (a crash), resolved once it is gone. */
  kill(): Promise<void>;
}

type Log = (msg: string) => void;
const noLog: Log = () => {};

// ---------------------------------------------------------------------------------------------
// Java

function javaVersionOf(javaHome: string): number | undefined {
  const bin = path.join(javaHome, 'bin', 'java');
  if (!fs.existsSync(bin)) return undefined;
  const r = spawnSync(bin, ['-version'], { encoding: 'utf8', timeout: 20_000 });
  const out = `${r.stderr ?? ''}\n${r.stdout ?? ''}`;
  // openjdk version "25.0.3" 2026-04-21 | java version "1.8.0_292" | openjdk version "21" ...
  const m = /version "(\d+)(?:\.(\d+))?[^"]*"/.exec(out);
  if (!m) return undefined;
  const major = Number(m[1]);
  return major === 1 && m[2] ? Number(m[2]) : major;
}

function javaOnPath(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const bin = path.join(dir, 'java');
    try {
      fs.accessSync(bin, fs.constants.X_OK);
      // /usr/bin/java -> /etc/alternatives/java -> /usr/lib/jvm/<jdk>/bin/java
      return path.dirname(path.dirname(fs.realpathSync(bin)));
    } catch {
      /* not here */
    }
  }
  return undefined;
}

/**
 * Pick a JDK for the broker: ZEEBE_JAVA_HOME if set (must be 21+), else JAVA_HOME if it is
 * 21+, else the highest version >= 21 under /usr/lib/jvm, else `java` on PATH if 21+.
 * Throws an Error that says what was found when no suitable JDK exists.
 */
export function findJavaHome(): { javaHome: string; version: number } {
  const forced = process.env.ZEEBE_JAVA_HOME;
  if (forced) {
    const version = javaVersionOf(forced);
    if (version === undefined) {
      throw new Error(`ZEEBE_JAVA_HOME=${forced} does not contain a working bin/java.`);
    }
    if (version < MIN_JAVA) {
      throw new Error(
        `ZEEBE_JAVA_HOME=${forced} is Java ${version}, but Zeebe ${ZEEBE_VERSION} needs Java ${MIN_JAVA}+. Point ZEEBE_JAVA_HOME at a JDK ${MIN_JAVA} or newer (or unset it to auto-detect).`,
      );
    }
    return { javaHome: forced, version };
  }

  const found: { javaHome: string; version: number }[] = [];
  const consider = (home: string | undefined): { javaHome: string; version: number } | undefined => {
    if (!home || found.some((f) => f.javaHome === home)) return undefined;
    const version = javaVersionOf(home);
    if (version === undefined) return undefined;
    const entry = { javaHome: home, version };
    found.push(entry);
    return entry;
  };

  const fromEnv = consider(process.env.JAVA_HOME);
  if (fromEnv && fromEnv.version >= MIN_JAVA) return fromEnv;

  const jvmDir = '/usr/lib/jvm';
  let best: { javaHome: string; version: number } | undefined;
  if (fs.existsSync(jvmDir)) {
    for (const name of fs.readdirSync(jvmDir).sort()) {
      const home = path.join(jvmDir, name);
      try {
        if (fs.lstatSync(home).isSymbolicLink()) continue; // aliases like java-1.17.0-openjdk-amd64
      } catch {
        continue;
      }
      const e = consider(home);
      if (e && e.version >= MIN_JAVA && (!best || e.version > best.version)) best = e;
    }
  }
  if (best) return best;

  const fromPath = consider(javaOnPath());
  if (fromPath && fromPath.version >= MIN_JAVA) return fromPath;

  if (found.length === 0) {
    throw new Error(
      `No Java found (checked JAVA_HOME, /usr/lib/jvm/*, PATH). Zeebe ${ZEEBE_VERSION} needs Java ${MIN_JAVA}+: install a JDK ${MIN_JAVA}+ (e.g. Temurin 21) and/or set ZEEBE_JAVA_HOME to it.`,
    );
  }
  const list = found.map((f) => `Java ${f.version} at ${f.javaHome}`).join(', ');
  throw new Error(
    `Only Java older than ${MIN_JAVA} found (${list}), but Zeebe ${ZEEBE_VERSION} needs Java ${MIN_JAVA}+. Install a JDK ${MIN_JAVA}+ (e.g. Temurin 21) and/or set ZEEBE_JAVA_HOME to it.`,
  );
}

// ---------------------------------------------------------------------------------------------
// Distribution

function run(cmd: string, args: string[], cwd?: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (b: Buffer) => {
      output += b.toString();
      if (output.length > 20_000) output = output.slice(-20_000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

function hasCommand(cmd: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
    if (!dir) return false;
    try {
      fs.accessSync(path.join(dir, cmd), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function isComplete(distDir: string): boolean {
  return fs.existsSync(path.join(distDir, 'bin', 'broker')) && fs.existsSync(path.join(distDir, 'lib'));
}

/**
 * Make sure `.zeebe/camunda-zeebe-<ZEEBE_VERSION>/` exists; fetch it with Maven if not.
 * Extraction happens in a temp dir that is renamed into place, so a half-done fetch is never
 * taken for a complete one. Returns the distribution directory.
 */
export async function ensureZeebeDistribution(log: Log = noLog): Promise<string> {
  const distDir = path.join(ZEEBE_HOME, DIST_NAME);
  if (isComplete(distDir)) return distDir;

  if (!hasCommand('mvn')) {
    throw new Error(
      `Maven (mvn) not found on PATH, and the Zeebe ${ZEEBE_VERSION} distribution is not in ${distDir} yet. Install Maven (e.g. apt-get install maven) so it can be fetched from Maven Central.`,
    );
  }
  if (!hasCommand('tar')) throw new Error('tar not found on PATH (needed to extract the Zeebe distribution).');

  fs.mkdirSync(ZEEBE_HOME, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(ZEEBE_HOME, `.fetch-${process.pid}-`));
  try {
    const started = Date.now();
    log(`Fetching Zeebe ${ZEEBE_VERSION} from Maven Central (~210 MB)...`);
    const artifact = `io.camunda:camunda-zeebe:${ZEEBE_VERSION}:tar.gz`;
    const mvn = await run('mvn', ['-q', '-B', 'dependency:copy', `-Dartifact=${artifact}`, `-DoutputDirectory=${tmp}`], tmp);
    const tarball = path.join(tmp, `camunda-zeebe-${ZEEBE_VERSION}.tar.gz`);
    if (mvn.code !== 0 || !fs.existsSync(tarball)) {
      throw new Error(`mvn dependency:copy -Dartifact=${artifact} failed (exit ${mvn.code}):\n${mvn.output.slice(-4000)}`);
    }
    log(`Downloaded in ${((Date.now() - started) / 1000).toFixed(1)} s; extracting...`);
    const extractDir = path.join(tmp, 'x');
    fs.mkdirSync(extractDir);
    const tar = await run('tar', ['xzf', tarball, '--no-same-owner', '-C', extractDir]);
    if (tar.code !== 0) throw new Error(`tar xzf ${tarball} failed (exit ${tar.code}):\n${tar.output.slice(-4000)}`);
    fs.rmSync(tarball, { force: true });
    const extracted = path.join(extractDir, DIST_NAME);
    if (!isComplete(extracted)) {
      throw new Error(`Unexpected archive layout: ${extracted}/bin/broker not found after extraction.`);
    }
    try {
      fs.renameSync(extracted, distDir);
    } catch (e) {
      // Another process may have completed the same fetch concurrently.
      if (!isComplete(distDir)) throw e;
    }
    log(`Zeebe ${ZEEBE_VERSION} ready in ${distDir} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return distDir;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Gateway probing

type Probe = 'down' | 'foreign' | 'starting' | 'ready';

function parseAddress(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  if (i < 0) return { host: address, port: DEFAULT_GATEWAY_PORT };
  return { host: address.slice(0, i) || '127.0.0.1', port: Number(address.slice(i + 1)) };
}

/** Is anything accepting TCP connections on host:port? */
function tcpOpen(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    const done = (open: boolean) => {
      sock.destroy();
      resolve(open);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

async function anyOpen(host: string, ports: number[]): Promise<boolean> {
  return (await Promise.all(ports.map((p) => tcpOpen(host, p, 300)))).some(Boolean);
}

const silentLogger = { debug: () => {}, info: () => {}, error: () => {} };

function hasHealthyLeader(t: TopologyResponse): boolean {
  return t.brokers.some((b) => b.partitions.some((p) => String(p.role) === 'LEADER' && String(p.health) === 'HEALTHY'));
}

/**
 * One topology request with a fresh client (a reused gRPC channel would back off for 5 s
 * after a failed connect). 'foreign' = the port is open but does not speak Zeebe gRPC.
 */
async function probeGateway(address: string, timeoutMs = 3000, client: BrokerOptions['client'] = {}): Promise<Probe> {
  const { host, port } = parseAddress(address);
  if (!(await tcpOpen(host, port, Math.min(timeoutMs, 1000)))) return 'down';
  const zbc = new ZBClient(`${host}:${port}`, {
    useTLS: false,
    ...client,
    loglevel: 'NONE',
    stdout: silentLogger,
    retry: false,
    eagerConnection: false,
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const result = await Promise.race([
      zbc.topology().then(
        (t) => ({ ok: true as const, t }),
        (err: unknown) => ({ ok: false as const, err }),
      ),
      timeout,
    ]);
    if (result === 'timeout') return 'foreign';
    if (result.ok) return hasHealthyLeader(result.t) ? 'ready' : 'starting';
    const code = (result.err as { code?: number }).code;
    // 14 UNAVAILABLE: gateway up but no broker/partitions yet (or connection refused/reset
    // during start-up). Anything else that is a gRPC status still means "speaks Zeebe gRPC".
    if (code === 14 || code === 4 /* DEADLINE_EXCEEDED */) return 'starting';
    if (code === 12 /* UNIMPLEMENTED */ || code === 13 /* INTERNAL: protocol error */) return 'foreign';
    return typeof code === 'number' ? 'starting' : 'foreign';
  } finally {
    if (timer) clearTimeout(timer);
    await zbc.close(500).catch(() => {});
  }
}

/** Single quick check (<= ~3 s): does a Zeebe gateway answer at `address` with a healthy leader? */
export async function isGatewayUp(address: string): Promise<boolean> {
  return (await probeGateway(address, 2500)) === 'ready';
}

/**
 * Poll (every 500 ms) until the gateway at `address` reports a partition whose leader is healthy.
 * Rejects after `timeoutMs` (default 300 s: a loaded machine has needed 115 s for the broker alone).
 */
export async function waitForGateway(address: string, timeoutMs = DEFAULT_READY_TIMEOUT_MS, client?: BrokerOptions['client']): Promise<void> {
  await pollGateway(address, timeoutMs, (state) => state === 'ready', client);
}

/**
 * Probes the gateway every 500 ms until `done(state)` (or `stop()`) holds, and returns that last
 * state; rejects after `timeoutMs`.
 */
async function pollGateway(address: string, timeoutMs: number, done: (state: Probe) => boolean, client?: BrokerOptions['client'], stop: () => boolean = () => false): Promise<Probe> {
  const deadline = Date.now() + timeoutMs;
  let last: Probe = 'down';
  for (;;) {
    if (stop()) return last;
    last = await probeGateway(address, Math.max(500, Math.min(3000, deadline - Date.now())), client);
    if (done(last) || stop()) return last;
    if (Date.now() >= deadline) {
      throw new Error(`Zeebe gateway at ${address} not ready after ${Math.round(timeoutMs / 1000)} s (last state: ${last}).`);
    }
    await sleep(500);
  }
}

// ---------------------------------------------------------------------------------------------
// Processes

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Alive and not a zombie (a container's PID 1 may not reap re-parented processes). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true;
  }
}

function isZeebeProcess(pid: number): boolean {
  try {
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmd.includes('io.camunda.zeebe') || cmd.includes('camunda-zeebe');
  } catch {
    return isAlive(pid); // no /proc: trust the pid file
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

async function stopPid(pid: number, log: Log = noLog): Promise<void> {
  if (!isAlive(pid)) return;
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + STOP_GRACE_MS;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return;
    await sleep(200);
  }
  log(`Broker pid ${pid} did not exit within ${STOP_GRACE_MS / 1000} s; sending SIGKILL`);
  signalGroup(pid, 'SIGKILL');
  for (let i = 0; i < 50 && isAlive(pid); i++) await sleep(100);
}

function tailFile(file: string, lines = 40): string {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const len = Math.min(size, 64 * 1024);
      const buf = Buffer.alloc(len);
      fs.readSync(fd, buf, 0, len, size - len);
      return buf
        .toString('utf8')
        .split('\n')
        .slice(-lines - 1)
        .join('\n')
        .trimEnd();
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return `(no log at ${file})`;
  }
}

function pidFileFor(dataDir: string): string {
  return `${path.resolve(dataDir).replace(/[/\\]+$/, '')}.pid`;
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Broker

/**
 * Fetch the distribution if needed, start a detached single-node broker and wait until its
 * gateway has a healthy leader (timeout 120 s, env ZEEBE_START_TIMEOUT_MS overrides; on timeout
 * or early exit the broker is killed and the error carries the last 40 log lines).
 *
 * If a Zeebe gateway already answers on the gateway port, nothing is started: the returned
 * handle has pid 0 and its stop() does nothing (whoever started that broker stops it).
 * If the port is taken by something that is not a Zeebe gateway, or one of the broker's other
 * ports (G+1, G+2, G+80, G+100) is taken, it throws.
 */
export async function startBroker(opts: BrokerOptions, log: Log = noLog): Promise<BrokerHandle> {
  const gatewayPort = opts.gatewayPort ?? DEFAULT_GATEWAY_PORT;
  const host = '127.0.0.1';
  const address = `${host}:${gatewayPort}`;
  const dataDir = path.resolve(opts.dataDir);
  const logFile = path.resolve(opts.logFile ?? path.join(dataDir, '..', 'broker.log'));
  const pidFile = pidFileFor(dataDir);

  // 1. Something already on the gateway port?
  if (await tcpOpen(host, gatewayPort)) {
    let state = await probeGateway(address, 3000, opts.client);
    if (state === 'starting') {
      log(`A Zeebe gateway is already starting on ${address}; waiting for it`);
      // unless its port closes: that was a broker dying (a killed JVM keeps its listening socket
      // for a moment), and we start our own
      state = await pollGateway(address, DEFAULT_READY_TIMEOUT_MS, (next) => next !== 'starting', opts.client);
    }
    if (state === 'ready') {
      log(`A Zeebe gateway is already running on ${address}; reusing it (stop() will not stop it)`);
      return { address, pid: 0, stop: async () => {}, kill: async () => {} };
    }
    if (state !== 'down') {
      throw new Error(`Port ${gatewayPort} on ${host} is in use by something that is not a Zeebe gateway. Stop it or choose another gatewayPort.`);
    }
  }

  // 2. A broker of ours for this data dir still alive (e.g. hung, gateway closed)?
  const oldPid = readPid(pidFile);
  if (oldPid && isAlive(oldPid) && isZeebeProcess(oldPid)) {
    throw new Error(`A Zeebe broker (pid ${oldPid}, pid file ${pidFile}) is still running for ${dataDir} but its gateway does not answer on ${address}. Stop it first (kill ${oldPid}).`);
  }

  // 3. The broker's other ports must be free.
  const otherPorts: [number, string][] = [
    [gatewayPort + 1, 'command API'],
    [gatewayPort + 2, 'internal API'],
    [gatewayPort + 80, 'REST gateway'],
    [gatewayPort + 100, 'management'],
  ];
  for (const [port, what] of otherPorts) {
    if (await tcpOpen(host, port, 500)) {
      throw new Error(`Port ${port} (Zeebe ${what} port for gateway port ${gatewayPort}) is already in use on ${host}.`);
    }
  }

  // 4. Java first (fails fast, before a 200 MB download), then the distribution.
  const java = findJavaHome();
  const distDir = await ensureZeebeDistribution(log);

  fs.mkdirSync(dataDir, { recursive: true });
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const out = fs.openSync(logFile, 'w');

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    JAVA_HOME: java.javaHome,
    JAVA_OPTS: opts.javaOpts ?? process.env.ZEEBE_JAVA_OPTS ?? '-Xms128m -Xmx512m -XX:+UseSerialGC',
    ZEEBE_BROKER_GATEWAY_ENABLE: 'true',
    ZEEBE_BROKER_NETWORK_HOST: host,
    ZEEBE_BROKER_GATEWAY_NETWORK_HOST: host,
    ZEEBE_BROKER_GATEWAY_NETWORK_PORT: String(gatewayPort),
    ZEEBE_BROKER_NETWORK_COMMANDAPI_PORT: String(gatewayPort + 1),
    ZEEBE_BROKER_NETWORK_INTERNALAPI_PORT: String(gatewayPort + 2),
    ZEEBE_BROKER_DATA_DIRECTORY: dataDir,
    ZEEBE_BROKER_DATA_DISK_FREESPACE_PROCESSING: '200MB',
    ZEEBE_BROKER_DATA_DISK_FREESPACE_REPLICATION: '100MB',
    // 8.5 REST gateway (Spring server): never 8080 / the app port. Must differ from management.
    SERVER_ADDRESS: host,
    SERVER_PORT: String(gatewayPort + 80),
    MANAGEMENT_SERVER_ADDRESS: host,
    MANAGEMENT_SERVER_PORT: String(gatewayPort + 100),
    ...tlsEnv(opts.tls),
    ...tokenCheckEnv(opts.tokenCheck),
    ...clusterEnv(opts.cluster),
  };
  // Do not let the app's client settings leak into the broker's Spring config.
  for (const key of Object.keys(env)) if (key.startsWith('ZEEBE_') && !key.startsWith('ZEEBE_BROKER_')) delete env[key];

  log(`Starting Zeebe ${ZEEBE_VERSION} broker on ${address} (Java ${java.version}, data ${dataDir}, log ${logFile})`);
  const child = spawn(path.join(distDir, 'bin', 'broker'), [], {
    cwd: distDir,
    env,
    detached: true,
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  const spawnError = new Promise<never>((_, reject) => {
    child.once('error', (e) => reject(new Error(`Could not start ${distDir}/bin/broker: ${e.message}`)));
  });
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exitPromise = new Promise<never>((_, reject) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      reject(new Error(`Zeebe broker exited during start-up (${signal ?? `exit code ${code}`}). Last lines of ${logFile}:\n` + tailFile(logFile)));
    });
  });
  child.unref();
  const pid = child.pid;
  if (pid === undefined) {
    await spawnError;
    throw new Error(`Could not start ${distDir}/bin/broker`);
  }
  fs.writeFileSync(pidFile, `${pid}\n`);

  const stop = async () => {
    if (!exited) await stopPid(pid, log);
    if (readPid(pidFile) === pid) fs.rmSync(pidFile, { force: true });
  };
  const kill = async () => {
    signalGroup(pid, 'SIGKILL');
    // A loaded machine can take seconds to tear a JVM down; a restart needs its ports back.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && (isAlive(pid) || (await anyOpen(host, [gatewayPort, gatewayPort + 1, gatewayPort + 2])))) await sleep(200);
    if (readPid(pidFile) === pid) fs.rmSync(pidFile, { force: true });
  };

  let settled = false; // stops the polling loop once start-up failed some other way
  try {
    await Promise.race([
      pollGateway(
        address,
        Number(process.env.ZEEBE_START_TIMEOUT_MS) || DEFAULT_READY_TIMEOUT_MS,
        (state) => state === 'ready',
        opts.client,
        () => settled,
      ).catch((e: Error) => {
        throw new Error(`${e.message} Last lines of ${logFile}:\n${tailFile(logFile)}`);
      }),
      exitPromise,
      spawnError,
    ]);
  } catch (e) {
    await stop();
    throw e;
  } finally {
    settled = true;
    exitPromise.catch(() => {}); // later exits are not start-up failures
    spawnError.catch(() => {});
  }
  return { address, pid, stop, kill };
}

function tlsEnv(tls: BrokerOptions['tls']): NodeJS.ProcessEnv {
  if (!tls) return {};
  return {
    ZEEBE_BROKER_GATEWAY_SECURITY_ENABLED: 'true',
    ZEEBE_BROKER_GATEWAY_SECURITY_CERTIFICATECHAINPATH: tls.certFile,
    ZEEBE_BROKER_GATEWAY_SECURITY_PRIVATEKEYPATH: tls.keyFile,
  };
}

function tokenCheckEnv(check: BrokerOptions['tokenCheck']): NodeJS.ProcessEnv {
  if (!check) return {};
  return {
    ZEEBE_BROKER_GATEWAY_SECURITY_AUTHENTICATION_MODE: 'identity',
    ZEEBE_BROKER_GATEWAY_SECURITY_AUTHENTICATION_IDENTITY_ISSUERBACKENDURL: check.issuerBackendUrl,
    ZEEBE_BROKER_GATEWAY_SECURITY_AUTHENTICATION_IDENTITY_AUDIENCE: check.audience,
    ZEEBE_BROKER_GATEWAY_SECURITY_AUTHENTICATION_IDENTITY_TYPE: 'KEYCLOAK',
  };
}

/** Cluster membership, and the small footprint several brokers need on one small machine. */
function clusterEnv(cluster: ClusterMembership | undefined): NodeJS.ProcessEnv {
  if (!cluster) return {};
  return {
    ZEEBE_BROKER_CLUSTER_CLUSTERNAME: cluster.name,
    ZEEBE_BROKER_CLUSTER_NODEID: String(cluster.nodeId),
    ZEEBE_BROKER_CLUSTER_CLUSTERSIZE: String(cluster.size),
    ZEEBE_BROKER_CLUSTER_PARTITIONSCOUNT: String(cluster.partitions),
    ZEEBE_BROKER_CLUSTER_REPLICATIONFACTOR: String(cluster.replicationFactor),
    ZEEBE_BROKER_CLUSTER_INITIALCONTACTPOINTS: cluster.contactPoints.join(','),
    ZEEBE_BROKER_THREADS_CPUTHREADCOUNT: '1',
    ZEEBE_BROKER_THREADS_IOTHREADCOUNT: '1',
    ZEEBE_BROKER_DATA_LOGSEGMENTSIZE: '16MB',
    ZEEBE_BROKER_EXPERIMENTAL_ROCKSDB_MEMORYLIMIT: '32MB',
    // gateway → broker: three JVMs on a loaded 2-CPU machine answer slower than the 15 s default
    ZEEBE_BROKER_GATEWAY_CLUSTER_REQUESTTIMEOUT: '45s',
  };
}

/**
 * A candidate first broker port under Linux's ephemeral range (32768–60999): a port the OS hands
 * out for `listen(0)` is ephemeral, and an outgoing connection (of another broker, PostgreSQL, a
 * test) may take it or one of the broker's other ports before the broker binds them ("Address
 * already in use"), or when a broker restarts on its old ports.
 */
export const belowEphemeralPort = async (): Promise<number> => 20_000 + Math.floor(Math.random() * 12_000);

/** A gateway port for one broker whose other ports (+1, +2, +80, +100) are free too, under the ephemeral range. */
export const freeBrokerPort = (): Promise<number> => freeClusterPorts(1, belowEphemeralPort);

/** A first gateway port for startCluster whose brokers' ports (5 per broker, +80, +100) are all free. */
export async function freeClusterPorts(size: number, candidate: () => Promise<number>): Promise<number> {
  for (;;) {
    const first = await candidate();
    const ports = Array.from({ length: size }, (_, i) => [0, 1, 2, 80, 100].map((offset) => first + 5 * i + offset)).flat();
    if (ports.every((p) => p < 65536) && (await Promise.all(ports.map((p) => tcpOpen('127.0.0.1', p, 300)))).every((open) => !open)) return first;
  }
}

export interface ClusterOptions {
  size: number;
  replicationFactor: number;
  partitions: number;
  /** each broker's data folder and log go under it (`broker-<id>/`, `broker-<id>.log`) */
  dir: string;
  /** gateway port of broker i is firstPort + 5i (its other ports are +1, +2, +80, +100) */
  firstPort: number;
  javaOpts?: string;
}

export interface Cluster {
  brokers: BrokerHandle[];
  /** the options each broker was started with, to restart it after a kill */
  brokerOptions: BrokerOptions[];
  /** restarts broker i (after kill() or stop()); resolves when its gateway sees a healthy leader */
  restart(i: number): Promise<BrokerHandle>;
  /** resolves when every broker is in the topology and every partition has a healthy leader */
  waitUntilComplete(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts `size` brokers (each with an embedded gateway) forming one cluster. They start together:
 * no broker's gateway can see a leader before a quorum is up.
 */
export async function startCluster(opts: ClusterOptions, log: Log = noLog): Promise<Cluster> {
  const name = `lu-test-${process.pid}-${opts.firstPort}`;
  const ports = Array.from({ length: opts.size }, (_, i) => opts.firstPort + 5 * i);
  const brokerOptions: BrokerOptions[] = ports.map((gatewayPort, nodeId) => ({
    gatewayPort,
    dataDir: path.join(opts.dir, `broker-${nodeId}`),
    logFile: path.join(opts.dir, `broker-${nodeId}.log`),
    javaOpts: opts.javaOpts,
    cluster: { name, nodeId, size: opts.size, partitions: opts.partitions, replicationFactor: opts.replicationFactor, contactPoints: ports.map((p) => `127.0.0.1:${p + 2}`) },
  }));
  const starts = await Promise.allSettled(brokerOptions.map((o) => startBroker(o, log)));
  const failed = starts.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(starts.map((r) => (r.status === 'fulfilled' ? r.value.stop() : undefined)));
    throw failed.reason;
  }
  const brokers = starts.map((r) => (r as PromiseFulfilledResult<BrokerHandle>).value);
  const cluster: Cluster = {
    brokers,
    brokerOptions,
    async restart(i) {
      brokers[i] = await startBroker(brokerOptions[i]!, log);
      return brokers[i]!;
    },
    async waitUntilComplete(timeoutMs = DEFAULT_READY_TIMEOUT_MS) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const topology = await readTopology(brokers[0]!.address).catch(() => undefined);
        if (topology && isComplete(topology)) return;
        if (Date.now() > deadline) throw new Error(`Zeebe cluster not complete after ${timeoutMs / 1000} s: ${JSON.stringify(topology?.brokers.map((b) => b.partitions))}`);
        await sleep(1000);
      }
    },
    async stop() {
      await Promise.all(brokers.map((b) => b.stop()));
      // a broker still restarting when the caller gave up has no handle yet: found by pid file
      await Promise.all(brokerOptions.map((o) => stopBrokerOf(o.dataDir)));
    },
  };
  const isComplete = (t: TopologyResponse) =>
    t.brokers.length === opts.size &&
    Array.from({ length: opts.partitions }, (_, i) => i + 1).every((id) =>
      t.brokers.some((b) => b.partitions.some((p) => p.partitionId === id && String(p.role) === 'LEADER' && String(p.health) === 'HEALTHY')),
    );
  await cluster.waitUntilComplete();
  return cluster;
}

async function readTopology(address: string): Promise<TopologyResponse> {
  const zbc = new ZBClient(address, { useTLS: false, loglevel: 'NONE', stdout: silentLogger, retry: false, eagerConnection: false });
  try {
    return await zbc.topology();
  } finally {
    await zbc.close(500).catch(() => {});
  }
}

/**
 * Stops the broker started for a data dir (found through its pid file), whichever process
 * started it. Used by the CLI and by tests that restart the broker.
 */
export async function stopBrokerOf(dataDir: string, log: Log = noLog): Promise<void> {
  const pidFile = pidFileFor(dataDir);
  const pid = readPid(pidFile);
  if (!pid || !isAlive(pid)) {
    fs.rmSync(pidFile, { force: true });
    log(`No broker running (pid file ${pidFile}${pid ? ` names dead pid ${pid}` : ' absent'})`);
    return;
  }
  if (!isZeebeProcess(pid)) {
    fs.rmSync(pidFile, { force: true });
    log(`pid ${pid} from ${pidFile} is not a Zeebe broker; removed stale pid file`);
    return;
  }
  const t0 = Date.now();
  await stopPid(pid, log);
  fs.rmSync(pidFile, { force: true });
  log(`Stopped Zeebe broker pid ${pid} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

// ---------------------------------------------------------------------------------------------
// CLI

async function cli(cmd: string | undefined): Promise<number> {
  const dataDir = path.join(PROJECT_ROOT, 'data', 'zeebe');
  const pidFile = pidFileFor(dataDir); // data/zeebe.pid
  const logFile = path.join(PROJECT_ROOT, 'data', 'zeebe.log');
  const port = Number(process.env.ZEEBE_GATEWAY_PORT ?? DEFAULT_GATEWAY_PORT);
  const address = `127.0.0.1:${port}`;
  const say = (m: string) => console.log(m);

  switch (cmd) {
    case 'fetch': {
      const dir = await ensureZeebeDistribution(say);
      say(`Zeebe ${ZEEBE_VERSION}: ${dir}`);
      const java = findJavaHome();
      say(`Java ${java.version}: ${java.javaHome}`);
      return 0;
    }
    case 'start': {
      const t0 = Date.now();
      const h = await startBroker({ gatewayPort: port, dataDir, logFile }, say);
      const secs = ((Date.now() - t0) / 1000).toFixed(1);
      if (h.pid === 0) say(`Zeebe gateway already up at ${h.address} (checked in ${secs} s)`);
      else say(`Zeebe ${ZEEBE_VERSION} up at ${h.address} (pid ${h.pid}) in ${secs} s; log ${logFile}`);
      return 0;
    }
    case 'stop': {
      await stopBrokerOf(dataDir, say);
      return 0;
    }
    case 'status': {
      const up = await isGatewayUp(address);
      const pid = readPid(pidFile);
      const pidInfo = pid && isAlive(pid) ? ` (pid ${pid})` : '';
      say(up ? `up ${address}${pidInfo}` : `down ${address}${pidInfo ? `; broker process${pidInfo} still running` : ''}`);
      return up ? 0 : 1;
    }
    default:
      console.error('usage: tsx tools/zeebe.ts fetch|start|stop|status   (env: ZEEBE_GATEWAY_PORT, ZEEBE_JAVA_HOME, ZEEBE_JAVA_OPTS, ZEEBE_START_TIMEOUT_MS)');
      return 2;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  cli(process.argv[2]).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exit(1);
    },
  );
}
