/**
 * Portals as OAuth clients (DESIGN.md §6, issue 13 item 5) against the real demo provider at
 * /idp: client-credentials tokens from the provider work; forged, expired, wrong-audience and
 * unsigned ones (built here with jose) answer 401 problem+json; a portal submits for Anna with
 * her ID token and reads its cases; rate limits are per client.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { SignJWT, exportSPKI, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PortalClientRepository } from '../../server/repositories/portal-clients';
import { annaMuster, applicant, baseUrl, call, dogData, waitFor } from './client';
import { clientCredentialsToken, idTokenFor, signInCitizen } from './oidc';
import { startServerProcess, type ServerProcess, openTestDatabase } from './server-process';

const SECRET = 'demo1234';

const get = (p: string, token?: string, headers: Record<string, string> = {}) => call('GET', p, { token, headers });
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

function expectProblem(res: { status: number; headers: Headers; body: any }, status: number, detail?: RegExp) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res.body.status).toBe(status);
  if (detail) expect(res.body.detail).toMatch(detail);
}

describe('portal client tokens', () => {
  let demoToken: string;
  beforeAll(async () => {
    demoToken = await clientCredentialsToken('portal-demo', SECRET);
  });

  it('the provider issues a JWT for the API, and the catalogue answers with it', async () => {
    const [, payload] = demoToken.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    expect(claims).toMatchObject({ iss: `${baseUrl()}/idp`, aud: `${baseUrl()}/api`, client_id: 'portal-demo' });
    const res = await get('/api/v1/services', demoToken);
    expect(res.status).toBe(200);
    expect(res.body.map((s: { key: string }) => s.key)).toContain('wohnsitzbestaetigung');
  });

  it('refuses forged, expired, wrong-audience and unsigned tokens with 401 problem+json', async () => {
    const issuer = `${baseUrl()}/idp`;
    const audience = `${baseUrl()}/api`;
    const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as { jwks_uri: string };
    const providerKey = ((await (await fetch(discovery.jwks_uri)).json()) as { keys: JWK[] }).keys.find((k) => k.kty === 'RSA')!;
    const ours = await generateKeyPair('RS256');
    const sign = (claims: Record<string, unknown>, kid = providerKey.kid) =>
      new SignJWT({ client_id: 'portal-demo', ...claims }).setProtectedHeader({ alg: 'RS256', kid, typ: 'at+jwt' }).setIssuer(issuer).setAudience(audience).setIssuedAt().sign(ours.privateKey);

    const forged = await sign({ exp: now() + 300 });
    expectProblem(await get('/api/v1/services', forged), 401, /Signatur ungültig/);

    const expired = await sign({ exp: now() - 3600, iat: now() - 7200 });
    expectProblem(await get('/api/v1/services', expired), 401);

    // signed by the provider, but an ID token: issued to the portal, not to the API
    const idToken = await idTokenFor('portal-demo', SECRET, 'anna.muster');
    expectProblem(await get('/api/v1/services', idToken), 401, /anderen Empfänger/);

    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss: issuer, aud: audience, client_id: 'portal-demo', iat: now(), exp: now() + 300 })}.`;
    expectProblem(await get('/api/v1/services', unsigned), 401, /Signaturverfahren nicht erlaubt/);

    // HS256 keyed with the provider's public key (the classic algorithm-confusion forgery)
    const pem = await exportSPKI((await importJWK(providerKey, 'RS256')) as CryptoKey);
    const input = `${b64({ alg: 'HS256', kid: providerKey.kid })}.${b64({ iss: issuer, aud: audience, client_id: 'portal-demo', iat: now(), exp: now() + 300 })}`;
    const confused = `${input}.${crypto.createHmac('sha256', pem).update(input).digest('base64url')}`;
    expectProblem(await get('/api/v1/services', confused), 401, /Signaturverfahren nicht erlaubt/);

    // a forged token on a submission stores nothing and is not mistaken for an access token
    const post = await call('POST', '/api/v1/services/hundeanmeldung/submissions', { token: forged, json: {} });
    expectProblem(post, 401);
  });

  it('refuses X-Citizen-Token without a portal token, and an ID token issued to another portal', async () => {
    const annaForDemo = await idTokenFor('portal-demo', SECRET, 'anna.muster');
    expectProblem(await get('/api/v1/services', undefined, { 'x-citizen-token': annaForDemo }), 401, /Zugangstoken eines Portals/);
    const otherToken = await clientCredentialsToken('portal-other', SECRET);
    expectProblem(await get('/api/v1/services', otherToken, { 'x-citizen-token': annaForDemo }), 401, /X-Citizen-Token: für einen anderen Empfänger/);
    expectProblem(await get('/api/v1/services', demoToken, { 'x-citizen-token': 'garbage' }), 401, /X-Citizen-Token/);
  });

  it('submits for Anna with her ID token, and the portal (only that one) reads the case', async () => {
    const body = { municipality: 1061, applicant: annaMuster(), data: { purpose: 'Portal-Test', copies: 1 } };
    // a verified service: the portal alone is nobody
    const alone = await call('POST', '/api/v1/services/wohnsitzbestaetigung/submissions', { token: demoToken, json: body });
    expectProblem(alone, 401);

    const annaIdToken = await idTokenFor('portal-demo', SECRET, 'anna.muster');
    const res = await call('POST', '/api/v1/services/wohnsitzbestaetigung/submissions', { token: demoToken, json: body, headers: { 'x-citizen-token': annaIdToken } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const { reference, accessToken } = res.body;

    // the portal reads the case it submitted with its own token, no access token needed
    const asPortal = await get(`/api/v1/submissions/${reference}`, demoToken);
    expect(asPortal.status).toBe(200);
    expect(asPortal.body.reference).toBe(reference);
    // another portal does not learn that it exists
    expectProblem(await get(`/api/v1/submissions/${reference}`, await clientCredentialsToken('portal-other', SECRET)), 404);
    // the access token keeps working
    expect((await get(`/api/v1/submissions/${reference}`, accessToken)).status).toBe(200);

    // Anna is in the Luzern register: the certificate is issued, and the portal downloads it
    const done = await waitFor('certificate', async () => {
      const s = await get(`/api/v1/submissions/${reference}`, demoToken);
      return s.body.status === 'completed' ? s.body : undefined;
    });
    expect(done.documents).toHaveLength(1);
    const pdf = await get(new URL(done.documents[0].url).pathname, demoToken);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toContain('application/pdf');
    expectProblem(await get(new URL(done.documents[0].url).pathname, await clientCredentialsToken('portal-other', SECRET)), 404);

    // a case submitted anonymously (with its access token only) is not the portal's
    const anonymous = await call('POST', '/api/v1/services/hundeanmeldung/submissions', { json: { municipality: 1061, applicant: applicant(), data: dogData() } });
    expect(anonymous.status, JSON.stringify(anonymous.body)).toBe(201);
    expectProblem(await get(`/api/v1/submissions/${anonymous.body.reference}`, demoToken), 404);
  });

  it('reads the person’s own cases with her ID token, also ones the portal did not submit', async () => {
    const otherToken = await clientCredentialsToken('portal-other', SECRET);
    const annaForOther = await idTokenFor('portal-other', SECRET, 'anna.muster');
    const body = { municipality: 1061, applicant: annaMuster(), data: { copies: 1 } };
    const res = await call('POST', '/api/v1/services/wohnsitzbestaetigung/submissions', { token: otherToken, json: body, headers: { 'x-citizen-token': annaForOther } });
    expect(res.status).toBe(201);
    const annaForDemo = await idTokenFor('portal-demo', SECRET, 'anna.muster');
    expect((await get(`/api/v1/submissions/${res.body.reference}`, demoToken, { 'x-citizen-token': annaForDemo })).status).toBe(200);
    expectProblem(await get(`/api/v1/submissions/${res.body.reference}`, demoToken), 404);
    const maxForDemo = await idTokenFor('portal-demo', SECRET, 'max.neu');
    expectProblem(await get(`/api/v1/submissions/${res.body.reference}`, demoToken, { 'x-citizen-token': maxForDemo }), 404);
  });
});

it('a portal acts for the person of its X-Citizen-Token, not for a session cookie it carries', async () => {
  const max = await signInCitizen('max.neu');
  const demoToken = await clientCredentialsToken('portal-demo', SECRET);
  const annaIdToken = await idTokenFor('portal-demo', SECRET, 'anna.muster');
  const body = { municipality: 1061, applicant: annaMuster(), data: { copies: 1 } };
  // with Max's cookie counted, Anna's names in the body would contradict the identity (422)
  const res = await call('POST', '/api/v1/services/wohnsitzbestaetigung/submissions', { token: demoToken, json: body, headers: { 'x-citizen-token': annaIdToken, cookie: max.cookie } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  // and the case is Anna's: Max's session does not see it
  expectProblem(await max.call('GET', `/api/v1/submissions/${res.body.reference}`), 404);
});

describe('rate limits per portal client', () => {
  let limited: ServerProcess | undefined;
  afterAll(async () => limited?.stop());

  it('answers 429 to a client over its own limit, while other clients and anonymous callers of the same address go on', async () => {
    // a second server (no workers, on the shared broker): portal-other gets its own limit of 3
    // through portal_clients, everyone else the per-client default of 5
    const dataDir = path.join(os.tmpdir(), `lu-portal-limits-${Date.now()}`);
    const db = await openTestDatabase(dataDir);
    await new PortalClientRepository(db).upsert('portal-other', { name: 'Anderes Demo-Portal', rateLimitPerMinute: 3 });
    await db.destroy();
    limited = await startServerProcess({
      dataDir,
      zeebeAddress: inject('zeebeAddress'),
      env: { ROLE: 'server', PORTAL_CLIENT_RATE_LIMIT_PER_MINUTE: '5', PUBLIC_RATE_LIMIT_PER_MINUTE: '1000' },
    });
    const base = limited.baseUrl;
    const [other, demo] = [await clientCredentialsToken('portal-other', SECRET, base), await clientCredentialsToken('portal-demo', SECRET, base)];
    const statusOf = async (token?: string) => {
      const res = await fetch(`${base}/api/v1/services`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      if (res.status === 429) {
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
      }
      return res.status;
    };
    const otherStatuses = [];
    for (let i = 0; i < 5; i++) otherStatuses.push(await statusOf(other));
    expect(otherStatuses).toEqual([200, 200, 200, 429, 429]);

    // the other portal and anonymous callers from the same address are not affected
    const demoStatuses = [];
    for (let i = 0; i < 6; i++) demoStatuses.push(await statusOf(demo));
    expect(demoStatuses).toEqual([200, 200, 200, 200, 200, 429]);
    for (let i = 0; i < 10; i++) expect(await statusOf()).toBe(200);
  });
});
