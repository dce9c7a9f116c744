/**
 * Status callbacks on a real SQLite database: the outbox written with status changes, the lease
 * claim shared by two "processes" (two connections to one file), the signature, the backoff and
 * the relay against a local receiver.
 */
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../server/db/database';
import { callbackUrlProblem } from '../../../server/domain/portal-admin';
import { SecretBox } from '../../../server/domain/secret-box';
import { callbackBackoffMs, callbackBody, callbackSignature, StatusCallbackRelay } from '../../../server/domain/status-callback-relay';
import { createRepositories, type Repositories } from '../../../server/repositories';
import { insertCase } from '../../support/cases';

const SECRET = 'a-very-secret-callback-key-of-32-chars!';
let dir: string;
let db: Db;
let other: Db;
let repos: Repositories;
let otherRepos: Repositories;
let seq = 0;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lu-callbacks-'));
  db = await openDatabase({ dataDir: dir });
  other = await openDatabase({ dataDir: dir }); // a second process on the same database
  repos = createRepositories(db);
  otherRepos = createRepositories(other);
  await db('organisations').insert({ id: 'municipality:1061', kind: 'municipality', name: 'Luzern', bfs_number: 1061 });
});

afterAll(async () => {
  await other.destroy();
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  await db('status_callbacks').delete();
});

async function newCase(clientId: string | null): Promise<number> {
  seq += 1;
  return insertCase(db, repos.cases, { reference: `WB-2026-${String(seq).padStart(6, '0')}`, clientId });
}

const events = () => db('status_callbacks').orderBy('id');

describe('outbox', () => {
  it('queues one event per status change of a portal client’s case, in the transaction of the change', async () => {
    const caseId = await newCase('portal-demo');
    await db.transaction((trx) => repos.cases.setStatus(caseId, 'in_progress', trx));
    await db.transaction((trx) => repos.cases.setStatus(caseId, 'in_progress', trx)); // a retried job: no change
    await db.transaction((trx) => repos.cases.setStatus(caseId, 'completed', trx));
    // a rolled-back change leaves no event
    await db
      .transaction(async (trx) => {
        await repos.cases.setStatus(caseId, 'withdrawn', trx);
        throw new Error('rollback');
      })
      .catch(() => undefined);
    const rows = await events();
    expect(rows.map((r) => r.status)).toEqual(['received', 'in_progress', 'completed']);
    expect(new Set(rows.map((r) => r.event_id)).size).toBe(3);
    expect(rows.every((r) => r.client_id === 'portal-demo' && r.state === 'pending')).toBe(true);
  });

  it('queues nothing for a case without portal client', async () => {
    const caseId = await newCase(null);
    await db.transaction((trx) => repos.cases.setStatus(caseId, 'in_progress', trx));
    expect(await events()).toEqual([]);
  });
});

describe('claim', () => {
  it('two processes claiming at once never get the same row, and a claimed row waits for its lease', async () => {
    const caseId = await newCase('portal-demo');
    for (const s of ['in_progress', 'waiting_for_applicant', 'in_progress', 'completed'] as const) {
      await db.transaction((trx) => repos.cases.setStatus(caseId, s, trx));
    }
    const now = new Date().toISOString();
    const lease = new Date(Date.now() + 20_000).toISOString();
    const claims = await Promise.all([
      repos.statusCallbacks.claimDue('p1', now, lease, 3),
      otherRepos.statusCallbacks.claimDue('p2', now, lease, 3),
      repos.statusCallbacks.claimDue('p3', now, lease, 3),
    ]);
    const ids = claims.flat().map((e) => e.id);
    expect(ids).toHaveLength(5); // every row once
    expect(new Set(ids).size).toBe(5);
    expect(claims[0]).toHaveLength(3);
    // nobody gets a leased row before the lease ends, anyone after
    expect(await otherRepos.statusCallbacks.claimDue('p4', now, lease, 10)).toEqual([]);
    const later = new Date(Date.now() + 21_000).toISOString();
    const reclaimed = await otherRepos.statusCallbacks.claimDue('p4', later, new Date(Date.now() + 41_000).toISOString(), 10);
    expect(reclaimed.map((e) => e.id).sort()).toEqual([...ids].sort());
    // only the current holder may mark; a delivered row is never claimed again
    expect(await repos.statusCallbacks.markDelivered(ids[0]!, claims[0]![0]!.claimedBy)).toBe(false);
    expect(await repos.statusCallbacks.markDelivered(ids[0]!, reclaimed.find((e) => e.id === ids[0])!.claimedBy)).toBe(true);
    // a claimer's next claim reads back only its new rows
    const muchLater = new Date(Date.now() + 3600_000).toISOString();
    const again = await otherRepos.statusCallbacks.claimDue('p4', muchLater, new Date(Date.now() + 3700_000).toISOString(), 2);
    expect(again).toHaveLength(2);
    const rest = await otherRepos.statusCallbacks.claimDue('p4', muchLater, new Date(Date.now() + 3700_000).toISOString(), 10);
    expect(rest).toHaveLength(2);
    expect([...again, ...rest].map((e) => e.id)).not.toContain(ids[0]);
  });

  it('does not claim rows that are not due yet', async () => {
    await newCase('portal-demo');
    const past = new Date(Date.now() - 60_000).toISOString();
    expect(await repos.statusCallbacks.claimDue('p1', past, new Date().toISOString(), 10)).toEqual([]);
  });
});

describe('signature and backoff', () => {
  it('signs "<timestamp>.<body>" with HMAC-SHA256 as sha256=<hex>', () => {
    const body = callbackBody({ eventId: 'e1', reference: 'WB-2026-000001', status: 'received', at: '2026-12-01T10:00:00.000Z' });
    expect(body).toBe('{"eventId":"e1","reference":"WB-2026-000001","status":"received","at":"2026-12-01T10:00:00.000Z"}');
    const sig = callbackSignature(SECRET, 1764583200, body);
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(sig).toBe(`sha256=${createHmac('sha256', SECRET).update(`1764583200.${body}`).digest('hex')}`);
    expect(callbackSignature(SECRET, 1764583201, body)).not.toBe(sig);
    expect(callbackSignature(`${SECRET}x`, 1764583200, body)).not.toBe(sig);
  });

  it('backs off exponentially from the base, at most one hour', () => {
    expect([1, 2, 3, 4].map((n) => callbackBackoffMs(n, 30_000))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(callbackBackoffMs(8, 30_000)).toBe(3600_000);
    expect(callbackBackoffMs(1000, 30_000)).toBe(3600_000);
    expect(callbackBackoffMs(1, 50)).toBe(50);
  });
});

describe('secret box', () => {
  it('seals with a fresh IV, opens with the same key only, passes plain text through', () => {
    const box = new SecretBox('server-secret-of-at-least-32-characters', 'status-callback-secret');
    const a = box.seal(SECRET);
    expect(a).toMatch(/^v1:/);
    expect(a).not.toContain(SECRET);
    expect(box.seal(SECRET)).not.toBe(a);
    expect(box.open(a)).toBe(SECRET);
    expect(() => new SecretBox('server-secret-of-at-least-32-characters', 'other-purpose').open(a)).toThrow();
    expect(() => new SecretBox('another-server-secret-of-32-characters', 'status-callback-secret').open(a)).toThrow();
    expect(box.open(SECRET)).toBe(SECRET);
  });
});

describe('callback URL rules', () => {
  it.each([
    ['https://portal.example.ch/hooks/status', true, undefined],
    ['http://127.0.0.1:8080/cb', true, undefined],
    ['http://localhost/cb', true, undefined],
    ['http://[::1]:9000/cb', true, undefined],
    ['http://127.0.0.1:8080/cb', false, 'https'],
    ['http://evil.example/cb', true, 'https'],
    ['ftp://portal.example.ch/cb', true, 'https'],
    ['https://user:pw@portal.example.ch/cb', true, 'Zugangsdaten'],
    ['https://portal.example.ch/cb#x', true, 'Fragment'],
    ['not a url', true, 'URL'],
    ['/relative/path', true, 'URL'],
  ])('%s (loopback http allowed: %s)', (url, allow, problem) => {
    const result = callbackUrlProblem(url, allow);
    if (problem === undefined) expect(result).toBeUndefined();
    else expect(result).toContain(problem);
  });
});

describe('relay', () => {
  let server: http.Server;
  let url: string;
  let answer = 200;
  const received: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        if (answer === 302) res.writeHead(302, { location: `${url}/elsewhere` }).end();
        else res.writeHead(answer).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cb`;
  });

  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  beforeEach(() => {
    received.length = 0;
  });

  const box = new SecretBox('x'.repeat(32), 'status-callback-secret');
  const relay = (maxAttempts = 3) => new StatusCallbackRelay(repos, pino({ level: 'silent' }), { retryBaseMs: 1, maxAttempts }, box);
  const dueNow = () =>
    db('status_callbacks')
      .where('state', 'pending')
      .update({ next_attempt_at: new Date(Date.now() - 1000).toISOString() });

  it('delivers a signed event once; a failing receiver is retried with backoff and ends dead', async () => {
    await repos.portalClients.upsert('portal-demo', { name: 'Demo', callbackUrl: url, callbackSecret: box.seal(SECRET) });
    await newCase('portal-demo');
    answer = 200;
    await relay().drain();
    expect(received).toHaveLength(1);
    const { headers, body } = received[0]!;
    expect(headers['content-type']).toBe('application/json');
    expect(headers['x-signature']).toBe(callbackSignature(SECRET, Number(headers['x-timestamp']), body));
    expect(JSON.parse(body)).toMatchObject({ eventId: headers['x-event-id'], status: 'received' });
    const [row] = await events();
    expect(row).toMatchObject({ state: 'delivered', attempts: 1 });
    await dueNow();
    await relay().drain();
    expect(received).toHaveLength(1); // delivered: never again

    await db('status_callbacks').delete();
    received.length = 0;
    await newCase('portal-demo');
    answer = 302; // redirects are failures, not followed
    await relay().drain();
    expect(received).toHaveLength(1);
    let [failed] = await events();
    expect(failed).toMatchObject({ state: 'pending', attempts: 1, last_error: 'HTTP 302' });
    answer = 500;
    for (let i = 0; i < 2; i++) {
      await dueNow();
      await relay().drain();
    }
    [failed] = await events();
    expect(failed).toMatchObject({ state: 'dead', attempts: 3, last_error: 'HTTP 500' });
    expect(received).toHaveLength(3);
    expect(new Set(received.map((r) => r.body)).size).toBe(1); // the same body on every attempt
  });

  it('fails (and ends dead) when the stored secret was sealed with another key', async () => {
    const otherBox = new SecretBox('y'.repeat(32), 'status-callback-secret');
    await repos.portalClients.upsert('portal-rekeyed', { name: 'Rekeyed', callbackUrl: url, callbackSecret: otherBox.seal(SECRET) });
    await newCase('portal-rekeyed');
    await relay(1).drain();
    expect(received).toHaveLength(0);
    const [row] = await events();
    expect(row.state).toBe('dead');
    expect(row.last_error).toContain('Geheimnis nicht lesbar');
  });

  it('skips events of a client without an active callback', async () => {
    await repos.portalClients.upsert('portal-off', { name: 'Off', callbackUrl: url, callbackSecret: SECRET, active: false });
    await newCase('portal-off');
    await newCase('portal-unknown');
    await relay().drain();
    expect(received).toHaveLength(0);
    expect((await events()).map((r) => r.state)).toEqual(['skipped', 'skipped']);
    // an admin retry puts it back to pending
    const [first] = await events();
    expect(await repos.statusCallbacks.retry(first.id)).toBe(true);
    expect(await repos.statusCallbacks.retry(first.id)).toBe(false);
  });
});
