/**
 * Who may do what (issue 17, least privilege). Each staff route names one audience; the guard
 * of that audience calls the check here before the request is read, and the domain services
 * call it again where they scope data. Process owners see processes, versions, drafts, counts
 * and incidents, never case data; organisation admins manage the users of their organisations
 * and see no case data either (unless they also hold a case role).
 */
import type { Role, User } from '../repositories/users';
import { forbidden } from './errors';

/** the roles of each audience (also published in the OpenAPI document as `x-roles`) */
export const AUDIENCE_ROLES = {
  /** any signed-in staff member */
  staff: ['clerk', 'teamlead', 'process_owner', 'org_admin', 'admin'],
  /** tasks, cases, case documents, notes, applicant data, exports of case data */
  caseWorker: ['clerk', 'teamlead', 'admin'],
  processOwner: ['process_owner', 'admin'],
  /** users of the own organisations (org_admin) or of all (admin) */
  userAdmin: ['org_admin', 'admin'],
  /** absences and deputies: case workers for themselves, team leads and organisation admins for their organisations */
  absences: ['clerk', 'teamlead', 'org_admin', 'admin'],
  admin: ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Audience = keyof typeof AUDIENCE_ROLES;

export const hasAudience = (user: User, audience: Audience): boolean => user.roles.some((r) => (AUDIENCE_ROLES[audience] as readonly Role[]).includes(r));

/** 403 unless the user may work on cases (clerk, team lead, admin). */
export function authorizeCaseWork(user: User): void {
  if (!hasAudience(user, 'caseWorker')) throw forbidden('Falldaten sind Sachbearbeitung, Teamleitung und Administration vorbehalten');
}

/** 403 unless the user administers users (an organisation admin of at least one organisation, or an admin). */
export function authorizeUserAdministration(user: User): void {
  const orgAdmin = user.roles.includes('org_admin') && user.organisations.length > 0;
  if (!user.roles.includes('admin') && !orgAdmin) throw forbidden('Nur für die Administration');
}

/** 403 for staff who neither work on cases nor administer users (process owners). */
export function authorizeAbsences(user: User): void {
  if (!hasAudience(user, 'absences')) throw forbidden('Abwesenheiten sind Fallbearbeitung und Administration vorbehalten');
}

/** 403 unless the user is an admin. */
export function authorizeAdmin(user: User): void {
  if (!user.roles.includes('admin')) throw forbidden('Nur für Administratorinnen und Administratoren');
}
