/** Citizen sign-in pieces that need no provider: returnTo (open redirect) and the demo accounts and keys. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CitizenAuthService, DEFAULT_RETURN_TO, validateReturnTo } from '../../../server/domain/citizen-auth';
import { loadConfig } from '../../../server/config/config';
import type { Repositories } from '../../../server/repositories';
import type { Catalogue } from '../../../server/processes/catalogue';
import { DomainError } from '../../../server/domain/errors';
import { accountBySub, authenticate, claimsOf, demoAccounts, demoSubject, usernameOf } from '../../../server/idp/accounts';
import { loadOrCreateSecrets } from '../../../server/idp/keys';
import { createDemoIdp } from '../../../server/idp';
import { escapeHtml, loginPage } from '../../../server/idp/pages';
import { demoResidents } from '../../../migrations/seeds/demo';
import { productionEnv } from '../config/production-env';

function refusal(value: unknown): DomainError {
  try {
    validateReturnTo(value);
  } catch (err) {
    return err as DomainError;
  }
  throw new Error(`accepted ${JSON.stringify(value)}`);
}

describe('returnTo', () => {
  it.each(['/portal/', '/portal/faelle/LU-2026-000001?tab=dokumente#x', '/', '/portal/%2F%2Fevil'])('accepts the same-site path %j', (value) => {
    expect(validateReturnTo(value)).toBe(value);
  });

  it('defaults to the portal', () => {
    expect(validateReturnTo(undefined)).toBe(DEFAULT_RETURN_TO);
    expect(validateReturnTo('')).toBe(DEFAULT_RETURN_TO);
  });

  it.each([
    'https://evil.example/',
    '//evil.example',
    '///evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    'javascript:alert(1)',
    'portal/',
    '/portal/\r\nSet-Cookie: x=1',
    '/portal/\t',
    '/\x00',
    `/${'a'.repeat(500)}`,
    ['/portal/', '/other'],
    42,
  ])('refuses %j with 400 naming returnTo', (value) => {
    const err = refusal(value);
    expect(err).toBeInstanceOf(DomainError);
    expect(err.status).toBe(400);
    expect(err.errors?.[0]?.path).toBe('returnTo');
  });
});

describe('demo provider accounts', () => {
  it('has an account per demo resident (names and dates from the seed), max.neu, and the staff', () => {
    const names = demoAccounts.map((a) => a.username);
    for (const u of [
      'anna.muster',
      'beat.zimmermann',
      'chiara.rossi',
      'daniel.steiner',
      'elena.huber',
      'fabian.wyss',
      'gabriela.buehler',
      'hans.portmann',
      'max.neu',
      'admin',
      'luzern.einwohnerdienste',
    ]) {
      expect(names).toContain(u);
    }
    expect(demoAccounts.filter((a) => a.kind === 'citizen')).toHaveLength(demoResidents.length + 1);
    expect(new Set(names).size).toBe(names.length);
    expect(usernameOf('Gabriela', 'Bühler')).toBe('gabriela.buehler');
  });

  it('gives stable, non-guessable-looking subjects that are not the username', () => {
    const anna = demoAccounts.find((a) => a.username === 'anna.muster')!;
    expect(anna.sub).toBe(demoSubject('anna.muster'));
    expect(anna.sub).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(accountBySub(anna.sub)).toBe(anna);
    expect(new Set(demoAccounts.map((a) => a.sub)).size).toBe(demoAccounts.length);
  });

  it('has Anna’s claims with her AHV number, and staff claims with roles and organisations', () => {
    const anna = demoAccounts.find((a) => a.username === 'anna.muster')!;
    expect(claimsOf(anna)).toMatchObject({ given_name: 'Anna', family_name: 'Muster', birthdate: '1985-04-12', ahvn13: '756.1234.5678.97' });
    expect(claimsOf(demoAccounts.find((a) => a.username === 'max.neu')!)).not.toHaveProperty('ahvn13');
    expect(claimsOf(demoAccounts.find((a) => a.username === 'luzern.teamlead')!)).toMatchObject({
      preferred_username: 'luzern.teamlead',
      roles: ['teamlead', 'clerk'],
      organisations: ['municipality:1061'],
    });
  });

  it('authenticates only with the demo password', async () => {
    const noDirectory = { find: async () => undefined };
    expect((await authenticate('anna.muster', 'demo1234', 'demo1234', noDirectory))?.username).toBe('anna.muster');
    expect((await authenticate(' Anna.Muster ', 'demo1234', 'demo1234', noDirectory))?.username).toBe('anna.muster');
    expect(await authenticate('anna.muster', 'demo12345', 'demo1234', noDirectory)).toBeUndefined();
    expect(await authenticate('nobody', 'demo1234', 'demo1234', noDirectory)).toBeUndefined();
  });

  it('escapes what the login page shows', () => {
    expect(escapeHtml(`<a href="x">'&`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;');
    const page = loginPage({ action: '/idp/interaction/x/login', abortAction: '/idp/interaction/x/abort', clientName: '<b>', username: '"><script>', error: '<i>', accounts: demoAccounts });
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('<b>');
    expect(page).toContain('lang="de-CH"');
    expect(page).toContain('<title>Anmelden – Kanton Luzern (Demo)</title>');
  });
});

describe('demo provider keys', () => {
  it('are generated once per data folder (mode 0600) and reused', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lu-idp-'));
    try {
      const first = await loadOrCreateSecrets(dir);
      const file = path.join(dir, 'idp', 'jwks.json');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(first.jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256' });
      expect(first.jwks.keys[0]!.kid).toBeTruthy();
      expect(first.jwks.keys[0]!.d).toBeTruthy();
      const second = await loadOrCreateSecrets(dir);
      expect(second).toEqual(first);
      const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lu-idp-'));
      const other = await loadOrCreateSecrets(otherDir);
      fs.rmSync(otherDir, { recursive: true, force: true });
      expect(other.jwks.keys[0]!.kid).not.toBe(first.jwks.keys[0]!.kid);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the provider refuses to start with NODE_ENV=production', async () => {
    await expect(
      createDemoIdp({
        publicBaseUrl: 'https://x.example',
        demoPassword: 'demo1234',
        einwohnerportalSecret: 'demo1234',
        backofficeSecret: 'demo1234',
        nodeEnv: 'production',
        dataDir: os.tmpdir(),
        trustProxy: false,
        staffDirectory: { find: async () => undefined },
      }),
    ).rejects.toThrow(/production/);
  });
});

describe('sign-in configuration', () => {
  const production = productionEnv;

  it('demo mode defaults to the demo provider and its einwohnerportal client', () => {
    expect(loadConfig({ DEMO_MODE: 'true', PORT: '4000' } as NodeJS.ProcessEnv).oidc).toEqual({ issuer: 'http://127.0.0.1:4000/idp', clientId: 'einwohnerportal', clientSecret: 'demo1234' });
  });

  it('outside demo nothing is defaulted: no issuer, no sign-in; an issuer needs client id and secret', () => {
    expect(loadConfig(production).oidc).toBeUndefined();
    expect(() => loadConfig({ ...production, OIDC_ISSUER: 'https://login.example' })).toThrow(/OIDC_CLIENT_ID[\s\S]*OIDC_CLIENT_SECRET/);
    expect(loadConfig({ ...production, OIDC_ISSUER: 'https://login.example', OIDC_CLIENT_ID: 'lu', OIDC_CLIENT_SECRET: 's' }).oidc).toEqual({
      issuer: 'https://login.example',
      clientId: 'lu',
      clientSecret: 's',
    });
  });

  it('answers 503 when sign-in is not configured or the provider cannot be reached', async () => {
    const service = (settings?: { issuer: string; clientId: string; clientSecret: string }) =>
      new CitizenAuthService({} as Repositories, {} as Catalogue, settings, { publicBaseUrl: 'http://127.0.0.1:1', sessionTtlHours: 8 });
    await expect(service().startLogin('/portal/')).rejects.toMatchObject({ status: 503, message: 'Anmeldung nicht konfiguriert' });
    await expect(service({ issuer: 'http://127.0.0.1:1/idp', clientId: 'c', clientSecret: 's' }).startLogin('/portal/')).rejects.toMatchObject({ status: 503 });
    // returnTo is checked before anything else
    await expect(service().startLogin('//evil.example')).rejects.toMatchObject({ status: 400 });
  });
});
