/**
 * Citizen sign-in through the real demo OpenID provider (DESIGN.md §6): authorization code +
 * PKCE, the session cookie, /me, logout, CSRF, and hostile returnTo, state and cookies.
 */
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { baseUrl, call } from './client';
import { authorizeAtProvider, citizenSessionOf, clientCredentialsToken, CookieJar, idTokenFor, jarFetch, LoginPageError, providerMetadata, signInCitizen, startCitizenLogin } from './oidc';

const callbackUri = () => `${baseUrl()}/api/v1/auth/callback`;

describe('citizen sign-in', () => {
  it('signs anna.muster in: /me has her claims from the provider, the cookies are httpOnly/Lax and readable CSRF', async () => {
    const jar = new CookieJar();
    const back = await authorizeAtProvider(jar, await startCitizenLogin(jar, '/portal/faelle?x=1'), callbackUri(), 'anna.muster');
    const res = await jarFetch(jar, back.href);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/portal/faelle?x=1');
    const setCookies = res.headers.getSetCookie();
    const session = setCookies.find((c) => c.startsWith('lu_citizen='))!;
    expect(session).toMatch(/httponly/i);
    expect(session).toMatch(/samesite=lax/i);
    expect(session).toMatch(/path=\//i);
    const csrf = setCookies.find((c) => c.startsWith('lu_csrf='))!;
    expect(csrf).not.toMatch(/httponly/i);
    expect(csrf).toMatch(/samesite=strict/i);

    const anna = citizenSessionOf(jar);
    const me = await anna.call('GET', '/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ givenName: 'Anna', familyName: 'Muster', birthDate: '1985-04-12', assurance: 'urn:lu:demo:loa:substantial', csrfToken: anna.csrfToken });
    expect(me.body.subject).toMatch(/^[0-9a-f-]{36}$/);
    expect(me.body.subject).not.toContain('anna');
  });

  it('signs max.neu in (in no register), with a stable subject per account', async () => {
    const max = await signInCitizen('max.neu');
    const me = await max.call('GET', '/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ givenName: 'Max', familyName: 'Neu', birthDate: '1990-02-02' });
    const again = await signInCitizen('max.neu');
    expect((await again.call('GET', '/api/v1/me')).body.subject).toBe(me.body.subject);
    const anna = await signInCitizen('anna.muster');
    expect((await anna.call('GET', '/api/v1/me')).body.subject).not.toBe(me.body.subject);
  });

  it('logout ends the session and clears the cookies; afterwards the cookie is refused', async () => {
    const s = await signInCitizen('daniel.steiner');
    const out = await s.call('POST', '/api/v1/auth/logout');
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().some((c) => /^lu_citizen=;/.test(c) && /expires=Thu, 01 Jan 1970/i.test(c))).toBe(true);
    const me = await s.call('GET', '/api/v1/me');
    expect(me.status).toBe(401);
    expect(me.headers.get('content-type')).toContain('application/problem+json');
  });

  it('a wrong password shows the error on the login page and never redirects to the callback', async () => {
    const jar = new CookieJar();
    const err = await authorizeAtProvider(jar, await startCitizenLogin(jar), callbackUri(), 'anna.muster', 'wrong-password').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LoginPageError);
    expect((err as LoginPageError).status).toBe(401);
    expect((err as LoginPageError).page).toContain('Benutzername oder Passwort ist falsch');
    expect((err as LoginPageError).page).toContain('lang="de-CH"');
    expect(jar.cookies.has('lu_citizen')).toBe(false);
  });

  it('the login page escapes what it echoes', async () => {
    const jar = new CookieJar();
    const err = (await authorizeAtProvider(jar, await startCitizenLogin(jar), callbackUri(), '"><script>alert(1)</script>', 'x').catch((e: unknown) => e)) as LoginPageError;
    expect(err.page).not.toContain('<script>alert(1)');
    expect(err.page).toContain('&quot;&gt;&lt;script&gt;');
  });

  it.each(['https://evil.example/', '//evil.example', '/\\evil', '/%0d%0aSet-Cookie:x=1'.replace('%0d%0a', '\r\n'), 'javascript:alert(1)', `/${'a'.repeat(600)}`])(
    'refuses returnTo %j with 400 problem+json naming returnTo',
    async (returnTo) => {
      const res = await call('GET', `/api/v1/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.errors[0].path).toBe('returnTo');
      expect(res.headers.get('location')).toBeNull();
    },
  );

  it('a tampered state is 400 and creates no session', async () => {
    const jar = new CookieJar();
    const back = await authorizeAtProvider(jar, await startCitizenLogin(jar), callbackUri(), 'anna.muster');
    back.searchParams.set('state', `${back.searchParams.get('state')}x`);
    const res = await jarFetch(jar, back.href);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(jar.cookies.has('lu_citizen')).toBe(false);
  });

  it('a state is used once: replaying the callback is 400 and sets no cookie', async () => {
    const jar = new CookieJar();
    const back = await authorizeAtProvider(jar, await startCitizenLogin(jar), callbackUri(), 'anna.muster');
    expect((await jarFetch(jar, back.href)).status).toBe(302);
    // even with the browser's state cookie put back, the state row is gone
    const replay = await fetch(back.href, { redirect: 'manual', headers: { cookie: `lu_login_state=${back.searchParams.get('state')}` } });
    expect(replay.status).toBe(400);
    expect(replay.headers.getSetCookie().some((c) => c.startsWith('lu_citizen=') && !c.startsWith('lu_citizen=;'))).toBe(false);
  });

  it("login CSRF: a callback URL of someone else's sign-in is refused in another browser (400, no session); the sign-in still completes where it started", async () => {
    const attacker = new CookieJar();
    const back = await authorizeAtProvider(attacker, await startCitizenLogin(attacker), callbackUri(), 'max.neu');
    expect(attacker.cookies.has('lu_login_state')).toBe(true);
    const victim = new CookieJar();
    const res = await jarFetch(victim, back.href);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(victim.cookies.has('lu_citizen')).toBe(false);
    expect((await call('GET', '/api/v1/me', { cookie: victim.header() })).status).toBe(401);
    // the refusal used nothing up: the browser that started it finishes its own sign-in
    expect((await jarFetch(attacker, back.href)).status).toBe(302);
    expect((await call('GET', '/api/v1/me', { cookie: attacker.header() })).body.givenName).toBe('Max');
  });

  it('a provider error (access_denied) or a missing state is 400 problem+json', async () => {
    const jar = new CookieJar();
    const authUrl = new URL(await startCitizenLogin(jar));
    const denied = await call('GET', `/api/v1/auth/callback?error=access_denied&state=${authUrl.searchParams.get('state')}`);
    expect(denied.status).toBe(400);
    expect(denied.headers.get('content-type')).toContain('application/problem+json');
    expect((await call('GET', '/api/v1/auth/callback?code=abc')).status).toBe(400);
    expect((await call('GET', `/api/v1/auth/callback?code=abc&state=${'x'.repeat(5000)}`)).status).toBe(400);
  });

  it("a browser (Accept: text/html) is sent to the portal's explanation page instead of seeing problem+json", async () => {
    const html = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
    const jar = new CookieJar();
    const authUrl = new URL(await startCitizenLogin(jar));
    const state = authUrl.searchParams.get('state')!;
    const denied = await jarFetch(jar, `${baseUrl()}/api/v1/auth/callback?error=access_denied&state=${state}`, { headers: html });
    expect(denied.status).toBe(302);
    expect(denied.headers.get('location')).toBe('/portal/anmeldung?fehler=abgebrochen');
    // the state is used up: the same callback again is stale
    const again = await fetch(`${baseUrl()}/api/v1/auth/callback?error=access_denied&state=${state}`, { redirect: 'manual', headers: { ...html, cookie: `lu_login_state=${state}` } });
    expect(again.status).toBe(302);
    expect(again.headers.get('location')).toBe('/portal/anmeldung?fehler=abgelaufen');
    expect(again.headers.getSetCookie().some((c) => c.startsWith('lu_citizen=') && !c.startsWith('lu_citizen=;'))).toBe(false);
    // the same bad callback without text/html is still 400 problem+json
    const api = await fetch(`${baseUrl()}/api/v1/auth/callback?error=access_denied&state=${state}`, { redirect: 'manual', headers: { cookie: `lu_login_state=${state}` } });
    expect(api.status).toBe(400);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
    // the page exists in the portal (its SPA fallback serves index.html)
    const page = await fetch(`${baseUrl()}/portal/anmeldung?fehler=abgebrochen`, { headers: html });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
  });

  it('"Abbrechen" on the provider\'s login page ends at the portal\'s page "abgebrochen" without a session', async () => {
    const jar = new CookieJar();
    let interaction = new URL(await startCitizenLogin(jar));
    let shown = await jarFetch(jar, interaction.href);
    for (let i = 0; i < 5 && shown.status >= 300 && shown.status < 400; i++) {
      interaction = new URL(shown.headers.get('location')!, interaction);
      shown = await jarFetch(jar, interaction.href);
    }
    expect(interaction.pathname).toMatch(/^\/idp\/interaction\/[\w-]+$/);
    const page = await shown.text();
    const abort = /<form[^>]*action="([^"]+\/abort)"/.exec(page);
    expect(abort?.[1]).toBe(`${interaction.pathname}/abort`);
    let res = await jarFetch(jar, new URL(abort![1]!, baseUrl()).href, { method: 'POST' });
    // the provider's redirects up to our callback, as a browser would follow them
    for (let i = 0; i < 5 && res.status >= 300 && res.status < 400 && !res.headers.get('location')!.startsWith('/portal/'); i++) {
      res = await jarFetch(jar, new URL(res.headers.get('location')!, baseUrl()).href, { headers: { accept: 'text/html' } });
    }
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/portal/anmeldung?fehler=abgebrochen');
    expect(jar.cookies.has('lu_citizen')).toBe(false);
  });

  it('a forged code with a valid state is 400, not 5xx', async () => {
    const jar = new CookieJar();
    const authUrl = new URL(await startCitizenLogin(jar));
    const res = await call('GET', `/api/v1/auth/callback?code=forged&state=${authUrl.searchParams.get('state')}&iss=${encodeURIComponent(`${baseUrl()}/idp`)}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('a garbage or unknown lu_citizen cookie is 401 problem+json and the cookies are cleared', async () => {
    for (const cookie of ['lu_citizen=garbage', `lu_citizen=${'A'.repeat(43)}`, 'lu_citizen=%00%ff']) {
      const res = await call('GET', '/api/v1/me', { cookie });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.detail).toBe('Ihre Anmeldung ist abgelaufen');
      expect(res.headers.getSetCookie().some((c) => c.startsWith('lu_citizen=;'))).toBe(true);
    }
    // a stale cookie does not stop a new sign-in
    const login = await fetch(`${baseUrl()}/api/v1/auth/login`, { headers: { cookie: 'lu_citizen=garbage' }, redirect: 'manual' });
    expect(login.status).toBe(302);
    expect(login.headers.get('location')).toContain(`${baseUrl()}/idp/auth?`);
  });

  it('a cookie-authenticated change needs the X-CSRF-Token header (403 otherwise, and nothing changes)', async () => {
    const s = await signInCitizen('elena.huber');
    const noHeader = await call('POST', '/api/v1/auth/logout', { cookie: s.cookie });
    expect(noHeader.status).toBe(403);
    expect(noHeader.headers.get('content-type')).toContain('application/problem+json');
    const wrong = await call('POST', '/api/v1/auth/logout', { cookie: s.cookie, headers: { 'x-csrf-token': 'wrong' } });
    expect(wrong.status).toBe(403);
    expect((await s.call('GET', '/api/v1/me')).status).toBe(200);
  });

  it('after signing out, the next sign-in at the same browser asks the provider for a login again', async () => {
    const jar = new CookieJar();
    const signIn = async (username: string) => {
      const back = await authorizeAtProvider(jar, await startCitizenLogin(jar), callbackUri(), username);
      expect((await jarFetch(jar, back.href)).status).toBe(302);
      return citizenSessionOf(jar);
    };
    const anna = await signIn('anna.muster');
    expect((await anna.call('POST', '/api/v1/auth/logout')).status).toBe(204);
    jar.cookies.delete('lu_citizen');
    jar.cookies.delete('lu_csrf');
    const max = await signIn('max.neu');
    expect((await max.call('GET', '/api/v1/me')).body.givenName).toBe('Max');
  });

  it('signing out with a stale cookie clears it and answers 204', async () => {
    const res = await call('POST', '/api/v1/auth/logout', { cookie: `lu_citizen=${'B'.repeat(43)}` });
    expect(res.status).toBe(204);
    expect(res.headers.getSetCookie().some((c) => c.startsWith('lu_citizen=;'))).toBe(true);
  });

  it('own case with the session: withdrawal needs the CSRF header; another person gets 404', async () => {
    const max = await signInCitizen('max.neu');
    const contact = { email: 'max@example.ch', address: { street: 'Musterweg', houseNumber: '1', postalCode: '6003', town: 'Luzern' } };
    const sent = await max.call('POST', '/api/v1/services/wohnsitzbestaetigung/submissions', { json: { municipality: 1061, applicant: contact, data: { purpose: 'Arbeitgeber', copies: 1 } } });
    expect(sent.status).toBe(201);
    const { reference } = sent.body;
    // the session alone opens the case (no access token)
    expect((await max.call('GET', `/api/v1/submissions/${reference}`)).status).toBe(200);
    const anna = await signInCitizen('anna.muster');
    expect((await anna.call('GET', `/api/v1/submissions/${reference}`)).status).toBe(404);
    expect((await anna.call('POST', `/api/v1/submissions/${reference}/withdrawal`)).status).toBe(404);

    const noCsrf = await call('POST', `/api/v1/submissions/${reference}/withdrawal`, { cookie: max.cookie });
    expect(noCsrf.status).toBe(403);
    expect((await max.call('GET', `/api/v1/submissions/${reference}`)).body.status).not.toBe('withdrawn');
    expect((await max.call('POST', `/api/v1/submissions/${reference}/withdrawal`)).status).toBe(202);
    const mine = (await max.call('GET', '/api/v1/me/submissions')).body as Array<{ reference: string; authority: { id: string; name: string }; serviceName: string }>;
    expect(mine.find((c) => c.reference === reference)).toMatchObject({ authority: { id: 'municipality:1061', name: expect.stringContaining('Luzern') }, serviceName: 'Wohnsitzbestätigung' });
  });

  it('/me and /me/submissions need a session (401 problem+json)', async () => {
    for (const path of ['/api/v1/me', '/api/v1/me/submissions']) {
      const res = await call('GET', path);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('/me/submissions pages with range and Content-Range; a bad range is 400', async () => {
    const s = await signInCitizen('fabian.wyss');
    const res = await s.call('GET', '/api/v1/me/submissions?range=[0,9]');
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body)).toBe(true);
    expect(res.headers.get('content-range')).toMatch(/^submissions 0-\d+\/\d+$/);
    const bad = await s.call('GET', '/api/v1/me/submissions?range=[5,1]');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toMatch(/^range/);
  });
});

describe('demo OpenID provider', () => {
  it('issues portal-demo a client-credentials access token: an RS256 JWT for <base>/api, verifiable with its JWKS', async () => {
    const token = await clientCredentialsToken('portal-demo', 'demo1234');
    expect(decodeProtectedHeader(token).alg).toBe('RS256');
    const claims = decodeJwt(token);
    expect(claims.aud).toBe(`${baseUrl()}/api`);
    expect(claims.client_id).toBe('portal-demo');
    const meta = await providerMetadata();
    expect(meta.issuer).toBe(`${baseUrl()}/idp`);
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(meta.jwks_uri)), { issuer: meta.issuer, audience: `${baseUrl()}/api` });
    expect(payload.scope).toBe('submissions');
  });

  it('refuses a wrong client secret', async () => {
    await expect(clientCredentialsToken('portal-demo', 'wrong-secret')).rejects.toThrow(/401|invalid_client/);
  });

  it('gives a portal client the person’s ID token with name, birth date and AHV number', async () => {
    const idToken = await idTokenFor('portal-demo', 'demo1234', 'anna.muster');
    const meta = await providerMetadata();
    const { payload } = await jwtVerify(idToken, createRemoteJWKSet(new URL(meta.jwks_uri)), { issuer: meta.issuer, audience: 'portal-demo' });
    expect(payload).toMatchObject({ given_name: 'Anna', family_name: 'Muster', birthdate: '1985-04-12', ahvn13: '756.1234.5678.97', acr: 'urn:lu:demo:loa:substantial' });
  });

  it('ends its own session with German pages (question with a session, confirmation after)', async () => {
    const jar = new CookieJar();
    await authorizeAtProvider(jar, await startCitizenLogin(jar), callbackUri(), 'hans.portmann');
    const question = await jarFetch(jar, `${baseUrl()}/idp/session/end`);
    expect(question.status).toBe(200);
    const page = await question.text();
    expect(page).toContain('lang="de-CH"');
    expect(page).toContain('Ja, abmelden');
    const form = /<form[^>]*action="([^"]+)"[^>]*>[\s\S]*?name="xsrf" value="([^"]+)"/.exec(page)!;
    const confirmed = await jarFetch(jar, new URL(form[1]!, baseUrl()).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ xsrf: form[2]!, logout: 'yes' }).toString(),
    });
    expect(confirmed.status).toBe(303);
    const done = await jarFetch(jar, new URL(confirmed.headers.get('location')!, baseUrl()).href);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Sie sind abgemeldet');
  });

  it('answers bad input with a German 4xx page, never 5xx', async () => {
    const res = await fetch(`${baseUrl()}/idp/auth?client_id=nobody&response_type=code&scope=openid&redirect_uri=https://evil.example/`, { redirect: 'manual' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(await res.text()).toContain('lang="de-CH"');
    const unknownInteraction = await fetch(`${baseUrl()}/idp/interaction/unknown-uid`);
    expect(unknownInteraction.status).toBe(400);
    const junkLogin = await fetch(`${baseUrl()}/idp/interaction/unknown-uid/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=%ff&password=',
    });
    expect(junkLogin.status).toBe(400);
    const token = await fetch(`${baseUrl()}/idp/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=authorization_code&code=%00' });
    expect(token.status).toBeGreaterThanOrEqual(400);
    expect(token.status).toBeLessThan(500);
  });
});
