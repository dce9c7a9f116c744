/**
 * Rate limits and login throttling, counted in a real (SQLite) database as every server process
 * shares it: one counter per address, one per verified portal client with that client's limit;
 * login lockouts per account and address with doubling backoff and a security event.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Context } from 'koa';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../server/db/database';
import { DomainError } from '../../../server/domain/errors';
import { LoginThrottle, RateLimiter } from '../../../server/domain/throttle';
import { rateLimit } from '../../../server/http/rate-limit';
import { ThrottleRepository } from '../../../server/repositories/throttles';

let db: Db;
let repos: { throttles: ThrottleRepository };
let clock = Date.parse('2026-12-02T10:00:00Z');
const now = () => clock;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lu-throttle-'));
  db = await openDatabase({ dataDir: dir });
  repos = { throttles: new ThrottleRepository(db) };
});
afterAll(async () => db?.destroy());

const ctx = (ip: string, clientId?: string) => ({ ip, state: clientId ? { caller: { client: { clientId } } } : {} }) as unknown as Context;

/** The status each request gets: 200 when it passes the limit, else the error's status. */
async function statuses(mw: ReturnType<typeof rateLimit>, ip: string, clientId: string | undefined, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    try {
      await mw(ctx(ip, clientId), async () => {});
      out.push(200);
    } catch (err) {
      out.push((err as DomainError).status);
    }
  }
  return out;
}

describe('rateLimit', () => {
  it('limits each address on its own, per minute', async () => {
    const mw = rateLimit(new RateLimiter(repos, now), 2, 'Test');
    expect(await statuses(mw, '10.0.0.1', undefined, 3)).toEqual([200, 200, 429]);
    expect(await statuses(mw, '10.0.0.2', undefined, 1)).toEqual([200]);
    clock += 60_000;
    expect(await statuses(mw, '10.0.0.1', undefined, 1)).toEqual([200]);
  });

  it('shares the count between two limiters on one database (two server processes)', async () => {
    const first = rateLimit(new RateLimiter(repos, now), 3, 'Shared');
    const second = rateLimit(new RateLimiter({ throttles: new ThrottleRepository(db) }, now), 3, 'Shared');
    expect([...(await statuses(first, '10.0.0.5', undefined, 2)), ...(await statuses(second, '10.0.0.5', undefined, 2))]).toEqual([200, 200, 200, 429]);
  });

  it('gives a verified client its own counter and limit, apart from its address', async () => {
    const limits: Record<string, number> = { 'portal-small': 1, 'portal-big': 4 };
    const mw = rateLimit(new RateLimiter(repos, now), 2, 'Client', async (id: string) => limits[id]!);
    expect(await statuses(mw, '10.0.0.9', 'portal-small', 2)).toEqual([200, 429]);
    expect(await statuses(mw, '10.0.0.9', 'portal-big', 5)).toEqual([200, 200, 200, 200, 429]);
    // anonymous callers of the same address still have their full allowance
    expect(await statuses(mw, '10.0.0.9', undefined, 3)).toEqual([200, 200, 429]);
  });

  it('answers 429 with Retry-After until the window ends', async () => {
    const mw = rateLimit(new RateLimiter(repos, now), 1, 'Retry');
    await mw(ctx('10.0.0.3'), async () => {});
    clock += 15_000;
    const err = await mw(ctx('10.0.0.3'), async () => {}).catch((e: DomainError) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).status).toBe(429);
    expect((err as DomainError).headers?.['Retry-After']).toBe('45');
  });
});

describe('LoginThrottle', () => {
  const settings = { maxFailuresPerAccount: 3, maxFailuresPerAddress: 10, lockoutMs: 60_000 };
  const throttle = () => new LoginThrottle(repos, settings, pino({ level: 'silent' }), now);
  const wrong = async () => undefined;
  const right = async () => 'session';
  /** 'ok', 'failed' or the error status */
  const attempt = (t: LoginThrottle, user: string, address: string, check: () => Promise<string | undefined>) =>
    t.attempt(user, address, check).then(
      (r) => (r === undefined ? 'failed' : 'ok'),
      (e: DomainError) => e.status,
    );

  it('locks an account out after its failures, even for the right password, and doubles the lockout', async () => {
    const t = throttle();
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await attempt(t, 'clerk-a', `10.1.0.${i}`, wrong));
    expect(results).toEqual(['failed', 'failed', 'failed', 429]);
    expect(await attempt(t, 'clerk-a', '10.1.1.1', right)).toBe(429);
    const locked = await t.attempt('clerk-a', '10.1.1.1', right).catch((e: DomainError) => e);
    expect((locked as DomainError).headers?.['Retry-After']).toBe('60');

    clock += 61_000; // the first lockout is over: one more try; failing it locks out for twice as long
    expect(await attempt(t, 'clerk-a', '10.1.1.1', wrong)).toBe('failed');
    const again = await t.attempt('clerk-a', '10.1.1.1', right).catch((e: DomainError) => e);
    expect((again as DomainError).headers?.['Retry-After']).toBe('120');

    clock += 121_000;
    expect(await attempt(t, 'clerk-a', '10.1.1.1', right)).toBe('ok');
    expect(await attempt(t, 'clerk-a', '10.1.1.1', wrong)).toBe('failed'); // a success resets the account

    const events = await repos.throttles.events('clerk-a');
    expect(events.map((e) => [e.type, e.details?.kind, e.details?.lockedForSeconds])).toEqual([
      ['login.locked', 'account', 60],
      ['login.locked', 'account', 120],
    ]);
  });

  it('locks an address out that guesses across many accounts', async () => {
    const t = throttle();
    const results = [];
    for (let i = 0; i < 11; i++) results.push(await attempt(t, `user-${i}`, '10.2.0.1', wrong));
    expect(results.slice(0, 10)).toEqual(Array(10).fill('failed'));
    expect(results[10]).toBe(429);
    expect(await attempt(t, 'someone-else', '10.2.0.1', right)).toBe(429);
    expect(await attempt(t, 'someone-else', '10.2.0.2', right)).toBe('ok');
  });

  it('lets no more than the limit through when the guesses come in parallel', async () => {
    const t = throttle();
    let checked = 0;
    const slowWrong = async () => {
      checked += 1;
      await new Promise((r) => setTimeout(r, 20));
      return undefined;
    };
    const results = await Promise.all(Array.from({ length: 20 }, () => attempt(t, 'clerk-b', '10.3.0.1', slowWrong)));
    expect(checked).toBe(settings.maxFailuresPerAccount);
    expect(results.filter((r) => r === 429)).toHaveLength(20 - settings.maxFailuresPerAccount);
  });
});
