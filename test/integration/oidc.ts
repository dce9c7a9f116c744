/**
 * Signing in through the real demo OpenID provider (/idp) the way a browser does: every redirect
 * followed by hand (fetch with `redirect: 'manual'`), cookies kept in a small jar, the login form
 * posted. No mocks: the tokens are the provider's signed tokens.
 */
import crypto from 'node:crypto';
import { baseUrl, call, type CallOptions, type Reply } from './client';
import { authorizeAtProvider, citizenSessionCookies, CookieJar, sessionCookiesOf, startCitizenLogin as startLoginAt } from '../support/oidc-flow';

export { authorizeAtProvider, CookieJar, jarFetch, LoginPageError } from '../support/oidc-flow';

export interface CitizenSession {
  /** Cookie header value with lu_citizen and lu_csrf */
  cookie: string;
  csrfToken: string;
  /** `call` of client.ts with the cookie and the X-CSRF-Token header */
  call<T = any>(method: string, path: string, opts?: CallOptions): Promise<Reply<T>>;
}

/** GET /api/v1/auth/login: the provider's authorization URL our server redirects to. */
export const startCitizenLogin = (jar: CookieJar, returnTo?: string): Promise<string> => startLoginAt(baseUrl(), jar, returnTo);

/** Signs a demo citizen in to our server through the real provider; the session's cookies. */
export async function signInCitizen(username: string): Promise<CitizenSession> {
  return sessionOf(await citizenSessionCookies(baseUrl(), username));
}

/** The session a jar holds once our callback answered (a sign-in driven step by step). */
export const citizenSessionOf = (jar: CookieJar): CitizenSession => sessionOf(sessionCookiesOf(jar));

function sessionOf({ cookie, csrfToken }: { cookie: string; csrfToken: string }): CitizenSession {
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

/** The discovery document of the provider of the server at `base`. */
export async function providerMetadata(base = baseUrl()): Promise<ProviderMetadata> {
  const res = await fetch(`${base}/idp/.well-known/openid-configuration`);
  if (res.status !== 200) throw new Error(`discovery answered ${res.status}`);
  return (await res.json()) as ProviderMetadata;
}

const basicAuth = (clientId: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/**
 * A person's ID token for a portal client (`portal-demo`, `portal-other`): authorization code
 * flow with PKCE through the login page, code exchanged at the token endpoint.
 */
export async function idTokenFor(clientId: string, secret: string, username: string): Promise<string> {
  const meta = await providerMetadata();
  const verifier = crypto.randomBytes(32).toString('base64url');
  // the demo portal clients' redirect URI (never served: the code is read from the Location)
  const redirectUri = `${baseUrl()}/idp/demo-client/callback`;
  const state = crypto.randomBytes(16).toString('base64url');
  const auth = new URL(meta.authorization_endpoint);
  auth.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    scope: 'openid profile birthdate email ahv',
    redirect_uri: redirectUri,
    state,
    nonce: crypto.randomBytes(16).toString('base64url'),
    code_challenge: crypto.createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  const back = await authorizeAtProvider(new CookieJar(), auth.href, redirectUri, username);
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

/** A client-credentials access token (JWT for `<base>/api`) from the token endpoint of the provider of the server at `base`. */
export async function clientCredentialsToken(clientId: string, secret: string, base = baseUrl()): Promise<string> {
  const meta = await providerMetadata(base);
  const res = await fetch(meta.token_endpoint, {
    method: 'POST',
    headers: { authorization: basicAuth(clientId, secret), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'submissions' }).toString(),
  });
  const body = (await res.json()) as { access_token?: string };
  if (res.status !== 200 || !body.access_token) throw new Error(`token endpoint answered ${res.status}: ${JSON.stringify(body)}`);
  return body.access_token;
}
