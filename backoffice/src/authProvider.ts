/**
 * Cookie session: /api/auth/login sets the httpOnly, SameSite=Strict cookie `lu_session`; the app
 * never sees or stores the token. A 401 anywhere (expired session) leads back to the login page.
 *
 * Single sign-on: the server's callback comes back to `/#sso=<one-time code>` (or
 * `/#sso_error=<message>`); the fragment is read and removed before the router starts, and the
 * first checkAuth exchanges the code for the same cookie session (POST /api/auth/sso/session).
 */
import type { AuthProvider } from 'react-admin';
import { passwordChange, session, ssoError, type StaffUser } from './session';

let pendingSsoCode: string | null = null;
let ssoExchange: Promise<boolean> | null = null;
{
  const hash = window.location.hash;
  if (hash.startsWith('#sso=') || hash.startsWith('#sso_error=')) {
    const params = new URLSearchParams(hash.slice(1));
    pendingSsoCode = params.get('sso');
    const error = params.get('sso_error');
    if (error) ssoError.set(error);
    window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/`);
  }
}

/**
 * The one exchange of the one-time code, started by whichever of checkAuth, getIdentity and
 * getPermissions react-admin calls first; all of them wait for it (else permissions would be
 * read as none while the session is still being created).
 */
function ssoExchanged(): Promise<boolean> {
  if (pendingSsoCode) {
    ssoExchange = exchangeSsoCode(pendingSsoCode);
    pendingSsoCode = null;
  }
  return ssoExchange ?? Promise.resolve(false);
}

async function exchangeSsoCode(code: string): Promise<boolean> {
  const res = await fetch('/api/auth/sso/session', {
    method: 'POST',
    credentials: 'include',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ code }),
  });
  const body = (await res.json().catch(() => ({}))) as { user?: StaffUser; detail?: string };
  if (!res.ok || !body.user) {
    ssoError.set(body.detail ?? 'app.login.sso_failed');
    return false;
  }
  session.set(body.user);
  return true;
}

async function me(): Promise<StaffUser | null> {
  const res = await fetch('/api/auth/me', { credentials: 'include', headers: { accept: 'application/json' } });
  if (!res.ok) return null;
  const body = (await res.json()) as { user: StaffUser };
  session.set(body.user);
  return body.user;
}

export const authProvider: AuthProvider = {
  async login({ username, password }: { username: string; password: string }) {
    const res = await fetch('/api/auth/login', {
      method: 'POST',
      credentials: 'include',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (res.status === 403) {
      const body = (await res.json().catch(() => ({}))) as { detail?: string; errors?: Array<{ path: string }> };
      if (!body.errors?.some((e) => e.path === 'newPassword')) throw new Error(body.detail ?? 'app.login.failed');
      // an initial password: the login page asks for a new one (PasswordChange)
      passwordChange.set({ username, password });
      throw new Error('app.login.must_change_password');
    }
    if (!res.ok) throw new Error('app.login.failed');
    const body = (await res.json()) as { user: StaffUser };
    session.set(body.user);
  },
  async logout() {
    if (session.get()) {
      await fetch('/api/auth/logout', { method: 'POST', credentials: 'include', headers: { accept: 'application/json' } }).catch(() => undefined);
    }
    session.set(null);
  },
  async checkAuth() {
    if ((await ssoExchanged()) || session.get()) return;
    if (!(await me())) throw new Error('app.login.session_expired');
  },
  async checkError(error: { status?: number }) {
    if (error?.status === 401) {
      session.set(null);
      throw new Error('app.login.session_expired');
    }
  },
  async getIdentity() {
    await ssoExchanged();
    const user = session.get() ?? (await me());
    if (!user) throw new Error('app.login.session_expired');
    return { ...user, id: user.username, fullName: user.displayName };
  },
  async getPermissions() {
    await ssoExchanged();
    return (session.get() ?? (await me()))?.roles ?? [];
  },
};
