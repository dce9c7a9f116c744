/** Rate limits: one bucket per address, one per verified portal client with that client's limit. */
import type { Context } from 'koa';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../server/domain/errors';
import { rateLimit } from '../../../server/http/rate-limit';

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
  it('limits each address on its own', async () => {
    const mw = rateLimit(2, 'Test');
    expect(await statuses(mw, '10.0.0.1', undefined, 3)).toEqual([200, 200, 429]);
    expect(await statuses(mw, '10.0.0.2', undefined, 1)).toEqual([200]);
  });

  it('gives a verified client its own bucket and limit, apart from its address', async () => {
    const limits: Record<string, number> = { 'portal-small': 1, 'portal-big': 4 };
    const mw = rateLimit(2, 'Test', async (id) => limits[id]!);
    expect(await statuses(mw, '10.0.0.9', 'portal-small', 2)).toEqual([200, 429]);
    expect(await statuses(mw, '10.0.0.9', 'portal-big', 5)).toEqual([200, 200, 200, 200, 429]);
    // anonymous callers of the same address still have their full bucket
    expect(await statuses(mw, '10.0.0.9', undefined, 3)).toEqual([200, 200, 429]);
  });

  it('answers 429 with Retry-After', async () => {
    const mw = rateLimit(60, 'Test', async () => 1);
    await mw(ctx('10.0.0.3', 'p'), async () => {});
    const err = await mw(ctx('10.0.0.3', 'p'), async () => {}).catch((e: DomainError) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).headers?.['Retry-After']).toBe('60');
  });
});
