/**
 * The browser's side of an OpenID Connect sign-in, without vitest: cookies kept in a small jar,
 * every redirect followed by hand (fetch with `redirect: 'manual'`), the provider's login form
 * posted. Used by the integration tests (test/integration/oidc.ts) and the benchmark, which sign
 * in through the real demo provider, never a mock.
 */

export const DEMO_PASSWORD = 'demo1234';

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
    const autoPost = res.status === 200 ? autoSubmittedForm(page) : undefined;
    if (autoPost) {
      // a page a browser submits by script (the provider ending its session of another person)
      const submitted = await jarFetch(jar, new URL(autoPost.action, url).href, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: autoPost.fields.toString(),
      });
      if (!isRedirect(submitted.status)) throw new LoginPageError(submitted.status, await submitted.text());
      url = new URL(submitted.headers.get('location')!, url).href;
      continue;
    }
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

const unescapeHtml = (s: string) => s.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" })[e]!);

/** oidc-provider's script-submitted form (its response_modes/form_post.js): action and hidden fields. */
function autoSubmittedForm(page: string): { action: string; fields: URLSearchParams } | undefined {
  if (!page.includes('document.forms[0].submit()')) return undefined;
  const action = /<form method="post" action="([^"]*)"/.exec(page)?.[1];
  if (action === undefined) return undefined;
  const fields = new URLSearchParams();
  for (const m of page.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)"\/?>/g)) fields.append(unescapeHtml(m[1]!), unescapeHtml(m[2]!));
  return { action: unescapeHtml(action), fields };
}

export class LoginPageError extends Error {
  constructor(
    readonly status: number,
    readonly page: string,
  ) {
    super(
      `provider answered ${status}: ${page
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .slice(0, 300)}`,
    );
  }
}

/** GET /api/v1/auth/login of our server at `baseUrl`: the provider's authorization URL it redirects to. */
export async function startCitizenLogin(baseUrl: string, jar: CookieJar, returnTo = '/portal/'): Promise<string> {
  const res = await jarFetch(jar, `${baseUrl}/api/v1/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
  if (res.status !== 302) throw new Error(`auth/login answered ${res.status}: ${await res.text()}`);
  return res.headers.get('location')!;
}

/** The session a jar holds after our callback: its cookie header (lu_citizen, lu_csrf) and CSRF token. */
export function sessionCookiesOf(jar: CookieJar): { cookie: string; csrfToken: string } {
  const token = jar.cookies.get('lu_citizen');
  const csrfToken = jar.cookies.get('lu_csrf');
  if (!token || !csrfToken) throw new Error('auth/callback set no session cookies');
  return { cookie: `lu_citizen=${token}; lu_csrf=${csrfToken}`, csrfToken };
}

/** Signs a person in to our server at `baseUrl` through its provider; the session's cookie header and CSRF token. */
export async function citizenSessionCookies(baseUrl: string, username: string, password = DEMO_PASSWORD): Promise<{ cookie: string; csrfToken: string }> {
  const jar = new CookieJar();
  const back = await authorizeAtProvider(jar, await startCitizenLogin(baseUrl, jar), `${baseUrl}/api/v1/auth/callback`, username, password);
  const res = await jarFetch(jar, back.href);
  if (res.status !== 302) throw new Error(`auth/callback answered ${res.status}: ${await res.text()}`);
  return sessionCookiesOf(jar);
}
