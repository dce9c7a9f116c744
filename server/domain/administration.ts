/**
 * Administration (issue 17): organisations with their inbox groups, users, roles and group
 * memberships. An admin manages everything; an organisation admin manages only users whose
 * organisations all lie within their own, and grants only the roles of an organisation
 * (clerk, team lead, organisation admin) for their own organisations. Every change is written
 * to the audit trail in the same transaction. Nobody can lock the administration out: nobody
 * deactivates themselves or drops their own administrator role, and the last active admin stays.
 */
import { hash } from '@node-rs/argon2';
import type { Repositories, Transaction } from '../repositories';
import type { AuditEvent, AuditQuery } from '../repositories/audit';
import type { OrganisationRecord } from '../repositories/organisations';
import type { Role, User, UserChange, UserListQuery } from '../repositories/users';
import { isUniqueViolation } from '../db/database';
import { authorizeAdmin, authorizeUserAdministration } from './access';
import { conflict, DomainError, notFound, validationFailed, type FieldError } from './errors';

/** what an organisation admin may grant: the roles that belong to an organisation */
export const ORGANISATION_ROLES: readonly Role[] = ['clerk', 'teamlead', 'org_admin'];
/** roles whose work happens in an organisation's inboxes: they need at least one organisation */
const ROLES_NEEDING_ORGANISATION: readonly Role[] = ['clerk', 'teamlead', 'org_admin'];

export interface NewUser extends UserChange {
  username: string;
  initialPassword: string;
}

export interface NewOrganisation {
  kind: 'municipality' | 'canton';
  name: string;
  /** municipality: its BFS number (the id becomes municipality:<bfs>) */
  bfsNumber?: number;
  /** cantonal office: the id's key (canton:<key>) */
  key?: string;
  inboxGroups: string[];
}

/** A user as the administration shows it (no password hash). */
export type AdminUser = User;

export class AdministrationService {
  constructor(private readonly repos: Repositories) {}

  // ---- organisations ----

  async listOrganisations(actor: User): Promise<OrganisationRecord[]> {
    authorizeUserAdministration(actor);
    return this.repos.organisations.list(scopeOf(actor));
  }

  async organisation(actor: User, id: string): Promise<OrganisationRecord> {
    authorizeUserAdministration(actor);
    const scope = scopeOf(actor);
    const org = scope === 'all' || scope.includes(id) ? await this.repos.organisations.get(id) : undefined;
    if (!org) throw notFound('Organisation nicht gefunden');
    return org;
  }

  async createOrganisation(actor: User, input: NewOrganisation): Promise<OrganisationRecord> {
    authorizeAdmin(actor);
    const org = await this.organisationOf(input);
    return this.repos.transaction(async (trx) => {
      if (!(await this.repos.organisations.create(trx, org)))
        throw conflict(`Die Organisation ${org.id} gibt es schon`, [{ path: input.kind === 'municipality' ? 'bfsNumber' : 'key', message: 'bereits vorhanden' }]);
      await this.repos.audit.record(trx, {
        actor: actor.username,
        action: 'organisation.create',
        entityType: 'organisation',
        entityId: org.id,
        organisations: [org.id],
        before: null,
        after: { ...org },
      });
      return org;
    });
  }

  async updateOrganisation(actor: User, id: string, change: { name: string; inboxGroups: string[] }): Promise<OrganisationRecord> {
    authorizeAdmin(actor);
    return this.repos.transaction(async (trx) => {
      const before = await this.repos.organisations.get(id, trx);
      if (!before) throw notFound('Organisation nicht gefunden');
      await this.repos.organisations.update(trx, id, change);
      const after = { ...before, ...change };
      await this.repos.audit.record(trx, {
        actor: actor.username,
        action: 'organisation.update',
        entityType: 'organisation',
        entityId: id,
        organisations: [id],
        before: { ...before },
        after: { ...after },
      });
      return after;
    });
  }

  private async organisationOf(input: NewOrganisation): Promise<OrganisationRecord> {
    if (input.kind === 'municipality') {
      if (input.bfsNumber === undefined || !(await this.repos.organisations.getMunicipality(input.bfsNumber))) {
        throw validationFailed([{ path: 'bfsNumber', message: 'keine Luzerner Gemeinde (BFS-Nummer)' }]);
      }
      return { id: `municipality:${input.bfsNumber}`, kind: 'municipality', name: input.name, bfsNumber: input.bfsNumber, inboxGroups: input.inboxGroups };
    }
    if (!input.key) throw validationFailed([{ path: 'key', message: 'erforderlich für eine kantonale Dienststelle' }]);
    return { id: `canton:${input.key}`, kind: 'canton', name: input.name, bfsNumber: null, inboxGroups: input.inboxGroups };
  }

  // ---- users ----

  async listUsers(actor: User, query: Omit<UserListQuery, 'within'>) {
    authorizeUserAdministration(actor);
    return this.repos.users.list({ ...query, within: scopeOf(actor) });
  }

  async user(actor: User, id: number): Promise<AdminUser> {
    authorizeUserAdministration(actor);
    return this.managedUser(actor, id);
  }

  async createUser(actor: User, input: NewUser): Promise<AdminUser> {
    authorizeUserAdministration(actor);
    const change = normalised(input);
    checkGrant(actor, [], change);
    await this.checkMemberships(change);
    await this.checkUnique(input.username, change.email);
    const passwordHash = await hash(input.initialPassword);
    return this.inTransaction(async (trx) => {
      const id = await this.repos.users.create(trx, input.username, change, passwordHash, true);
      const created = (await this.repos.users.findById(id, trx))!;
      await this.audit(trx, actor, 'user.create', null, created);
      return created;
    });
  }

  async updateUser(actor: User, id: number, input: UserChange): Promise<AdminUser> {
    authorizeUserAdministration(actor);
    const change = normalised(input);
    const current = await this.managedUser(actor, id);
    checkGrant(actor, current.roles, change);
    checkNoSelfLockout(actor, current, change);
    await this.checkMemberships(change);
    await this.checkUnique(undefined, change.email, id);
    return this.inTransaction(async (trx) => {
      const before = (await this.repos.users.findById(id, trx))!;
      await this.keepAnAdmin(trx, before, change);
      await this.repos.users.update(trx, id, change);
      if (!change.active) await this.repos.users.endSessions(trx, id);
      const after = (await this.repos.users.findById(id, trx))!;
      const action = before.active && !after.active ? 'user.deactivate' : !before.active && after.active ? 'user.activate' : 'user.update';
      await this.audit(trx, actor, action, before, after);
      return after;
    });
  }

  /** A new initial password: the user must choose their own at the next login; their sessions end. */
  async resetPassword(actor: User, id: number, initialPassword: string): Promise<AdminUser> {
    authorizeUserAdministration(actor);
    const target = await this.managedUser(actor, id);
    if (target.id === actor.id) throw conflict('Das eigene Passwort ändern Sie bei der Anmeldung («Passwort ändern»)');
    const passwordHash = await hash(initialPassword);
    return this.inTransaction(async (trx) => {
      await this.repos.users.setPassword(id, passwordHash, true, trx);
      const after = (await this.repos.users.findById(id, trx))!;
      await this.audit(trx, actor, 'user.password_reset', target, after);
      return after;
    });
  }

  // ---- audit ----

  async auditEvents(actor: User, query: Omit<AuditQuery, 'concerning'>) {
    authorizeUserAdministration(actor);
    return this.repos.audit.list({ ...query, concerning: scopeOf(actor) });
  }

  // ---- rules ----

  /** The user if the actor manages them; 404 otherwise (an organisation admin never learns of others). */
  private async managedUser(actor: User, id: number): Promise<AdminUser> {
    const user = await this.repos.users.findById(id);
    if (!user || !manages(actor, user)) throw notFound('Benutzer/in nicht gefunden');
    return user;
  }

  /** Organisations exist; groups are inbox groups of those organisations; inbox roles have an organisation. */
  private async checkMemberships(change: UserChange): Promise<void> {
    const errors: FieldError[] = [];
    const orgs = await Promise.all(change.organisations.map((id) => this.repos.organisations.get(id)));
    orgs.forEach((org, i) => {
      if (!org) errors.push({ path: `organisations.${i}`, message: `unbekannte Organisation ${change.organisations[i]}` });
    });
    const inboxGroups = new Set(orgs.flatMap((org) => org?.inboxGroups ?? []));
    change.groups.forEach((group, i) => {
      if (!inboxGroups.has(group)) errors.push({ path: `groups.${i}`, message: `keine Eingangsgruppe der gewählten Organisationen: ${group}` });
    });
    if (change.organisations.length === 0 && change.roles.some((r) => ROLES_NEEDING_ORGANISATION.includes(r))) {
      errors.push({ path: 'organisations', message: 'Sachbearbeitung, Teamleitung und Organisations-Admin brauchen mindestens eine Organisation' });
    }
    if (errors.length > 0) throw validationFailed(errors);
  }

  private async checkUnique(username: string | undefined, email: string | null, exceptId?: number): Promise<void> {
    const taken = await this.repos.users.takenFields(username, email, exceptId);
    if (taken.length > 0) throw duplicate(taken);
  }

  /** The last active admin keeps the role and stays active (admin rows locked: two admins removing each other cannot both pass). */
  private async keepAnAdmin(trx: Transaction, before: User, change: UserChange): Promise<void> {
    const losesAdmin = before.active && before.roles.includes('admin') && (!change.active || !change.roles.includes('admin'));
    if (!losesAdmin) return;
    const admins = await this.repos.users.lockActiveAdmins(trx);
    if (admins.filter((id) => id !== before.id).length === 0) throw conflict('Die letzte aktive Administratorin / der letzte aktive Administrator bleibt aktiv und behält die Rolle admin');
  }

  private async inTransaction<T>(work: (trx: Transaction) => Promise<T>): Promise<T> {
    try {
      return await this.repos.transaction(work);
    } catch (err) {
      // another request took the username or e-mail between the check and the write
      if (isUniqueViolation(err)) throw duplicate(/email/i.test(String((err as Error).message)) ? ['email'] : ['username']);
      throw err;
    }
  }

  private async audit(trx: Transaction, actor: User, action: string, before: User | null, after: User): Promise<void> {
    const organisations = [...new Set([...(before?.organisations ?? []), ...after.organisations])];
    await this.repos.audit.record(trx, { actor: actor.username, action, entityType: 'user', entityId: after.username, organisations, before: before && auditView(before), after: auditView(after) });
  }
}

export type { AuditEvent };

/** 'all' for an admin; an organisation admin's organisations otherwise. */
function scopeOf(actor: User): string[] | 'all' {
  return actor.roles.includes('admin') ? 'all' : actor.organisations;
}

/** An admin manages everyone; an organisation admin users (not admins) whose organisations all lie within their own. */
function manages(actor: User, user: User): boolean {
  if (actor.roles.includes('admin')) return true;
  if (user.roles.includes('admin') || user.organisations.length === 0) return false;
  return user.organisations.every((o) => actor.organisations.includes(o));
}

/**
 * An organisation admin adds or removes only organisation roles, and assigns only their own
 * organisations (403 naming the field). Roles they may not grant stay as an admin set them.
 */
function checkGrant(actor: User, currentRoles: Role[], change: UserChange): void {
  if (actor.roles.includes('admin')) return;
  const changedRoles = [...change.roles.filter((r) => !currentRoles.includes(r)), ...currentRoles.filter((r) => !change.roles.includes(r))];
  const errors: FieldError[] = [];
  for (const role of changedRoles) if (!ORGANISATION_ROLES.includes(role)) errors.push({ path: 'roles', message: `Die Rolle ${role} vergibt nur die Administration` });
  change.organisations.forEach((org, i) => {
    if (!actor.organisations.includes(org)) errors.push({ path: `organisations.${i}`, message: `Nur eigene Organisationen: ${org}` });
  });
  if (change.organisations.length === 0) errors.push({ path: 'organisations', message: 'mindestens eine eigene Organisation' });
  if (errors.length > 0) throw new DomainError(403, 'Forbidden', 'Das dürfen nur Administratorinnen und Administratoren', errors);
}

/** Nobody deactivates themselves or drops their own administration role (409). */
function checkNoSelfLockout(actor: User, current: User, change: UserChange): void {
  if (actor.id !== current.id) return;
  if (!change.active) throw conflict('Sie können sich nicht selbst deaktivieren', [{ path: 'active', message: 'nicht für das eigene Konto' }]);
  for (const role of ['admin', 'org_admin'] as const) {
    if (current.roles.includes(role) && !change.roles.includes(role))
      throw conflict(`Sie können sich die Rolle ${role} nicht selbst entziehen`, [{ path: 'roles', message: 'nicht für das eigene Konto' }]);
  }
}

function normalised<T extends UserChange>(input: T): UserChange {
  return {
    displayName: input.displayName,
    email: input.email ? input.email.toLowerCase() : null,
    roles: [...new Set(input.roles)],
    groups: [...new Set(input.groups)],
    organisations: [...new Set(input.organisations)],
    active: input.active,
  };
}

function duplicate(fields: Array<'username' | 'email'>): DomainError {
  return conflict(
    `Bereits vergeben: ${fields.map((f) => (f === 'email' ? 'E-Mail' : 'Benutzername')).join(', ')}`,
    fields.map((path) => ({ path, message: 'bereits vergeben' })),
  );
}

/** A user as the audit trail keeps it: everything an administrator can change, never a password. */
function auditView(user: User): Record<string, unknown> {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    email: user.email,
    roles: user.roles,
    groups: user.groups,
    organisations: user.organisations,
    active: user.active,
    mustChangePassword: user.mustChangePassword,
  };
}
