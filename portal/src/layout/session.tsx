/** The signed-in resident (GET /api/v1/me), read once per page load; null when anonymous. */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, ApiError } from '../api/client';
import type { Me } from '../api/types';

interface Session {
  /** undefined while loading */
  me: Me | null | undefined;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

/** The provider's sign-in, coming back to `returnTo` (a path under /portal/). */
export function signInUrl(returnTo = location.pathname + location.search): string {
  // from the page about a failed sign-in, a successful one should not come back to it
  if (returnTo.startsWith('/portal/anmeldung')) returnTo = '/portal/';
  return `/api/v1/auth/login?returnTo=${encodeURIComponent(returnTo)}`;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  useEffect(() => {
    api<Me>('/api/v1/me').then(setMe, (err: unknown) => {
      // 401: anonymous; anything else (no sign-in on this server): anonymous as well
      if (!(err instanceof ApiError)) console.warn(err);
      setMe(null);
    });
  }, []);
  const signOut = useCallback(async () => {
    await api('/api/v1/auth/logout', { method: 'POST' }).catch(() => undefined);
    setMe(null);
  }, []);
  return <SessionContext.Provider value={{ me, signOut }}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('SessionProvider missing');
  return ctx;
}
