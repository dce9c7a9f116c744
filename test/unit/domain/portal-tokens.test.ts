/**
 * Portal token verification against a real (tiny) provider: an HTTP server in the test serves the
 * discovery document and the JWKS, so the verifier goes through discovery, remote key set and
 * jose exactly as against oidc-provider.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, exportJWK, exportSPKI, generateKeyPair, type CryptoKey } from 'jose';
import crypto from 'node:crypto';
import { DomainError } from '../../../server/domain/errors';
import { PortalTokenVerifier, TokenRejected, looksLikeJwt } from '../../../server/domain/portal-tokens';

let server: http.Server;
let issuer: string;
let audience: string;
let key: { privateKey: CryptoKey; publicKey: CryptoKey };
let otherKey: { privateKey: CryptoKey; publicKey: CryptoKey };
let jwksRequests = 0;

beforeAll(async () => {
  key = await generateKeyPair('RS256', { extractable: true });
  otherKey = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(key.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/idp/.well-known/openid-configuration') {
      res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
    } else if (req.url === '/idp/jwks') {
      jwksRequests += 1;
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  issuer = `${base}/idp`;
  audience = `${base}/api`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const verifier = () => new PortalTokenVerifier({ issuer, audience, timeoutMs: 2000 });

interface TokenSpec {
  claims?: Record<string, unknown>;
  iss?: string;
  aud?: string | string[];
  exp?: number | string;
  signWith?: CryptoKey;
  kid?: string;
}

async function token(spec: TokenSpec = {}): Promise<string> {
  const jwt = new SignJWT({ client_id: 'portal-demo', ...spec.claims })
    .setProtectedHeader({ alg: 'RS256', kid: spec.kid ?? 'k1', typ: 'at+jwt' })
    .setIssuer(spec.iss ?? issuer)
    .setAudience(spec.aud ?? audience)
    .setIssuedAt()
    .setExpirationTime(spec.exp ?? '5m');
  return jwt.sign(spec.signWith ?? key.privateKey);
}

const person = { sub: 'anna-1', given_name: 'Anna', family_name: 'Muster', birthdate: '1985-04-12', acr: 'demo-loa3' };

async function idToken(spec: TokenSpec = {}): Promise<string> {
  return new SignJWT({ ...person, ...spec.claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(spec.iss ?? issuer)
    .setAudience(spec.aud ?? 'portal-demo')
    .setIssuedAt()
    .setExpirationTime(spec.exp ?? '5m')
    .sign(spec.signWith ?? key.privateKey);
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** The reason a verification was refused (fails the test if it was accepted). */
async function refusal(p: Promise<unknown>): Promise<{ reason: string; status: number; detail: string }> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    const e = err as DomainError;
    return { reason: (err as TokenRejected).reason, status: e.status, detail: e.message };
  }
  throw new Error('token was accepted');
}

describe('client access tokens', () => {
  it('accepts a token of the provider for the API and names the client', async () => {
    await expect(verifier().verifyClient(await token())).resolves.toEqual({ clientId: 'portal-demo' });
  });

  it('fetches discovery and JWKS once for many tokens', async () => {
    const v = verifier();
    const before = jwksRequests;
    for (let i = 0; i < 5; i++) await v.verifyClient(await token());
    expect(jwksRequests - before).toBe(1);
  });

  it('refuses an expired token (beyond the clock tolerance)', async () => {
    const r = await refusal(verifier().verifyClient(await token({ exp: Math.floor(Date.now() / 1000) - 120 })));
    expect(r).toMatchObject({ reason: 'expired', status: 401 });
    expect(r.detail).toMatch(/abgelaufen/);
  });

  it('accepts a token expired by a few seconds (clock tolerance)', async () => {
    await expect(verifier().verifyClient(await token({ exp: Math.floor(Date.now() / 1000) - 5 }))).resolves.toEqual({ clientId: 'portal-demo' });
  });

  it('refuses a token for another audience', async () => {
    expect((await refusal(verifier().verifyClient(await token({ aud: 'https://elsewhere.example/api' })))).reason).toBe('audience');
  });

  it('refuses an ID token (audience is the client, not the API)', async () => {
    expect((await refusal(verifier().verifyClient(await idToken({ claims: { client_id: 'portal-demo' } })))).reason).toBe('audience');
  });

  it('refuses a token of a foreign issuer', async () => {
    expect((await refusal(verifier().verifyClient(await token({ iss: 'https://evil.example/idp' })))).reason).toBe('issuer');
  });

  it('refuses a token signed by another key under the provider key id', async () => {
    expect((await refusal(verifier().verifyClient(await token({ signWith: otherKey.privateKey })))).reason).toBe('signature');
  });

  it('refuses a token signed by a key the provider does not publish', async () => {
    expect((await refusal(verifier().verifyClient(await token({ signWith: otherKey.privateKey, kid: 'unknown' })))).reason).toBe('signature');
  });

  it('refuses an unsigned token (alg: none)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss: issuer, aud: audience, client_id: 'portal-demo', iat: now, exp: now + 300 })}.`;
    expect(looksLikeJwt(unsigned)).toBe(true);
    expect((await refusal(verifier().verifyClient(unsigned))).reason).toBe('algorithm');
  });

  it('refuses HS256 keyed with the bytes of the public key', async () => {
    const now = Math.floor(Date.now() / 1000);
    const pem = await exportSPKI(key.publicKey);
    for (const secret of [pem, JSON.stringify(await exportJWK(key.publicKey))]) {
      const input = `${b64({ alg: 'HS256', kid: 'k1' })}.${b64({ iss: issuer, aud: audience, client_id: 'portal-demo', iat: now, exp: now + 300 })}`;
      const forged = `${input}.${crypto.createHmac('sha256', secret).update(input).digest('base64url')}`;
      expect((await refusal(verifier().verifyClient(forged))).reason).toBe('algorithm');
    }
  });

  it('refuses a token without client_id', async () => {
    const r = await refusal(verifier().verifyClient(await token({ claims: { client_id: undefined } })));
    expect(r).toMatchObject({ reason: 'claims', status: 401 });
    expect(r.detail).toMatch(/client_id/);
  });

  it('refuses garbage shaped like a JWT', async () => {
    expect((await refusal(verifier().verifyClient('abc.def.ghi'))).reason).toBe('malformed');
  });

  it('refuses every token when no provider is configured', async () => {
    const v = new PortalTokenVerifier({ issuer: undefined, audience });
    expect((await refusal(v.verifyClient(await token()))).reason).toBe('not-configured');
  });

  it('answers 503 when the provider cannot be reached, and recovers later', async () => {
    const dead = `http://127.0.0.1:9/idp`;
    const v = new PortalTokenVerifier({ issuer: dead, audience, timeoutMs: 1000 });
    const r = await refusal(v.verifyClient(await token({ iss: dead })));
    expect(r.status).toBe(503);
  });
});

describe('citizen ID tokens (X-Citizen-Token)', () => {
  const client = { clientId: 'portal-demo' };

  it('gives the identity of a token issued to the calling portal', async () => {
    await expect(verifier().verifyCitizen(await idToken({ claims: { ahvn13: '756.1234.5678.97' } }), client)).resolves.toEqual({
      subject: 'anna-1',
      issuer,
      givenName: 'Anna',
      familyName: 'Muster',
      birthDate: '1985-04-12',
      ahvNumber: '756.1234.5678.97',
      assurance: 'demo-loa3',
    });
  });

  it('refuses an ID token issued to another portal', async () => {
    expect((await refusal(verifier().verifyCitizen(await idToken({ aud: 'portal-other' }), client))).reason).toBe('audience');
  });

  it('refuses an ID token for several audiences not authorised for this portal (azp)', async () => {
    expect((await refusal(verifier().verifyCitizen(await idToken({ aud: ['portal-demo', 'portal-other'], claims: { azp: 'portal-other' } }), client))).reason).toBe('audience');
  });

  it('refuses the portal access token as a citizen token', async () => {
    expect((await refusal(verifier().verifyCitizen(await token(), client))).reason).toBe('audience');
  });

  it('refuses an expired ID token', async () => {
    expect((await refusal(verifier().verifyCitizen(await idToken({ exp: Math.floor(Date.now() / 1000) - 3600 }), client))).reason).toBe('expired');
  });

  it('refuses an ID token signed by another key', async () => {
    expect((await refusal(verifier().verifyCitizen(await idToken({ signWith: otherKey.privateKey }), client))).reason).toBe('signature');
  });

  it('refuses an ID token without birth date, naming the claim', async () => {
    const r = await refusal(verifier().verifyCitizen(await idToken({ claims: { birthdate: undefined } }), client));
    expect(r).toMatchObject({ reason: 'claims', status: 401 });
    expect(r.detail).toMatch(/birthdate/);
  });

  it('refuses something that is not a JWT', async () => {
    expect((await refusal(verifier().verifyCitizen('not-a-token', client))).reason).toBe('malformed');
  });
});
