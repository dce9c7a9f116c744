/** The staff roles and who may grant them (the server checks the same: domain/administration.ts). */
export const ROLES = ['clerk', 'teamlead', 'process_owner', 'org_admin', 'admin'] as const;
/** what an organisation admin may grant */
export const ORGANISATION_ROLES = ['clerk', 'teamlead', 'org_admin'];
