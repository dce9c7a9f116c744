import type { Knex } from 'knex';
import type { Db } from '../db/database';
import { nowIso, parseJson } from '../db/database';
import type { StaffContact } from '../../model/types';
import { cappedCount, COUNT_CAP, containsPattern, isSqlite, sortColumn, type ListPage } from './list-page';

export const ROLES = ['clerk', 'teamlead', 'process_owner', 'org_admin', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: number;
  username: string;
  displayName: string;
  email: string | null;
  roles: Role[];
  groups: string[];
  organisations: string[];
  active: boolean;
  /** an initial password set by an administrator: the login only allows choosing a new one */
  mustChangePassword: boolean;
}

/** The fields an administrator sets (username only when creating). */
export type UserChange = Pick<User, 'displayName' | 'email' | 'roles' | 'groups' | 'organisations' | 'active'>;

export interface UserListQuery {
  /** 'all', or only users whose organisations all lie within these (an organisation admin's view) */
  within: string[] | 'all';
  filter: { q?: string; organisation?: string; role?: Role; active?: boolean };
  sort: { field: string; order: 'ASC' | 'DESC' };
  range: [number, number];
}

const USER_SORT: Readonly<Record<string, string>> = { username: 'username', displayName: 'display_name', email: 'email', active: 'active', id: 'id' };

export class UserRepository {
  constructor(private readonly db: Db) {}

  async findByUsername(username: string): Promise<(User & { passwordHash: string }) | undefined> {
    const row = await this.db('users').where({ username }).first();
    if (!row) return undefined;
    return { ...(await this.withOrganisations(row)), passwordHash: row.password_hash };
  }

  /**
   * Staff single sign-on: the user linked to a provider account, else the one with this username,
   * else (when given) the one with this e-mail address (both case-insensitive), with the provider
   * account the user is linked to (null: none yet). `by` says which of the three matched.
   */
  async findForSso(
    issuer: string,
    subject: string,
    username: string | undefined,
    email: string | undefined,
  ): Promise<{ user: User; linked: { issuer: string; subject: string } | null; by: 'subject' | 'username' | 'email' } | undefined> {
    let by: 'subject' | 'username' | 'email' = 'subject';
    let row = await this.db('users').where({ oidc_issuer: issuer, oidc_subject: subject }).first();
    if (!row && username) [by, row] = ['username', await this.db('users').whereRaw('LOWER(username) = ?', [username.toLowerCase()]).first()];
    if (!row && email) [by, row] = ['email', await this.db('users').whereRaw('LOWER(email) = ?', [email.toLowerCase()]).first()];
    if (!row) return undefined;
    const linked = row.oidc_subject ? { issuer: row.oidc_issuer as string, subject: row.oidc_subject as string } : null;
    return { user: await this.withOrganisations(row), linked, by };
  }

  /** Links a user to a provider account (staff single sign-on). */
  async linkOidcAccount(trx: Knex.Transaction, id: number, issuer: string, subject: string): Promise<void> {
    await trx('users').where({ id }).update({ oidc_issuer: issuer, oidc_subject: subject, updated_at: nowIso() });
  }

  async findById(id: number, trx: Knex.Transaction | Db = this.db): Promise<User | undefined> {
    const row = await trx('users').where({ id }).first();
    return row ? this.withOrganisations(row, trx) : undefined;
  }

  /** A page of users for the administration, by username unless sorted otherwise. */
  async list(query: UserListQuery): Promise<ListPage<User>> {
    const { q, organisation, role, active } = query.filter;
    const base = this.db('users').modify((b) => {
      if (query.within !== 'all') {
        // every organisation of the user lies within `within` (and the user has at least one)
        b.whereIn('id', this.db('user_organisations').select('user_id').whereIn('organisation_id', query.within));
        b.whereNotIn('id', this.db('user_organisations').select('user_id').whereNotIn('organisation_id', query.within));
      }
      if (organisation) b.whereIn('id', this.db('user_organisations').select('user_id').where('organisation_id', organisation));
      if (role) b.whereRaw(`roles like ? escape '\\'`, [containsPattern(JSON.stringify(role))]);
      if (active !== undefined) b.where('active', active);
      if (q)
        b.where((w) => w.whereRaw(`lower(username) like ? escape '\\'`, [containsPattern(q.toLowerCase())]).orWhereRaw(`lower(display_name) like ? escape '\\'`, [containsPattern(q.toLowerCase())]));
    });
    const rows = await base
      .clone()
      .orderBy(sortColumn(USER_SORT, query.sort.field, 'username'), query.sort.order === 'DESC' ? 'desc' : 'asc')
      .orderBy('id')
      .offset(query.range[0])
      .limit(query.range[1] - query.range[0] + 1);
    const users = await Promise.all(rows.map((row: any) => this.withOrganisations(row)));
    return { rows: users, ...(await cappedCount(this.db, base, query.range, COUNT_CAP)) };
  }

  /** A new user with a password hash; the id. A taken username or e-mail throws a unique violation. */
  async create(trx: Knex.Transaction, username: string, user: UserChange, passwordHash: string, mustChangePassword: boolean): Promise<number> {
    const [row] = await trx('users')
      .insert({ username, ...userColumns(user), password_hash: passwordHash, must_change_password: mustChangePassword, created_at: nowIso(), updated_at: nowIso() })
      .returning('id');
    const id = typeof row === 'object' ? row.id : row;
    await this.replaceOrganisations(trx, id, user.organisations);
    return id;
  }

  async update(trx: Knex.Transaction, id: number, user: UserChange): Promise<void> {
    await trx('users')
      .where({ id })
      .update({ ...userColumns(user), updated_at: nowIso() });
    await this.replaceOrganisations(trx, id, user.organisations);
  }

  /** A new password hash; ends the user's sessions (a reset password is a new start). */
  async setPassword(id: number, passwordHash: string, mustChangePassword: boolean, trx: Knex.Transaction | Db = this.db): Promise<void> {
    await trx('users').where({ id }).update({ password_hash: passwordHash, must_change_password: mustChangePassword, updated_at: nowIso() });
    await trx('sessions').where({ user_id: id }).delete();
  }

  /** Ends every session of a user (deactivated). */
  async endSessions(trx: Knex.Transaction, id: number): Promise<void> {
    await trx('sessions').where({ user_id: id }).delete();
  }

  /**
   * The ids of the active admins, their rows locked until the transaction ends (PostgreSQL
   * FOR UPDATE; SQLite's writer lock): two admins removing each other at once cannot both pass
   * the last-admin check.
   */
  async lockActiveAdmins(trx: Knex.Transaction): Promise<number[]> {
    const rows = await trx('users')
      .where('active', true)
      .whereRaw(`roles like ? escape '\\'`, [containsPattern('"admin"')])
      .modify((b) => (isSqlite(trx) ? b : b.forUpdate()))
      .select('id');
    return rows.map((r: any) => r.id as number);
  }

  /** Which of username and e-mail another user (not `exceptId`) already has. */
  async takenFields(username: string | undefined, email: string | null, exceptId?: number): Promise<Array<'username' | 'email'>> {
    const taken: Array<'username' | 'email'> = [];
    const others = () => this.db('users').modify((b) => (exceptId ? b.whereNot('id', exceptId) : b));
    if (username && (await others().whereRaw('LOWER(username) = ?', [username.toLowerCase()]).first('id'))) taken.push('username');
    if (email && (await others().whereRaw('LOWER(email) = ?', [email.toLowerCase()]).first('id'))) taken.push('email');
    return taken;
  }

  private async replaceOrganisations(trx: Knex.Transaction, id: number, organisations: string[]): Promise<void> {
    await trx('user_organisations').where({ user_id: id }).delete();
    if (organisations.length > 0) await trx('user_organisations').insert(organisations.map((organisation_id) => ({ user_id: id, organisation_id })));
  }

  /**
   * Creates or updates a user by username (used by seeds). One transaction: a process starting
   * (and seeding) while others serve must never show the user without organisations in between.
   */
  async upsert(user: Omit<User, 'id' | 'active' | 'mustChangePassword'> & { passwordHash: string }): Promise<number> {
    const values = {
      username: user.username,
      display_name: user.displayName,
      email: user.email,
      password_hash: user.passwordHash,
      roles: JSON.stringify(user.roles),
      groups: JSON.stringify(user.groups),
      active: true,
    };
    return this.db.transaction(async (trx) => {
      const existing = await trx('users').where({ username: user.username }).first();
      let id: number;
      if (existing) {
        id = existing.id;
        await trx('users').where({ id }).update(values);
      } else {
        const [row] = await trx('users')
          .insert({ ...values, created_at: new Date().toISOString() })
          .returning('id');
        id = typeof row === 'object' ? row.id : row;
      }
      await this.replaceOrganisations(trx, id, user.organisations);
      return id;
    });
  }

  /** Active users with the team-lead role in an organisation (escalation e-mails). */
  async teamLeads(organisationId: string): Promise<StaffContact[]> {
    const rows = await this.db('users')
      .join('user_organisations', 'users.id', 'user_organisations.user_id')
      .where({ 'user_organisations.organisation_id': organisationId, 'users.active': true })
      .select('users.username', 'users.display_name', 'users.email', 'users.roles');
    return rows.filter((r: any) => parseJson<string[]>(r.roles, []).includes('teamlead')).map((r: any) => ({ username: r.username, displayName: r.display_name, email: r.email ?? null }));
  }

  /** Active process owners with an e-mail address (incident alerts). */
  async processOwnerContacts(): Promise<StaffContact[]> {
    const rows = await this.db('users').where('active', true).whereNotNull('email').select('username', 'display_name', 'email', 'roles');
    return rows.filter((r: any) => parseJson<string[]>(r.roles, []).includes('process_owner')).map((r: any) => ({ username: r.username, displayName: r.display_name, email: r.email }));
  }

  /** Active users of the given organisations ('all': of every organisation), by display name. */
  async activeStaff(organisations: string[] | 'all'): Promise<Array<{ username: string; displayName: string; roles: Role[] }>> {
    const rows = await this.db('users')
      .where('active', true)
      .modify((b) => {
        if (organisations !== 'all') b.whereIn('id', this.db('user_organisations').select('user_id').whereIn('organisation_id', organisations));
      })
      .orderBy('display_name')
      .select('username', 'display_name', 'roles');
    return rows.map((r: any) => ({ username: r.username, displayName: r.display_name, roles: JSON.parse(r.roles) as Role[] }));
  }

  /** Display name by username, of every user (active or not: names in statistics). */
  async displayNames(): Promise<Map<string, string>> {
    const rows = await this.db('users').select('username', 'display_name');
    return new Map(rows.map((u: any) => [u.username as string, u.display_name as string]));
  }

  async createSession(tokenHash: string, userId: number, expiresAt: string): Promise<void> {
    await this.db('sessions').insert({ id: tokenHash, user_id: userId, created_at: new Date().toISOString(), expires_at: expiresAt });
  }

  /** The active user of an unexpired session (one join: this runs on every staff request). */
  async userOfSession(tokenHash: string, now: string): Promise<User | undefined> {
    const row = await this.db('sessions')
      .join('users', 'users.id', 'sessions.user_id')
      .where('sessions.id', tokenHash)
      .andWhere('sessions.expires_at', '>', now)
      .andWhere('users.active', true)
      .first('users.*');
    return row ? this.withOrganisations(row) : undefined;
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.db('sessions').where({ id: tokenHash }).delete();
  }

  /** Sessions that expired at or before `now`; returns how many were deleted. */
  deleteExpiredSessions(now: string): Promise<number> {
    return this.db('sessions').where('expires_at', '<=', now).delete();
  }

  private async withOrganisations(row: any, db: Knex.Transaction | Db = this.db): Promise<User> {
    const orgs = await db('user_organisations').where({ user_id: row.id }).pluck('organisation_id');
    return {
      id: row.id,
      username: row.username,
      displayName: row.display_name,
      email: row.email,
      roles: parseJson<Role[]>(row.roles, []),
      groups: parseJson<string[]>(row.groups, []),
      organisations: orgs,
      active: Boolean(row.active),
      mustChangePassword: Boolean(row.must_change_password),
    };
  }
}

function userColumns(user: UserChange) {
  return { display_name: user.displayName, email: user.email, roles: JSON.stringify(user.roles), groups: JSON.stringify(user.groups), active: user.active };
}
