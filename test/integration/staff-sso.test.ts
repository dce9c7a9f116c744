/**
 * Staff single sign-on (issue 17, item 3) through the real demo OpenID provider: the browser's
 * side driven by hand (redirects followed, the provider's login page posted, cookies in a jar),
 * the provider's signed ID tokens, our callback, the one-time code exchanged for the session.
 * Covers: first sign-in provisions the user with the mapped roles and organisation, a later one
 * updates them; unknown roles and organisations, deactivated users and bad callbacks are refused
 * with problem+json (never 5xx); a locally created user is linked, not duplicated; the issue's
 * "done when" (admin → Kriens organisation admin → clerk signs in through SSO and completes a
 * Kriens task); and STAFF_LOCAL_LOGIN=false refusing passwords while SSO keeps working.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applicant, baseUrl, call, claimAndComplete, dogData, login, startSecondServer, submitTo, waitForNamedTask, waitForStatus } from './client';
import { authorizeAtProvider, CookieJar, jarFetch } from './oidc';
import { openTestDatabase, type ServerProcess } from './server-process';

const KRIENS = 'municipality:1059';
const run = Date.now().toString(36);
const name = (base: string) => `${base}.${run}`;

/** A provider account with exactly these claims (NODE_ENV=test only, see server/idp/accounts.ts). */
const testStaff = (claims: Record<string, unknown>) => `test-staff:${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;

/** Up to our callback: the jar (with the login-state cookie) and the provider's redirect back to us. */
async function toCallback(username: string, password = 'demo1234', base = baseUrl()): Promise<{ jar: CookieJar; callback: URL }> {
  const jar = new CookieJar();
  const start = await jarFetch(jar, `${base}/api/auth/sso/login`);
  expect(start.status).toBe(302);
  const authorizationUrl = start.headers.get('location')!;
  expect(authorizationUrl.startsWith(`${base}/idp/`)).toBe(true);
  const url = new URL(authorizationUrl);
  expect(url.searchParams.get('client_id')).toBe('backoffice');
  expect(url.searchParams.get('code_challenge_method')).toBe('S256');
  expect(url.searchParams.get('state')).toBeTruthy();
  expect(url.searchParams.get('nonce')).toBeTruthy();
  const callback = await authorizeAtProvider(jar, authorizationUrl, `${base}/api/auth/sso/callback`, username, password);
  return { jar, callback };
}

/** The callback's answer (API client: problem+json on failure). */
async function callback(jar: CookieJar, url: string, accept = 'application/json'): Promise<Response> {
  return jarFetch(jar, url, { headers: { accept } });
}

/** A whole sign-in: the session token, or the failed callback's status and problem. */
async function ssoSignIn(username: string, password = 'demo1234', base = baseUrl()): Promise<{ status: number; body: any; token?: string }> {
  const { jar, callback: back } = await toCallback(username, password, base);
  const res = await callback(jar, back.href);
  if (res.status !== 302) return { status: res.status, body: await res.json() };
  const location = res.headers.get('location')!;
  const code = /^\/#sso=([\w-]+)$/.exec(location)?.[1];
  expect(code, location).toBeTruthy();
  const session = await call('POST', '/api/auth/sso/session', { json: { code }, base });
  expect(session.status, JSON.stringify(session.body)).toBe(200);
  // the code works once
  const again = await call('POST', '/api/auth/sso/session', { json: { code }, base });
  expect(again.status).toBe(400);
  expect(again.headers.get('content-type')).toContain('application/problem+json');
  return { status: 200, body: session.body, token: session.body.token };
}

async function me(token: string, base = baseUrl()) {
  const res = await call('GET', '/api/auth/me', { token, base });
  expect(res.status).toBe(200);
  return res.body.user;
}

async function usersNamed(admin: string, username: string) {
  const res = await call('GET', `/api/admin/users?filter=${encodeURIComponent(JSON.stringify({ q: username }))}&range=[0,99]`, { token: admin });
  expect(res.status).toBe(200);
  return (res.body as Array<{ id: number; username: string; roles: string[]; organisations: string[]; groups: string[]; active: boolean }>).filter((u) => u.username === username);
}

async function auditActions(admin: string, entityId: string): Promise<string[]> {
  const res = await call('GET', `/api/admin/audit-events?filter=${encodeURIComponent(JSON.stringify({ entityId }))}&sort=${encodeURIComponent('["at","ASC"]')}`, { token: admin });
  expect(res.status).toBe(200);
  return res.body.map((e: { action: string }) => e.action);
}

function expectProblem(res: { status: number; body: any }, status: number, path?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
  if (path) expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
}

let admin: string;
beforeAll(async () => {
  admin = await login('admin');
});

describe('staff single sign-on through the demo provider', () => {
  it('tells the login page that SSO is configured and passwords are allowed', async () => {
    const res = await call('GET', '/api/auth/options');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ sso: true, localLogin: true, ssoLabel: 'Mit Kantons-Login anmelden', ssoLoginUrl: '/api/auth/sso/login' });
  });

  it('provisions a user on the first sign-in with the mapped roles, organisation and groups; a later sign-in updates them', async () => {
    const username = name('sso.kriens');
    const claims = { username, name: 'Sina Sso', email: `${username}@kriens.example.ch`, roles: ['clerk'], organisations: [KRIENS], groups: ['einwohnerdienste', 'some-directory-group'] };
    expect(await usersNamed(admin, username)).toEqual([]);
    const first = await ssoSignIn(testStaff(claims));
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.user).toMatchObject({ username, displayName: 'Sina Sso', roles: ['clerk'], organisations: [KRIENS], groups: ['einwohnerdienste'] });
    expect(await me(first.token!)).toMatchObject({ username, organisations: [KRIENS] });
    const [created] = await usersNamed(admin, username);
    expect(created).toMatchObject({ roles: ['clerk'], organisations: [KRIENS], active: true });
    // the provisioned password is unusable: no password opens the account
    expect((await call('POST', '/api/auth/login', { json: { username, password: 'demo1234' } })).status).toBe(401);
    // a clerk's session works on the staff routes, within Kriens
    expect((await call('GET', '/api/tasks', { token: first.token })).status).toBe(200);
    expect((await call('GET', '/api/admin/users', { token: first.token })).status).toBe(403);

    const later = await ssoSignIn(testStaff({ ...claims, roles: ['clerk', 'teamlead'] }));
    expect(later.status, JSON.stringify(later.body)).toBe(200);
    expect(later.body.user.roles.sort()).toEqual(['clerk', 'teamlead']);
    const after = await usersNamed(admin, username);
    expect(after).toHaveLength(1);
    expect(after[0]!.id).toBe(created!.id);
    expect(await auditActions(admin, username)).toEqual(['user.sso-provision', 'user.sso-update']);
  });

  it('refuses unknown roles and organisations in the claims with 403 problem+json naming the claim; nobody is created', async () => {
    const username = name('sso.unknown');
    const role = await ssoSignIn(testStaff({ username, roles: ['clerk', 'superuser'], organisations: [KRIENS] }));
    expectProblem(role, 403, 'roles.1');
    expect(role.body.detail).toMatch(/unbekannte Rolle/);
    const org = await ssoSignIn(testStaff({ username, roles: ['clerk'], organisations: ['municipality:9999'] }));
    expectProblem(org, 403, 'organisations.0');
    expect(org.body.detail).toMatch(/unbekannte Organisation/);
    const none = await ssoSignIn(testStaff({ username, roles: [], organisations: [KRIENS] }));
    expectProblem(none, 403, 'roles');
    expect(await usersNamed(admin, username)).toEqual([]);
  });

  it('refuses a deactivated user (API: 403 problem+json; browser: back to the login page with the reason)', async () => {
    const username = name('sso.leaver');
    const claims = { username, roles: ['clerk'], organisations: [KRIENS], groups: ['einwohnerdienste'] };
    expect((await ssoSignIn(testStaff(claims))).status).toBe(200);
    const [user] = await usersNamed(admin, username);
    const off = await call('PUT', `/api/admin/users/${user!.id}`, {
      token: admin,
      json: { displayName: username, email: null, roles: ['clerk'], groups: ['einwohnerdienste'], organisations: [KRIENS], active: false },
    });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    const refused = await ssoSignIn(testStaff(claims));
    expectProblem(refused, 403, 'account');
    expect(refused.body.detail).toMatch(/deaktiviert/);

    const { jar, callback: back } = await toCallback(testStaff(claims));
    const browser = await callback(jar, back.href, 'text/html');
    expect(browser.status).toBe(302);
    expect(decodeURIComponent(browser.headers.get('location')!)).toMatch(/^\/#sso_error=.*deaktiviert/);
    expect(await usersNamed(admin, username)).toHaveLength(1);
  });

  it('answers bad callbacks with 400 problem+json: another browser, wrong state, missing code, reused state, unknown code', async () => {
    const { jar, callback: back } = await toCallback('luzern.einwohnerdienste');
    // another browser (no login-state cookie)
    expectProblem(await asReply(await callback(new CookieJar(), back.href)), 400, 'state');
    // the cookie was not used up by the other browser: a wrong state in this browser
    const wrong = new URL(back.href);
    wrong.searchParams.set('state', 'x'.repeat(43));
    expectProblem(await asReply(await callback(jar, wrong.href)), 400, 'state');

    // a valid state without a code
    const second = await toCallback('luzern.einwohnerdienste');
    const noCode = new URL(second.callback.href);
    noCode.searchParams.delete('code');
    expectProblem(await asReply(await callback(second.jar, noCode.href)), 400, 'code');
    // that state is used up: the real callback now fails too
    second.jar.cookies.set('lu_staff_login_state', second.callback.searchParams.get('state')!);
    expectProblem(await asReply(await callback(second.jar, second.callback.href)), 400, 'state');

    // a made-up code at the provider
    const third = await toCallback('luzern.einwohnerdienste');
    const forged = new URL(third.callback.href);
    forged.searchParams.set('code', 'forged-code');
    expectProblem(await asReply(await callback(third.jar, forged.href)), 400, 'code');

    expectProblem(await call('POST', '/api/auth/sso/session', { json: { code: 'a'.repeat(43) } }), 400, 'code');
    expectProblem(await call('POST', '/api/auth/sso/session', { json: {} }), 422);
  });
});

async function asReply(res: Response): Promise<{ status: number; body: any }> {
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  return { status: res.status, body: await res.json() };
}

describe('done when: admin creates a Kriens organisation admin, who creates a clerk; the clerk signs in through SSO and completes a Kriens task', () => {
  it('links the locally created users to their provider accounts (no duplicates) and works on a Kriens case', async () => {
    const orgAdminName = name('kriens.orgadmin');
    const clerkName = name('kriens.sso-clerk');
    const created = await call('POST', '/api/admin/users', {
      token: admin,
      json: {
        username: orgAdminName,
        displayName: 'Olga Org',
        email: `${orgAdminName}@kriens.example.ch`,
        roles: ['org_admin'],
        groups: [],
        organisations: [KRIENS],
        initialPassword: 'Start-Passwort-1',
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);

    // the organisation admin signs in through the provider (the demo directory is the users table)
    const orgAdmin = await ssoSignIn(orgAdminName, 'Start-Passwort-1');
    expect(orgAdmin.status, JSON.stringify(orgAdmin.body)).toBe(200);
    expect(orgAdmin.body.user).toMatchObject({ id: created.body.id, username: orgAdminName, roles: ['org_admin'], organisations: [KRIENS] });
    // a wrong password is refused at the provider
    await expect(toCallback(orgAdminName, 'falsches-passwort')).rejects.toMatchObject({ status: 401, page: expect.stringContaining('Benutzername oder Passwort ist falsch') });

    const clerk = await call('POST', '/api/admin/users', {
      token: orgAdmin.token,
      json: {
        username: clerkName,
        displayName: 'Kurt Klerk',
        email: `${clerkName}@kriens.example.ch`,
        roles: ['clerk'],
        groups: ['einwohnerdienste'],
        organisations: [KRIENS],
        initialPassword: 'Klerk-Start-1',
      },
    });
    expect(clerk.status, JSON.stringify(clerk.body)).toBe(201);

    const signedIn = await ssoSignIn(clerkName, 'Klerk-Start-1');
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
    expect(signedIn.body.user).toMatchObject({ id: clerk.body.id, username: clerkName, roles: ['clerk'], organisations: [KRIENS], groups: ['einwohnerdienste'] });
    expect(await usersNamed(admin, clerkName)).toHaveLength(1);
    expect(await auditActions(admin, clerkName)).toEqual(['user.create', 'user.sso-link']);

    const submitted = await submitTo('hundeanmeldung', {
      municipality: 1059,
      applicant: applicant({ address: { street: 'Schachenstrasse', houseNumber: '5', postalCode: '6010', town: 'Kriens' } }),
      data: dogData({ dogCategory: 'guide', exemptionRequested: true, exemptionReason: 'Blindenführhund' }),
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    const task = await waitForNamedTask(signedIn.token!, submitted.body.reference, 'Steuerbefreiung prüfen');
    expect(task).toMatchObject({ organisationId: KRIENS, municipality: 1059 });
    const done = await claimAndComplete(signedIn.token!, task.id, { exemptionApproved: true, comment: 'Ausweis geprüft (SSO)' });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.completedBy).toBe(clerkName);
    // the approved exemption waits for a second person's release (four-eyes): not this clerk
    const release = await waitForNamedTask(signedIn.token!, submitted.body.reference, 'Steuerbefreiung freigeben');
    const claimAgain = await call('POST', `/api/tasks/${release.id}/claim`, { token: signedIn.token! });
    expect(claimAgain.status).toBe(409);
    expect(claimAgain.body.detail).toMatch(/Vier-Augen-Prinzip/);
    expect((await waitForStatus(submitted.body.reference, submitted.body.accessToken, 'in_progress')).status).toBe('in_progress');
  });

  it('refuses to link a user to a second provider account', async () => {
    // the demo provider's subject is derived from the username; another issuer (a second server's provider) is another account
    const username = name('sso.linked');
    expect((await ssoSignIn(testStaff({ username, roles: ['clerk'], organisations: [KRIENS] }))).status).toBe(200);
    const db = await openTestDatabase(inject('dataDir'));
    try {
      await db('users').where({ username }).update({ oidc_subject: 'someone-else' });
    } finally {
      await db.destroy();
    }
    const refused = await ssoSignIn(testStaff({ username, roles: ['clerk'], organisations: [KRIENS] }));
    expectProblem(refused, 403, 'username');
    expect(refused.body.detail).toMatch(/bereits mit einem anderen Konto/);
  });
});

describe('STAFF_LOCAL_LOGIN=false', () => {
  let second: ServerProcess;
  beforeAll(async () => {
    // a second server on the shared database with the password login switched off
    second = await startSecondServer({ name: 'server-sso-only', env: { STAFF_LOCAL_LOGIN: 'false' } });
  }, 200_000);
  afterAll(async () => second?.stop());

  it('refuses passwords with a clear 403 problem+json, hides the form, and still signs staff in through SSO', async () => {
    const options = await call('GET', '/api/auth/options', { base: second.baseUrl });
    expect(options.body).toMatchObject({ sso: true, localLogin: false });
    const refused = await call('POST', '/api/auth/login', { json: { username: 'admin', password: 'demo1234' }, base: second.baseUrl });
    expectProblem(refused, 403, 'password');
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body.detail).toMatch(/Passwort ist ausgeschaltet/);
    expect(refused.body).not.toHaveProperty('token');
    const change = await call('POST', '/api/auth/password', { json: { username: 'admin', password: 'demo1234', newPassword: 'Ein-Neues-Passwort-1' }, base: second.baseUrl });
    expectProblem(change, 403, 'password');
    // the shared server (default) still takes passwords
    expect((await call('POST', '/api/auth/login', { json: { username: 'admin', password: 'demo1234' } })).status).toBe(200);

    const username = name('sso.only');
    const signedIn = await ssoSignIn(testStaff({ username, roles: ['clerk'], organisations: [KRIENS], groups: ['einwohnerdienste'] }), 'demo1234', second.baseUrl);
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
    expect(await me(signedIn.token!, second.baseUrl)).toMatchObject({ username, organisations: [KRIENS] });
  });
});
