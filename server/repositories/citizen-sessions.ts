/**
 * Citizen sign-in state (migration 009): started sign-ins (citizen_login_states, used once) and
 * signed-in sessions (citizen_sessions, keyed by the SHA-256 of the cookie's token).
 */
import type { Db } from '../db/database';
import { parseJson } from '../db/database';

export interface LoginState {
  state: string;
  codeVerifier: string;
  nonce: string;
  returnTo: string;
  createdAt: string;
  expiresAt: string;
}

/** What the provider vouched for, as stored with the session. */
export interface SessionClaims {
  givenName: string;
  familyName: string;
  birthDate: string;
  ahvNumber?: string;
  assurance: string | null;
}

export interface CitizenSessionRecord {
  tokenHash: string;
  subject: string;
  issuer: string;
  claims: SessionClaims;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
}

export class CitizenSessionRepository {
  constructor(private readonly db: Db) {}

  async insertLoginState(s: LoginState): Promise<void> {
    await this.db('citizen_login_states').insert({
      state: s.state,
      code_verifier: s.codeVerifier,
      nonce: s.nonce,
      return_to: s.returnTo,
      created_at: s.createdAt,
      expires_at: s.expiresAt,
    });
  }

  /**
   * Reads and deletes a login state in one go: of two callbacks with the same state only the one
   * whose delete removed the row gets it. Expired states are deleted too, and not returned.
   */
  async takeLoginState(state: string, now: string): Promise<LoginState | undefined> {
    return this.db.transaction(async (trx) => {
      const row = await trx('citizen_login_states').where({ state }).first();
      if (!row) return undefined;
      const deleted = await trx('citizen_login_states').where({ state }).delete();
      if (deleted !== 1 || row.expires_at <= now) return undefined;
      return { state: row.state, codeVerifier: row.code_verifier, nonce: row.nonce, returnTo: row.return_to, createdAt: row.created_at, expiresAt: row.expires_at };
    });
  }

  async insertSession(s: CitizenSessionRecord): Promise<void> {
    await this.db('citizen_sessions').insert({
      token_hash: s.tokenHash,
      subject: s.subject,
      issuer: s.issuer,
      claims: JSON.stringify(s.claims),
      csrf_token: s.csrfToken,
      created_at: s.createdAt,
      expires_at: s.expiresAt,
    });
  }

  /** The session with this token hash, unless expired. */
  async findSession(tokenHash: string, now: string): Promise<CitizenSessionRecord | undefined> {
    const row = await this.db('citizen_sessions').where({ token_hash: tokenHash }).where('expires_at', '>', now).first();
    if (!row) return undefined;
    return {
      tokenHash: row.token_hash,
      subject: row.subject,
      issuer: row.issuer,
      claims: parseJson<SessionClaims>(row.claims, { givenName: '', familyName: '', birthDate: '', assurance: null }),
      csrfToken: row.csrf_token,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
    };
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.db('citizen_sessions').where({ token_hash: tokenHash }).delete();
  }

  /** Housekeeping: expired sessions and abandoned sign-ins. */
  async deleteExpired(now: string): Promise<{ sessions: number; loginStates: number }> {
    const sessions = await this.db('citizen_sessions').where('expires_at', '<=', now).delete();
    const loginStates = await this.db('citizen_login_states').where('expires_at', '<=', now).delete();
    return { sessions, loginStates };
  }
}
