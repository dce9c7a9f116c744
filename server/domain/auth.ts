/** Staff authentication: argon2id password check, opaque session tokens stored only as hashes. */
import crypto from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Repositories } from '../repositories';
import type { User } from '../repositories/users';
import { DomainError, unauthorized, validationFailed } from './errors';
import { sha256 } from '../lib/hash';
import type { LoginThrottle } from './throttle';

// a valid argon2id hash of a random string: verifying against it keeps the timing of unknown users
// the same as that of known users with a wrong password
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$HfVtcwsqNZKvCcJpNvKiCA$t3qvujD1yDDwuE+wXVo+wdsG+eyJAiT37ckQXeMmhQ8';

export class AuthService {
  constructor(
    private readonly repos: Repositories,
    private readonly sessionTtlHours: number,
    private readonly throttle: LoginThrottle,
    /** STAFF_LOCAL_LOGIN: false refuses every password (single sign-on only) */
    private readonly localLogin = true,
  ) {}

  /** A session for the right password; throttled per account and per client address (429 when locked out). */
  async login(username: string, password: string, address: string): Promise<{ token: string; user: User; expiresAt: string }> {
    this.requireLocalLogin();
    const user = await this.throttle.attempt(username, address, () => this.checkPassword(username, password));
    if (!user) throw unauthorized('Benutzername oder Passwort falsch');
    // an initial password set by an administrator only opens the password change
    if (user.mustChangePassword) throw new DomainError(403, 'Forbidden', 'Bitte wählen Sie zuerst ein eigenes Passwort', [{ path: 'newPassword', message: 'Passwort ändern erforderlich' }]);
    return this.startSession(user);
  }

  /** A new password for the right current one (the way out of an initial password); then a session. */
  async changePassword(username: string, password: string, newPassword: string, address: string): Promise<{ token: string; user: User; expiresAt: string }> {
    this.requireLocalLogin();
    const user = await this.throttle.attempt(username, address, () => this.checkPassword(username, password));
    if (!user) throw unauthorized('Benutzername oder Passwort falsch');
    if (newPassword === password) throw validationFailed([{ path: 'newPassword', message: 'Das neue Passwort muss sich vom bisherigen unterscheiden' }]);
    await this.repos.users.setPassword(user.id, await hash(newPassword), false);
    return this.startSession({ ...user, mustChangePassword: false });
  }

  private async startSession(user: User & { passwordHash: string }): Promise<{ token: string; user: User; expiresAt: string }> {
    const { passwordHash: _ignored, ...publicUser } = user;
    return this.sessionFor(publicUser);
  }

  /** A new session of an active user (the password login's, or single sign-on's after the provider vouched for them). */
  async sessionFor(user: User): Promise<{ token: string; user: User; expiresAt: string }> {
    const token = crypto.randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.sessionTtlHours * 3600_000).toISOString();
    await this.repos.users.createSession(sha256(token), user.id, expiresAt);
    return { token, user, expiresAt };
  }

  /** STAFF_LOCAL_LOGIN=false: passwords are refused before they are checked (403, so nobody can probe them). */
  private requireLocalLogin(): void {
    if (!this.localLogin) {
      throw new DomainError(403, 'Forbidden', 'Die Anmeldung mit Passwort ist ausgeschaltet. Bitte melden Sie sich mit dem Kantons-Login an.', [
        { path: 'password', message: 'Anmeldung mit Passwort ausgeschaltet (STAFF_LOCAL_LOGIN=false)' },
      ]);
    }
  }

  private async checkPassword(username: string, password: string): Promise<(User & { passwordHash: string }) | undefined> {
    const user = await this.repos.users.findByUsername(username);
    const ok = await verify(user?.passwordHash ?? DUMMY_HASH, password).catch(() => false);
    return user && ok && user.active ? user : undefined;
  }

  async authenticate(token: string | undefined): Promise<User> {
    if (!token) throw unauthorized();
    const user = await this.repos.users.userOfSession(sha256(token), new Date().toISOString());
    if (!user) throw unauthorized('Sitzung abgelaufen');
    return user;
  }

  async logout(token: string | undefined): Promise<void> {
    if (token) await this.repos.users.deleteSession(sha256(token));
  }
}

export const isAdmin = (user: User): boolean => user.roles.includes('admin');
/** team leads (and admins) see and steer their whole organisation */
export const isLead = (user: User): boolean => user.roles.includes('teamlead') || isAdmin(user);
