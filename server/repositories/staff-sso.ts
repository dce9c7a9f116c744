/**
 * Staff single sign-on state (migration 019): started sign-ins (staff_login_states, used once)
 * and the one-time codes that hand a finished sign-in to the back office (staff_sso_handoffs).
 */
import type { Db } from '../db/database';

export interface StaffLoginState {
  state: string;
  codeVerifier: string;
  nonce: string;
  createdAt: string;
  expiresAt: string;
}

export class StaffSsoRepository {
  constructor(private readonly db: Db) {}

  async insertLoginState(s: StaffLoginState): Promise<void> {
    await this.db('staff_login_states').insert({ state: s.state, code_verifier: s.codeVerifier, nonce: s.nonce, created_at: s.createdAt, expires_at: s.expiresAt });
  }

  /** Reads and deletes a login state in one go (of two callbacks with one state only one gets it); expired: undefined. */
  async takeLoginState(state: string, now: string): Promise<StaffLoginState | undefined> {
    return this.db.transaction(async (trx) => {
      const row = await trx('staff_login_states').where({ state }).first();
      if (!row) return undefined;
      const deleted = await trx('staff_login_states').where({ state }).delete();
      if (deleted !== 1 || row.expires_at <= now) return undefined;
      return { state: row.state, codeVerifier: row.code_verifier, nonce: row.nonce, createdAt: row.created_at, expiresAt: row.expires_at };
    });
  }

  async insertHandoff(codeHash: string, userId: number, createdAt: string, expiresAt: string): Promise<void> {
    await this.db('staff_sso_handoffs').insert({ code_hash: codeHash, user_id: userId, created_at: createdAt, expires_at: expiresAt });
  }

  /** The user of a one-time code, deleted in the same go (used once); expired or unknown: undefined. */
  async takeHandoff(codeHash: string, now: string): Promise<number | undefined> {
    return this.db.transaction(async (trx) => {
      const row = await trx('staff_sso_handoffs').where({ code_hash: codeHash }).first();
      if (!row) return undefined;
      const deleted = await trx('staff_sso_handoffs').where({ code_hash: codeHash }).delete();
      if (deleted !== 1 || row.expires_at <= now) return undefined;
      return Number(row.user_id);
    });
  }

  /** Expired login states and codes; how many were deleted. */
  async deleteExpired(now: string): Promise<number> {
    const states = await this.db('staff_login_states').where('expires_at', '<=', now).delete();
    const codes = await this.db('staff_sso_handoffs').where('expires_at', '<=', now).delete();
    return states + codes;
  }
}
