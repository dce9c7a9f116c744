/** The signed-in user, as /api/auth/me reports it (kept here for the data provider's views). */
export interface StaffUser {
  id: number;
  username: string;
  displayName: string;
  email: string | null;
  roles: Array<'admin' | 'clerk' | 'teamlead' | 'process_owner' | 'org_admin'>;
  groups: string[];
  organisations: string[];
}

let current: StaffUser | null = null;

export const session = {
  get: (): StaffUser | null => current,
  set: (user: StaffUser | null) => {
    current = user;
  },
};

/** Team leads (and admins) assign tasks and see the dashboard; takes react-admin's permissions (the roles). */
export const isLeadRole = (roles?: readonly string[] | null) => Boolean(roles?.includes('teamlead') || roles?.includes('admin'));

/** Organisation admins (of their organisations) and admins see the administration. */
export const isUserAdminRole = (roles?: readonly string[] | null) => Boolean(roles?.includes('org_admin') || roles?.includes('admin'));
/** Clerks, team leads and admins work on cases; process owners and organisation admins do not see case data. */
export const isCaseWorkerRole = (roles?: readonly string[] | null) => Boolean(roles?.some((r) => r === 'clerk' || r === 'teamlead' || r === 'admin'));

/** A login refused for an initial password: the login page then asks for a new one. */
type PendingChange = { username: string; password: string } | null;
let pending: PendingChange = null;
const listeners = new Set<() => void>();
export const passwordChange = {
  get: (): PendingChange => pending,
  set: (value: PendingChange) => {
    pending = value;
    for (const listener of listeners) listener();
  },
  subscribe: (listener: () => void) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  },
};

/** The reason a single sign-on failed (shown on the login page); a message or an i18n key. */
let ssoErrorMessage: string | null = null;
const ssoListeners = new Set<() => void>();
export const ssoError = {
  get: (): string | null => ssoErrorMessage,
  set: (value: string | null) => {
    ssoErrorMessage = value;
    for (const listener of ssoListeners) listener();
  },
  subscribe: (listener: () => void) => {
    ssoListeners.add(listener);
    return () => void ssoListeners.delete(listener);
  },
};
