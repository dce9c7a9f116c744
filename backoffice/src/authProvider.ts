/**
 * Cookie session: /api/auth/login sets the httpOnly, SameSite=Strict cookie `lu_session`; the app
 * never sees or stores the token. A 401 anywhere (expired session) leads back to the login page.
 */
import type { AuthProvider } from 'react-admin';
import { passwordChange, session, type StaffUser } from './session';

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
    if (session.get()) return;
    if (!(await me())) throw new Error('app.login.session_expired');
  },
  async checkError(error: { status?: number }) {
    if (error?.status === 401) {
      session.set(null);
      throw new Error('app.login.session_expired');
    }
  },
  async getIdentity() {
    const user = session.get() ?? (await me());
    if (!user) throw new Error('app.login.session_expired');
    return { ...user, id: user.username, fullName: user.displayName };
  },
  async getPermissions() {
    return (session.get() ?? (await me()))?.roles ?? [];
  },
};
