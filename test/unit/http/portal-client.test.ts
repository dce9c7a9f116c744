/** The portal-client middleware: which bearer is a portal's, what lands in ctx.state.caller, and the client settings cache. */
import type { Context } from 'koa';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../server/domain/errors';
import type { PortalTokenVerifier } from '../../../server/domain/portal-tokens';
import { portalClient, portalClientSettings } from '../../../server/http/portal-client';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJjbGllbnRfaWQiOiJwIn0.c2ln';
const anna = { subject: 'a', issuer: 'i', givenName: 'Anna', familyName: 'Muster', birthDate: '1985-04-12', assurance: null };
const max = { ...anna, subject: 'm', givenName: 'Max', familyName: 'Neu' };

const verifier = {
  verifyClient: async (token: string) => ({ clientId: token === JWT ? 'portal-demo' : 'x' }),
  verifyCitizen: async () => anna,
} as unknown as PortalTokenVerifier;

function ctx(headers: Record<string, string>, state: Record<string, unknown> = {}) {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { get: (h: string) => lower[h.toLowerCase()] ?? '', state } as unknown as Context;
}

async function run(c: Context, active = true): Promise<{ passed: boolean; error?: DomainError }> {
  let passed = false;
  try {
    await portalClient(verifier, async () => ({ rateLimitPerMinute: 10, active }))(c, async () => {
      passed = true;
    });
  } catch (err) {
    return { passed, error: err as DomainError };
  }
  return { passed };
}

describe('portalClient middleware', () => {
  it('leaves a submission access token (no JWT) and anonymous callers alone', async () => {
    for (const headers of [{}, { authorization: 'Bearer Zm9vYmFyYmF6cXV4' }] as Record<string, string>[]) {
      const c = ctx(headers);
      expect(await run(c)).toEqual({ passed: true });
      expect(c.state.caller).toBeUndefined();
    }
  });

  it('makes a verified client the caller, with the person of X-Citizen-Token replacing a cookie citizen', async () => {
    const c = ctx({ authorization: `Bearer ${JWT}`, 'x-citizen-token': JWT }, { caller: { citizen: max } });
    expect(await run(c)).toEqual({ passed: true });
    expect(c.state.caller).toEqual({ client: { clientId: 'portal-demo' }, citizen: anna });
  });

  it('a client without X-Citizen-Token acts for no person, whatever cookie it carries', async () => {
    const c = ctx({ authorization: `Bearer ${JWT}` }, { caller: { citizen: max } });
    await run(c);
    expect(c.state.caller).toEqual({ client: { clientId: 'portal-demo' } });
  });

  it('refuses X-Citizen-Token without a portal token (401)', async () => {
    const r = await run(ctx({ 'x-citizen-token': JWT }));
    expect(r.passed).toBe(false);
    expect(r.error?.status).toBe(401);
  });

  it('refuses a client switched off in portal_clients (403)', async () => {
    const r = await run(ctx({ authorization: `Bearer ${JWT}` }), false);
    expect(r.passed).toBe(false);
    expect(r.error?.status).toBe(403);
  });
});

describe('portalClientSettings', () => {
  it('uses the stored limit and flag, else the defaults, and asks the store once per client within the cache time', async () => {
    const asked: string[] = [];
    const settingsOf = portalClientSettings(async (id) => {
      asked.push(id);
      if (id === 'portal-demo') return { rateLimitPerMinute: 7, active: true };
      if (id === 'portal-off') return { rateLimitPerMinute: null, active: false };
      return undefined;
    }, 600);
    expect(await settingsOf('portal-demo')).toEqual({ rateLimitPerMinute: 7, active: true });
    expect(await settingsOf('portal-demo')).toEqual({ rateLimitPerMinute: 7, active: true });
    expect(await settingsOf('portal-off')).toEqual({ rateLimitPerMinute: 600, active: false });
    expect(await settingsOf('unknown')).toEqual({ rateLimitPerMinute: 600, active: true });
    expect(asked).toEqual(['portal-demo', 'portal-off', 'unknown']);
  });

  it('asks again after the cache time', async () => {
    let calls = 0;
    const settingsOf = portalClientSettings(async () => ({ rateLimitPerMinute: ++calls, active: true }), 600, 0);
    expect((await settingsOf('a')).rateLimitPerMinute).toBe(1);
    await new Promise((r) => setTimeout(r, 2));
    expect((await settingsOf('a')).rateLimitPerMinute).toBe(2);
  });
});
