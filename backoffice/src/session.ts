/** The signed-in user, as /api/auth/me reports it (kept here for the data provider's views). */
export interface StaffUser {
  id: number;
  username: string;
  displayName: string;
  email: string | null;
  roles: Array<'admin' | 'clerk' | 'teamlead' | 'process_owner'>;
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
