/**
 * Signing in through the real demo OpenID provider (/idp) the way a browser does: every redirect
 * followed by hand (fetch with `redirect: 'manual'`), cookies kept in a small jar, the login form
 * posted. No mocks: the tokens are the provider's signed tokens.
 */
import crypto from 'node:crypto';
import { baseUrl, call, type CallOptions, type Reply } from './client';

export const DEMO_PASSWORD = 'demo1234';
/** redirect URI of the demo portal clients (never served: the code is read from the Location) */
export const demoClientRedirectUri = () => `${baseUrl()}/idp/demo-client/callback`;

/** Cookies by name (one site: the test server serves both the API and /idp). */
export class CookieJar {
  readonly cookies = new Map<string, string>();

  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => {
        const [k, v] = a.split('=').map((x) => x.trim());
        return (k!.toLowerCase() === 'max-age' && Number(v) <= 0) || (k!.toLowerCase() === 'expires' && Date.parse(v!) <= Date.now());
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** One request with the jar's cookies, redirects not followed. */
export async function jarFetch(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const cookie = jar.header();
  if (cookie) headers.set('cookie', cookie);
  const res = await fetch(url, { ...init, headers, redirect: 'manual' });
  jar.store(res);
  return res;
}

const isRedirect = (status: number) => status >= 300 && status < 400;

/**
 * From an authorization URL of the provider to the redirect back to the client: follows the
 * provider's redirects, posts the login form once, lets the consent be granted, and stops at the
 * first redirect whose target starts with `redirectUri` (returned, not followed). Throws with
 * the page's text when the provider answers something else (e.g. a wrong password).
 */
export async function authorizeAtProvider(jar: CookieJar, authorizationUrl: string, redirectUri: string, username: string, password = DEMO_PASSWORD): Promise<URL> {
  let url = authorizationUrl;
  let posted = false;
  for (let hops = 0; hops < 20; hops++) {
    const res = await jarFetch(jar, url);
    if (isRedirect(res.status)) {
      const next = new URL(res.headers.get('location')!, url);
      if (next.href.startsWith(redirectUri)) return next;
      url = next.href;
      continue;
    }
    const page = await res.text();
    if (res.status !== 200 || !/\/interaction\/[^/]+$/.test(new URL(url).pathname) || posted) {
      throw new LoginPageError(res.status, page);
    }
    const login = await jarFetch(jar, `${url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password }).toString(),
    });
    posted = true;
    if (!isRedirect(login.status)) throw new LoginPageError(login.status, await login.text());
    url = new URL(login.headers.get('location')!, url).href;
  }
  throw new Error('too many redirects at the provider');
}

export class LoginPageError extends Error {
  constructor(
    readonly status: number,
    readonly page: string,
  ) {
    super(`provider answered ${status}: ${page.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 300)}`);
  }
}

export interface CitizenSession {
  /** Cookie header value with lu_citizen and lu_csrf */
  cookie: string;
  csrfToken: string;
  /** `call` of client.ts with the cookie and the X-CSRF-Token header */
  call<T = any>(method: string, path: string, opts?: CallOptions): Promise<Reply<T>>;
}

/** GET /api/v1/auth/login: the provider's authorization URL our server redirects to. */
export async function startCitizenLogin(jar: CookieJar, returnTo = '/portal/'): Promise<string> {
  const res = await jarFetch(jar, `${baseUrl()}/api/v1/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
  if (res.status !== 302) throw new Error(`auth/login answered ${res.status}: ${await res.text()}`);
  return res.headers.get('location')!;
}

/** Signs a demo citizen in to our server through the real provider; the session's cookies. */
export async function signInCitizen(username: string, password = DEMO_PASSWORD): Promise<CitizenSession> {
  const jar = new CookieJar();
  const callbackUri = `${baseUrl()}/api/v1/auth/callback`;
  const back = await authorizeAtProvider(jar, await startCitizenLogin(jar), callbackUri, username, password);
  const res = await jarFetch(jar, back.href);
  if (res.status !== 302) throw new Error(`auth/callback answered ${res.status}: ${await res.text()}`);
  const token = jar.cookies.get('lu_citizen');
  const csrfToken = jar.cookies.get('lu_csrf');
  if (!token || !csrfToken) throw new Error('auth/callback set no session cookies');
  return citizenSessionOf(`lu_citizen=${token}; lu_csrf=${csrfToken}`, csrfToken);
}

export function citizenSessionOf(cookie: string, csrfToken: string): CitizenSession {
  return {
    cookie,
    csrfToken,
    call: (method, path, opts = {}) => call(method, path, { ...opts, cookie, headers: { 'x-csrf-token': csrfToken, ...opts.headers } }),
  };
}

export interface ProviderMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
}

export async function providerMetadata(): Promise<ProviderMetadata> {
  const res = await fetch(`${baseUrl()}/idp/.well-known/openid-configuration`);
  if (res.status !== 200) throw new Error(`discovery answered ${res.status}`);
  return (await res.json()) as ProviderMetadata;
}

const basicAuth = (clientId: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/**
 * A person's ID token for a portal client (`portal-demo`, `portal-other`): authorization code
 * flow with PKCE through the login page, code exchanged at the token endpoint.
 */
export async function idTokenFor(clientId: string, secret: string, username: string, opts: { password?: string; scope?: string } = {}): Promise<string> {
  const meta = await providerMetadata();
  const verifier = crypto.randomBytes(32).toString('base64url');
  const redirectUri = demoClientRedirectUri();
  const state = crypto.randomBytes(16).toString('base64url');
  const auth = new URL(meta.authorization_endpoint);
  auth.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    scope: opts.scope ?? 'openid profile birthdate email ahv',
    redirect_uri: redirectUri,
    state,
    nonce: crypto.randomBytes(16).toString('base64url'),
    code_challenge: crypto.createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  const back = await authorizeAtProvider(new CookieJar(), auth.href, redirectUri, username, opts.password);
  const code = back.searchParams.get('code');
  if (!code || back.searchParams.get('state') !== state) throw new Error(`no code in ${back.href}`);
  const res = await fetch(meta.token_endpoint, {
    method: 'POST',
    headers: { authorization: basicAuth(clientId, secret), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier }).toString(),
  });
  const body = (await res.json()) as { id_token?: string };
  if (res.status !== 200 || !body.id_token) throw new Error(`token endpoint answered ${res.status}: ${JSON.stringify(body)}`);
  return body.id_token;
}

/** A client-credentials access token (JWT for `<baseUrl>/api`) from the provider's token endpoint. */
export async function clientCredentialsToken(clientId: string, secret: string, scope = 'submissions'): Promise<string> {
  const meta = await providerMetadata();
  const res = await fetch(meta.token_endpoint, {
    method: 'POST',
    headers: { authorization: basicAuth(clientId, secret), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope }).toString(),
  });
  const body = (await res.json()) as { access_token?: string };
  if (res.status !== 200 || !body.access_token) throw new Error(`token endpoint answered ${res.status}: ${JSON.stringify(body)}`);
  return body.access_token;
}
