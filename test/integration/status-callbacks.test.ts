/**
 * Status callbacks to portal clients (DESIGN.md §6, issue 13 item 6) with a real receiver in the
 * test (node:http on 127.0.0.1) that verifies the HMAC signature and dedupes by eventId:
 * registration through the admin API, events of a portal client's case on the real broker,
 * retries, the dead-letter view, and a crash between the receiver's answer and marking the
 * event delivered.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createRepositories } from '../../server/repositories';
import { insertCase } from '../support/cases';
import { applicant, call, emmenApplicant, login, waitFor, waitForStatus } from './client';
import { clientCredentialsToken } from './oidc';
import { startServerProcess, type ServerProcess, openTestDatabase } from './server-process';

const SECRET = 'status-callback-secret-for-tests-0123456789';

interface Delivery {
  eventId: string;
  body: string;
  signatureValid: boolean;
}

/** A portal's callback endpoint: checks the signature, stores each event once (by eventId). */
class Receiver {
  readonly deliveries: Delivery[] = [];
  /** the events the receiver accepted, once each */
  readonly stored = new Map<string, { eventId: string; reference: string; status: string; at: string }>();
  /** answer for the n-th delivery (1-based) of an event: a status, or 'hold' (store it, never answer) */
  answer: (eventId: string, n: number) => number | 'hold' = () => 204;
  private readonly server = http.createServer((req, res) => this.handle(req, res));
  url = '';

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/status`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  of(reference: string) {
    return [...this.stored.values()].filter((e) => e.reference === reference);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const timestamp = String(req.headers['x-timestamp'] ?? '');
      const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest('hex')}`);
      const given = Buffer.from(String(req.headers['x-signature'] ?? ''));
      const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
      const signatureValid = fresh && given.length === expected.length && timingSafeEqual(given, expected) && req.headers['content-type'] === 'application/json';
      const event = JSON.parse(body);
      this.deliveries.push({ eventId: event.eventId, body, signatureValid });
      if (!signatureValid || req.headers['x-event-id'] !== event.eventId) {
        res.writeHead(401).end();
        return;
      }
      const n = this.deliveries.filter((d) => d.eventId === event.eventId).length;
      const answer = this.answer(event.eventId, n);
      if (answer === 'hold' || (answer >= 200 && answer < 300)) {
        if (!this.stored.has(event.eventId)) this.stored.set(event.eventId, event); // dedupe by eventId
      }
      if (answer !== 'hold') res.writeHead(answer).end();
    });
  }
}

const put = (base: string, token: string, clientId: string, json: unknown) =>
  fetch(`${base}/api/admin/portal-clients/${clientId}`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(json) }).then(
    async (r) => ({
      status: r.status,
      type: r.headers.get('content-type') ?? '',
      body: (await r.json()) as any,
    }),
  );

const adminGet = (base: string, token: string, p: string) =>
  fetch(`${base}${p}`, { headers: { authorization: `Bearer ${token}` } }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

async function adminToken(base: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'demo1234' }) });
  return ((await res.json()) as { token: string }).token;
}

describe('admin API for portal clients', () => {
  it('is for admins only: 401 without sign-in, 403 for a clerk', async () => {
    expect((await call('GET', '/api/admin/portal-clients')).status).toBe(401);
    expect((await call('GET', '/api/admin/status-callbacks?state=dead')).status).toBe(401);
    const clerk = await login('luzern.einwohnerdienste');
    const forbidden = await call('PUT', '/api/admin/portal-clients/portal-demo', { token: clerk, json: { name: 'x', callbackUrl: 'ftp://x' } });
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('content-type')).toContain('application/problem+json');
    expect((await call('GET', '/api/admin/status-callbacks', { token: clerk })).status).toBe(403);
    expect((await call('POST', '/api/admin/status-callbacks/1/retry', { token: clerk })).status).toBe(403);
  });

  it('refuses bad callback URLs and short secrets with 422 naming the field, and stores nothing', async () => {
    const admin = await login('admin');
    const base = inject('baseUrl');
    const before = (await adminGet(base, admin, '/api/admin/portal-clients')).body;
    for (const callbackUrl of [
      'ftp://portal.example.ch/status',
      'http://evil.example/status',
      'https://user:pw@portal.example.ch/status',
      'not a url',
      'https://portal.example.ch/status#frag',
      '//portal.example.ch/status',
      42,
    ]) {
      for (const clientId of ['portal-demo', 'portal-new-bad']) {
        const res = await put(base, admin, clientId, { name: 'Böses Portal', callbackUrl, callbackSecret: SECRET });
        expect(res.status, `${clientId} ${callbackUrl}`).toBe(422);
        expect(res.type).toContain('application/problem+json');
        expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['callbackUrl']);
      }
    }
    const short = await put(base, admin, 'portal-new-bad', { name: 'Portal', callbackUrl: 'https://portal.example.ch/status', callbackSecret: 'too-short' });
    expect(short.status).toBe(422);
    expect(short.body.errors.map((e: { path: string }) => e.path)).toEqual(['callbackSecret']);
    const withoutSecret = await put(base, admin, 'portal-new-bad', { name: 'Portal', callbackUrl: 'https://portal.example.ch/status' });
    expect(withoutSecret.status).toBe(422);
    expect(withoutSecret.body.errors.map((e: { path: string }) => e.path)).toEqual(['callbackSecret']);
    expect((await put(base, admin, 'bad id!', { name: 'Portal' })).status).toBe(422);
    expect((await adminGet(base, admin, '/api/admin/portal-clients')).body).toEqual(before);
    expect((await call('GET', '/api/admin/status-callbacks?state=lost', { token: admin })).status).toBe(400);
  });
});

describe('status callbacks on the shared server', () => {
  let receiver: Receiver;
  let admin: string;
  beforeAll(async () => {
    receiver = await new Receiver().start();
    admin = await login('admin');
  });
  afterAll(async () => {
    // later tests' portal-demo cases must not wait for this receiver
    await put(inject('baseUrl'), admin, 'portal-demo', { name: 'Demo-Portal', callbackUrl: null, callbackSecret: null });
    await receiver.stop();
  });

  it('delivers every status change of a portal’s case, signed, once per event', async () => {
    const base = inject('baseUrl');
    const saved = await put(base, admin, 'portal-demo', { name: 'Demo-Portal', callbackUrl: receiver.url, callbackSecret: SECRET });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toMatchObject({ clientId: 'portal-demo', callbackUrl: receiver.url, hasCallbackSecret: true, active: true });
    const listed = await adminGet(base, admin, '/api/admin/portal-clients');
    expect(listed.body.find((c: { clientId: string }) => c.clientId === 'portal-demo')).toMatchObject({ callbackUrl: receiver.url, hasCallbackSecret: true });
    expect(JSON.stringify(listed.body)).not.toContain(SECRET);
    expect(JSON.stringify(saved.body)).not.toContain(SECRET);

    const portal = await clientCredentialsToken('portal-demo', 'demo1234');
    const year = new Date().getFullYear() + 1;
    const res = await call('POST', '/api/v1/services/fristerstreckung-steuern/submissions', {
      token: portal,
      json: {
        municipality: 1024,
        applicant: emmenApplicant(),
        data: { ahvNumber: '756.9217.0769.85', taxYear: year - 1, taxpayerType: 'employed', represented: false, requestedUntil: `${year}-05-31` },
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const { reference, accessToken } = res.body;
    await waitForStatus(reference, accessToken, 'completed');
    const events = await waitFor('three events', async () => (receiver.of(reference).length >= 3 ? receiver.of(reference) : undefined));
    await new Promise((r) => setTimeout(r, 1500)); // nothing more arrives
    expect(events.map((e) => e.status).sort()).toEqual(['completed', 'in_progress', 'received']);
    const mine = receiver.deliveries.filter((d) => events.some((e) => e.eventId === d.eventId));
    expect(mine).toHaveLength(3); // each delivered exactly once
    expect(mine.every((d) => d.signatureValid)).toBe(true);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(3);
    for (const e of events) expect(Object.keys(JSON.parse(mine.find((d) => d.eventId === e.eventId)!.body))).toEqual(['eventId', 'reference', 'status', 'at']);

    const delivered = await call('GET', `/api/admin/status-callbacks?state=delivered&filter=${encodeURIComponent(JSON.stringify({ reference }))}`, { token: admin });
    expect(delivered.status).toBe(200);
    expect(delivered.body.map((e: { eventId: string }) => e.eventId).sort()).toEqual(events.map((e) => e.eventId).sort());
    expect(delivered.headers.get('content-range')).toBe('status-callbacks 0-2/3');
  });
});

describe('retries, dead letters and a crash (own server: 3 attempts, 300 ms backoff)', () => {
  let server: ServerProcess;
  let receiver: Receiver;
  let admin: string;
  const dataDir = path.join(os.tmpdir(), `lu-callbacks-${Date.now()}`);
  const env = { ROLE: 'server', CALLBACK_MAX_ATTEMPTS: '3', CALLBACK_RETRY_BASE_MS: '300' };
  let seq = 0;

  /**
   * A case of portal-demo, written through the repository (with its `received` event, as a
   * submission writes it). Not a submission: this server runs no workers, and an instance on the
   * shared broker would be worked on by the shared server's workers.
   */
  async function portalCase(): Promise<string> {
    const db = await openTestDatabase(dataDir);
    try {
      seq += 1;
      const reference = `CB-2026-${String(seq).padStart(6, '0')}`;
      await insertCase(db, createRepositories(db).cases, {
        reference,
        serviceKey: 'hundeanmeldung',
        processId: 'hundeanmeldung',
        applicant: applicant(),
        clientId: 'portal-demo',
      });
      return reference;
    } finally {
      await db.destroy();
    }
  }

  const eventsOf = async (reference: string) =>
    (await adminGet(server.baseUrl, admin, `/api/admin/status-callbacks?filter=${encodeURIComponent(JSON.stringify({ reference }))}`)).body as Array<{
      id: number;
      eventId: string;
      state: string;
      attempts: number;
      lastError: string | null;
    }>;

  beforeAll(async () => {
    receiver = await new Receiver().start();
    server = await startServerProcess({ dataDir, zeebeAddress: inject('zeebeAddress'), env });
    admin = await adminToken(server.baseUrl);
    expect((await put(server.baseUrl, admin, 'portal-demo', { name: 'Demo-Portal', callbackUrl: receiver.url, callbackSecret: SECRET })).status).toBe(200);
  });
  afterAll(async () => {
    await server?.stop();
    await receiver?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores the callback secret sealed, not in plain text', async () => {
    const db = await openTestDatabase(dataDir);
    try {
      const row = await db('portal_clients').where({ client_id: 'portal-demo' }).first('callback_secret');
      expect(row.callback_secret).toMatch(/^v1:/);
      expect(row.callback_secret).not.toContain(SECRET);
    } finally {
      await db.destroy();
    }
  });

  it('a receiver answering 500 first is retried, then the event is delivered once', async () => {
    receiver.answer = (_id, n) => (n === 1 ? 500 : 200);
    const reference = await portalCase();
    const [event] = await waitFor('delivered', async () => {
      const rows = await eventsOf(reference);
      return rows[0]?.state === 'delivered' ? rows : undefined;
    });
    expect(event).toMatchObject({ state: 'delivered', attempts: 2 });
    const deliveries = receiver.deliveries.filter((d) => d.eventId === event!.eventId);
    expect(deliveries).toHaveLength(2);
    expect(deliveries.every((d) => d.signatureValid)).toBe(true);
    expect(deliveries[0]!.body).toBe(deliveries[1]!.body);
    expect(receiver.of(reference)).toHaveLength(1);
  });

  it('an event whose receiver always fails ends in the dead-letter list, and an admin can retry it', async () => {
    const reference = await portalCase();
    receiver.answer = () => 503;
    const dead = await waitFor('dead letter', async () => {
      const rows = (await adminGet(server.baseUrl, admin, '/api/admin/status-callbacks?state=dead')).body as Array<{
        id: number;
        eventId: string;
        reference: string;
        attempts: number;
        lastError: string;
      }>;
      return rows.find((r) => r.reference === reference);
    });
    expect(dead).toMatchObject({ attempts: 3, lastError: 'HTTP 503', state: 'dead' });
    expect(receiver.deliveries.filter((d) => d.eventId === dead.eventId)).toHaveLength(3);

    receiver.answer = () => 200;
    const retried = await fetch(`${server.baseUrl}/api/admin/status-callbacks/${dead.id}/retry`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
    expect(retried.status).toBe(200);
    await waitFor('delivered after retry', async () => ((await eventsOf(reference))[0]?.state === 'delivered' ? true : undefined));
    // a delivered event cannot be retried
    const again = await fetch(`${server.baseUrl}/api/admin/status-callbacks/${dead.id}/retry`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
    expect(again.status).toBe(409);
    expect((await fetch(`${server.baseUrl}/api/admin/status-callbacks/999999/retry`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } })).status).toBe(404);
  });

  it('a crash between the receiver’s answer and marking it delivered sends the same event again, and never after a 2xx', { timeout: 150_000 }, async () => {
    let firstArrived = false;
    receiver.answer = (_id, n) => {
      if (n === 1) {
        firstArrived = true;
        return 'hold'; // stored by the receiver; the answer never reaches the server
      }
      return 200;
    };
    const reference = await portalCase();
    await waitFor('first delivery', async () => (firstArrived ? true : undefined), 20_000);
    await server.stop('SIGKILL');
    server = await startServerProcess({ dataDir, zeebeAddress: inject('zeebeAddress'), env });
    admin = await adminToken(server.baseUrl);
    // the dead process's claim runs out (lease), then the new one sends the event again
    const [event] = await waitFor(
      'delivered after restart',
      async () => {
        const rows = await eventsOf(reference);
        return rows[0]?.state === 'delivered' ? rows : undefined;
      },
      60_000,
    );
    const deliveries = receiver.deliveries.filter((d) => d.eventId === event!.eventId);
    expect(deliveries).toHaveLength(2);
    expect(deliveries[0]!.body).toBe(deliveries[1]!.body); // same eventId, same body
    expect(deliveries.every((d) => d.signatureValid)).toBe(true);
    expect(receiver.of(reference)).toHaveLength(1); // deduped: one successful event
    await new Promise((r) => setTimeout(r, 3000));
    expect(receiver.deliveries.filter((d) => d.eventId === event!.eventId)).toHaveLength(2); // nothing after the 2xx
  });
});
