/**
 * Production hardening (issue 15): login throttling shared by two server processes on one
 * database, login behind a TLS-terminating proxy, 503 + Retry-After while Zeebe is unreachable,
 * 405 for unknown methods, security headers.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { hash } from '@node-rs/argon2';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applicant, baseUrl, call, login, startSecondServer, submit, waitForTask } from './client';
import { openTestDatabase, startServerProcess, type ServerProcess } from './server-process';
import { UserRepository } from '../../server/repositories/users';
import { ThrottleRepository } from '../../server/repositories/throttles';

const post = (base: string, p: string, json: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(json) });

describe('login throttling across two server processes', () => {
  let second: ServerProcess;
  beforeAll(async () => {
    second = await startSecondServer({});
  }, 120_000);
  afterAll(async () => second?.stop());

  it('locks an account out after five failures spread over both servers, and records the lockout', async () => {
    const username = `throttle-${Date.now().toString(36)}`;
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const base = i % 2 === 0 ? baseUrl() : second.baseUrl;
      const res = await post(base, '/api/auth/login', { username, password: `guess-${i}` });
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(55);
    }
    // 5 failures counted in one database whichever server took them; then both servers refuse
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    const db = await openTestDatabase(inject('dataDir'));
    try {
      const events = await new ThrottleRepository(db).events(username);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ type: 'login.locked', username, details: { kind: 'account', lockouts: 1, lockedForSeconds: 60 } });
    } finally {
      await db.destroy();
    }
    // other accounts are not affected
    expect((await post(second.baseUrl, '/api/auth/login', { username: 'admin', password: 'demo1234' })).status).toBe(200);
  });
});

/** A TCP proxy in front of the broker that the test can take down and bring back. */
async function brokerProxy(target: string) {
  const [host, port] = target.split(':') as [string, string];
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  const listen = (onPort: number) =>
    new Promise<number>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(Number(port), host);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(onPort, '127.0.0.1', () => resolve((server!.address() as net.AddressInfo).port));
    });
  const proxyPort = await listen(0);
  return {
    address: `127.0.0.1:${proxyPort}`,
    async down() {
      await new Promise<void>((resolve) => {
        server!.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
    up: () => listen(proxyPort),
  };
}

describe('the engine unreachable', () => {
  let proxy: Awaited<ReturnType<typeof brokerProxy>>;
  let second: ServerProcess;
  beforeAll(async () => {
    proxy = await brokerProxy(inject('zeebeAddress'));
    second = await startSecondServer({ zeebeAddress: proxy.address });
  }, 120_000);
  afterAll(async () => {
    await second?.stop();
    await proxy?.down();
  });

  it('completing a task answers 503 with Retry-After, keeps the task open, and works once the engine is back', async () => {
    const res = await submit({ municipality: 1061, applicant: applicant(), data: {} });
    expect(res.status).toBe(201);
    const clerk = await login('luzern.einwohnerdienste');
    const task = await waitForTask(clerk, res.body.reference);
    expect((await call('POST', `/api/tasks/${task.id}/claim`, { token: clerk })).status).toBe(200);

    await proxy.down();
    const complete = () => post(second.baseUrl, `/api/tasks/${task.id}/complete`, { variables: { approved: true } }, { authorization: `Bearer ${clerk}` });
    const refused = await complete();
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect((await call('GET', `/api/tasks/${task.id}`, { token: clerk })).body.state).toBe('open');

    await proxy.up();
    let done: Response | undefined;
    for (let i = 0; i < 30 && done?.status !== 200; i++) {
      done = await complete();
      if (done.status !== 200) await new Promise((r) => setTimeout(r, 1000));
    }
    expect(done!.status).toBe(200);
  }, 120_000);
});

describe('production behind a TLS-terminating proxy', () => {
  const production = {
    NODE_ENV: 'production',
    DEMO_MODE: 'false',
    ROLE: 'server',
    RECEIPT_SECRET: 'r'.repeat(40),
    SMTP_URL: 'smtp://127.0.0.1:9',
  };

  it('refuses to start with an http PUBLIC_BASE_URL, saying why', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lu-prod-http-'));
    await expect(startServerProcess({ dataDir, zeebeAddress: inject('zeebeAddress'), env: { ...production, PUBLIC_BASE_URL: 'http://lu.example' } })).rejects.toThrow(/exited with 1/);
    expect(fs.readFileSync(path.join(dataDir, 'server.log'), 'utf8')).toContain('PUBLIC_BASE_URL: production needs the https:// address');
  }, 120_000);

  it('logs staff in over the proxy’s plain-HTTP hop: a Secure, HttpOnly cookie that authenticates a change from the https origin', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lu-prod-'));
    const db = await openTestDatabase(dataDir);
    try {
      const passwordHash = await hash('Pr0duction-secret!');
      await new UserRepository(db).upsert({ username: 'ops.admin', displayName: 'Ops', email: null, roles: ['admin'], groups: [], organisations: [], passwordHash } as never);
    } finally {
      await db.destroy();
    }
    const server = await startServerProcess({ dataDir, zeebeAddress: inject('zeebeAddress'), env: { ...production, PUBLIC_BASE_URL: 'https://lu.example' } });
    try {
      const res = await post(server.baseUrl, '/api/auth/login', { username: 'ops.admin', password: 'Pr0duction-secret!' }, { 'x-forwarded-proto': 'https' });
      expect(res.status).toBe(200);
      const cookie = res.headers.get('set-cookie')!;
      expect(cookie).toMatch(/lu_session=[^;]+;.*secure/i);
      expect(cookie).toMatch(/httponly/i);
      // the browser's origin is https, the hop to the server plain http: the same-origin check accepts it
      const session = cookie.split(';')[0]!;
      const host = new URL(server.baseUrl).host;
      const foreign = await fetch(`${server.baseUrl}/api/auth/logout`, { method: 'POST', headers: { cookie: session, origin: 'https://evil.example' } });
      expect(foreign.status).toBe(403);
      const logout = await fetch(`${server.baseUrl}/api/auth/logout`, { method: 'POST', headers: { cookie: session, origin: `https://${host}` } });
      expect(logout.status).toBe(204);
    } finally {
      await server.stop();
    }
  }, 120_000);
});

describe('methods and headers', () => {
  it('answers methods the router does not know with 405 and Allow, unknown paths with 404', async () => {
    // node:http: fetch refuses to send TRACE
    const request = (method: string, p: string) =>
      new Promise<http.IncomingMessage>((resolve, reject) => {
        const req = http.request(`${baseUrl()}${p}`, { method }, (res) => {
          res.resume();
          res.on('end', () => resolve(res));
        });
        req.on('error', reject);
        req.end();
      });
    for (const method of ['TRACE', 'PROPFIND', 'PATCH']) {
      const res = await request(method, '/api/tasks');
      expect(res.statusCode, method).toBe(405);
      expect(res.headers.allow, method).toContain('GET');
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect((await request('PROPFIND', '/api/no-such-thing')).statusCode).toBe(404);
  });

  it('marks API answers and documents nosniff and no-store, and gives both apps a Content-Security-Policy', async () => {
    const admin = await login('admin');
    for (const p of ['/api/health', '/api/tasks', '/api/no-such-thing', '/api/v1/services']) {
      const res = await fetch(`${baseUrl()}${p}`, { headers: { authorization: `Bearer ${admin}` } });
      expect(res.headers.get('x-content-type-options'), p).toBe('nosniff');
      expect(res.headers.get('cache-control'), p).toBe('no-store');
    }
    const res = await submit({ municipality: 1061, applicant: applicant(), data: {} });
    const status = await call('GET', `/api/v1/submissions/${res.body.reference}`, { token: res.body.accessToken });
    expect(status.headers.get('cache-control')).toBe('no-store');
    for (const p of ['/', '/portal/']) {
      const page = await fetch(`${baseUrl()}${p}`);
      expect(page.status, p).toBe(200);
      const csp = page.headers.get('content-security-policy');
      expect(csp, p).toContain("script-src 'self'");
      expect(csp, p).toContain("frame-ancestors 'none'");
      expect(page.headers.get('x-content-type-options'), p).toBe('nosniff');
    }
  });
});
