import type { Db } from '../db/database';
import { parseJson } from '../db/database';
import type { StaffContact } from '../../model/types';

export type Role = 'admin' | 'clerk' | 'teamlead' | 'process_owner';

export interface User {
  id: number;
  username: string;
  displayName: string;
  email: string | null;
  roles: Role[];
  groups: string[];
  organisations: string[];
  active: boolean;
}

export class UserRepository {
  constructor(private readonly db: Db) {}

  async findByUsername(username: string): Promise<(User & { passwordHash: string }) | undefined> {
    const row = await this.db('users').where({ username }).first();
    if (!row) return undefined;
    return { ...(await this.withOrganisations(row)), passwordHash: row.password_hash };
  }

  /** Creates or updates a user by username (used by seeds). */
  async upsert(user: Omit<User, 'id' | 'active'> & { passwordHash: string }): Promise<number> {
    const values = {
      username: user.username,
      display_name: user.displayName,
      email: user.email,
      password_hash: user.passwordHash,
      roles: JSON.stringify(user.roles),
      groups: JSON.stringify(user.groups),
      active: true,
    };
    const existing = await this.db('users').where({ username: user.username }).first();
    let id: number;
    if (existing) {
      id = existing.id;
      await this.db('users').where({ id }).update(values);
    } else {
      const [row] = await this.db('users')
        .insert({ ...values, created_at: new Date().toISOString() })
        .returning('id');
      id = typeof row === 'object' ? row.id : row;
    }
    await this.db('user_organisations').where({ user_id: id }).delete();
    if (user.organisations.length > 0) {
      await this.db('user_organisations').insert(user.organisations.map((organisation_id) => ({ user_id: id, organisation_id })));
    }
    return id;
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

  private async withOrganisations(row: any): Promise<User> {
    const orgs = await this.db('user_organisations').where({ user_id: row.id }).pluck('organisation_id');
    return {
      id: row.id,
      username: row.username,
      displayName: row.display_name,
      email: row.email,
      roles: parseJson<Role[]>(row.roles, []),
      groups: parseJson<string[]>(row.groups, []),
      organisations: orgs,
      active: Boolean(row.active),
    };
  }
}
