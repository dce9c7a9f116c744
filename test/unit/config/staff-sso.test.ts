/** Staff single sign-on configuration (issue 17, item 3): demo defaults, production requirements, the claim mapping, STAFF_LOCAL_LOGIN. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config/config';
import { productionEnv } from './production-env';

const production = productionEnv;
const entra = { STAFF_OIDC_ISSUER: 'https://login.microsoftonline.com/tenant/v2.0', STAFF_OIDC_CLIENT_ID: 'backoffice-lu', STAFF_OIDC_CLIENT_SECRET: 's3cret' };

describe('staff single sign-on configuration', () => {
  it('demo mode uses the demo provider, its backoffice client and the staff scope; passwords stay allowed', () => {
    const config = loadConfig({ DEMO_MODE: 'true', PORT: '4000' } as NodeJS.ProcessEnv);
    expect(config.staffOidc).toEqual({
      issuer: 'http://127.0.0.1:4000/idp',
      clientId: 'backoffice',
      clientSecret: 'demo1234',
      scopes: 'openid profile email staff',
      buttonLabel: 'Mit Kantons-Login anmelden',
      claims: { username: 'preferred_username', roles: 'roles', organisations: 'organisations', groups: 'groups' },
    });
    expect(config.STAFF_LOCAL_LOGIN).toBe(true);
  });

  it('outside demo: off without an issuer; with one, client id and secret are required; the claim mapping is configurable', () => {
    expect(loadConfig(production).staffOidc).toBeUndefined();
    expect(() => loadConfig({ ...production, STAFF_OIDC_ISSUER: entra.STAFF_OIDC_ISSUER })).toThrow(/STAFF_OIDC_CLIENT_ID: required[\s\S]*STAFF_OIDC_CLIENT_SECRET: required/);
    const config = loadConfig({ ...production, ...entra, STAFF_OIDC_ROLES_CLAIM: 'realm_access.roles', STAFF_OIDC_ORGANISATION_CLAIM: 'lu_orgs', STAFF_LOCAL_LOGIN: 'false' });
    expect(config.staffOidc).toMatchObject({ issuer: entra.STAFF_OIDC_ISSUER, scopes: 'openid profile email', claims: { roles: 'realm_access.roles', organisations: 'lu_orgs', groups: 'groups' } });
    expect(config.STAFF_LOCAL_LOGIN).toBe(false);
  });

  it('refuses to switch passwords off without single sign-on, and scopes without openid', () => {
    expect(() => loadConfig({ ...production, STAFF_LOCAL_LOGIN: 'false' })).toThrow(/STAFF_LOCAL_LOGIN: password login can only be switched off/);
    expect(() => loadConfig({ ...production, ...entra, STAFF_OIDC_SCOPES: 'profile email' })).toThrow(/STAFF_OIDC_SCOPES: must contain openid/);
  });
});
