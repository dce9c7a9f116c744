/**
 * Staff single sign-on (issue 17, item 3; DESIGN.md §8): OpenID Connect authorization code flow
 * with PKCE, state and nonce (openid-client) against STAFF_OIDC_ISSUER. The ID token's claims are
 * mapped to roles, organisations and groups (STAFF_OIDC_*_CLAIM); the provider account is linked
 * to the user with the same subject, else the same username, else the same e-mail address, and a
 * user is provisioned on the first sign-in. A later sign-in takes roles, organisations and groups
 * from the claims again. The callback hands the back office a one-time code (in the URL fragment,
 * which browsers never send to a server), which the app exchanges for the same session the
 * password login creates.
 */
import crypto from 'node:crypto';
import { hash } from '@node-rs/argon2';
import * as oidc from 'openid-client';
import type { StaffOidcSettings } from '../config/config';
import type { Repositories } from '../repositories';
import { ROLES, type Role, type User, type UserChange } from '../repositories/users';
import { sha256 } from '../lib/hash';
import { isUniqueViolation } from '../db/database';
import type { AuthService } from './auth';
import { badRequest, DomainError, type FieldError } from './errors';
import { OidcCodeFlow } from './oidc-code-flow';

const LOGIN_STATE_TTL_MS = 10 * 60_000;
/** the one-time code only bridges the redirect to the app's first request */
const HANDOFF_TTL_MS = 60_000;
/** the username rule of the administration (routes-administration.ts) */
const USERNAME = /^[a-z0-9][a-z0-9._-]{2,99}$/;
/** roles that work in an organisation's inboxes need at least one organisation (as in the administration) */
const ROLES_NEEDING_ORGANISATION: readonly Role[] = ['clerk', 'teamlead', 'org_admin'];

export interface AuthOptions {
  /** single sign-on is configured */
  sso: boolean;
  /** the password login is allowed */
  localLogin: boolean;
  /** the button's text, null without single sign-on */
  ssoLabel: string | null;
  /** where the button goes, null without single sign-on */
  ssoLoginUrl: string | null;
}

const refused = (detail: string, errors?: FieldError[]) => new DomainError(403, 'Forbidden', detail, errors);

export class StaffSsoService {
  private readonly flow: OidcCodeFlow;

  constructor(
    private readonly repos: Repositories,
    private readonly auth: AuthService,
    /** undefined: single sign-on not configured */
    private readonly settings: StaffOidcSettings | undefined,
    private readonly opts: { publicBaseUrl: string; localLogin: boolean },
  ) {
    this.flow = new OidcCodeFlow(settings, `${opts.publicBaseUrl}/api/auth/sso/callback`, 'Der Kantons-Login', 'Der Kantons-Login ist nicht eingerichtet');
  }

  get redirectUri(): string {
    return this.flow.redirectUri;
  }

  options(): AuthOptions {
    const sso = Boolean(this.settings);
    return { sso, localLogin: this.opts.localLogin, ssoLabel: this.settings?.buttonLabel ?? null, ssoLoginUrl: sso ? '/api/auth/sso/login' : null };
  }

  /** The provider's authorization URL; the PKCE verifier and nonce stay in the database, the state also goes to the browser (a cookie). */
  async startLogin(): Promise<{ url: string; state: string }> {
    const { url, pending } = await this.flow.start(this.settings!.scopes);
    const now = new Date();
    await this.repos.staffSso.insertLoginState({ ...pending, createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + LOGIN_STATE_TTL_MS).toISOString() });
    return { url, state: pending.state };
  }

  /**
   * The provider's redirect back: state checked against this browser's and used up (400 when
   * unknown, expired, reused or another browser's), the code exchanged and the ID token checked
   * (signature, issuer, audience, expiry, nonce; PKCE at the provider), the claims mapped (403
   * when they name an unknown role or organisation, or the user is deactivated). Returns the
   * one-time code for the back office.
   */
  async finishLogin(query: URLSearchParams, browserState: string | undefined): Promise<{ handoffCode: string; user: User }> {
    const { claims } = await this.flow.finish(query, browserState, (state) => this.repos.staffSso.takeLoginState(state, new Date().toISOString()));
    const user = await this.signIn(claims);
    const handoffCode = crypto.randomBytes(32).toString('base64url');
    const now = new Date();
    await this.repos.staffSso.insertHandoff(sha256(handoffCode), user.id, now.toISOString(), new Date(now.getTime() + HANDOFF_TTL_MS).toISOString());
    return { handoffCode, user };
  }

  /** The back office's exchange of the one-time code: the staff session (400 when unknown, used or expired). */
  async exchange(handoffCode: string): Promise<{ token: string; user: User; expiresAt: string }> {
    const userId = /^[\w-]{20,100}$/.test(handoffCode) ? await this.repos.staffSso.takeHandoff(sha256(handoffCode), new Date().toISOString()) : undefined;
    const user = userId === undefined ? undefined : await this.repos.users.findById(userId);
    if (!user) throw badRequest('Der Anmeldecode ist ungültig, abgelaufen oder schon verwendet. Bitte melden Sie sich erneut an.', [{ path: 'code', message: 'ungültig oder abgelaufen' }]);
    if (!user.active) throw deactivated();
    return this.auth.sessionFor(user);
  }

  /** Finds (or provisions) the user of the claims; a first sign-in of the same person in two tabs at once: the second finds the first's user. */
  private async signIn(claims: oidc.IDToken): Promise<User> {
    try {
      return await this.signInOnce(claims);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      return this.signInOnce(claims);
    }
  }

  /** Finds (or provisions) the user of the claims, links the provider account, updates roles, organisations and groups. */
  private async signInOnce(claims: oidc.IDToken): Promise<User> {
    const mapped = await this.mapClaims(claims);
    const found = await this.repos.users.findForSso(claims.iss, claims.sub, mapped.username, mapped.emailForMatching);
    if (found?.linked && (found.linked.issuer !== claims.iss || found.linked.subject !== claims.sub)) {
      throw refused(`Das Benutzerkonto «${found.user.username}» ist bereits mit einem anderen Konto des Anmeldedienstes verknüpft. Bitte wenden Sie sich an die Administration.`, [
        { path: found.by, message: 'mit einem anderen Konto verknüpft' },
      ]);
    }
    if (found && !found.user.active) throw deactivated();
    const actor = `sso:${(found?.user.username ?? mapped.username).slice(0, 90)}`;
    // the e-mail address only when no other user has it (read before the transaction: SQLite has one connection)
    const emailFree = mapped.change.email !== null && (await this.repos.users.takenFields(undefined, mapped.change.email, found?.user.id)).length === 0;
    // an unusable password: argon2id of a random secret nobody knows (sign-in only through the provider)
    const passwordHash = found ? '' : await hash(crypto.randomBytes(32).toString('base64url'));
    return this.repos.transaction(async (trx) => {
      if (!found) {
        const change: UserChange = { ...mapped.change, email: emailFree ? mapped.change.email : null, active: true };
        const id = await this.repos.users.create(trx, mapped.username, change, passwordHash, false);
        await this.repos.users.linkOidcAccount(trx, id, claims.iss, claims.sub);
        const user = (await this.repos.users.findById(id, trx))!;
        await this.repos.audit.record(trx, {
          actor,
          action: 'user.sso-provision',
          entityType: 'user',
          entityId: user.username,
          organisations: user.organisations,
          before: null,
          after: auditView(user),
        });
        return user;
      }
      const before = found.user;
      if (!found.linked) await this.repos.users.linkOidcAccount(trx, before.id, claims.iss, claims.sub);
      const change: UserChange = { ...mapped.change, email: emailFree ? mapped.change.email : before.email, active: true };
      const changed = (['displayName', 'email', 'roles', 'groups', 'organisations'] as const).some((k) => JSON.stringify([before[k]].flat().sort()) !== JSON.stringify([change[k]].flat().sort()));
      if (changed) {
        await this.repos.users.update(trx, before.id, change);
        const after = (await this.repos.users.findById(before.id, trx))!;
        const organisations = [...new Set([...before.organisations, ...after.organisations])];
        await this.repos.audit.record(trx, { actor, action: 'user.sso-update', entityType: 'user', entityId: after.username, organisations, before: auditView(before), after: auditView(after) });
        return after;
      }
      if (!found.linked)
        await this.repos.audit.record(trx, {
          actor,
          action: 'user.sso-link',
          entityType: 'user',
          entityId: before.username,
          organisations: before.organisations,
          before: null,
          after: auditView(before),
        });
      return before;
    });
  }

  /**
   * The documented claim mapping (README "Staff single sign-on"): username from
   * STAFF_OIDC_USERNAME_CLAIM (lower-cased), roles, organisations and groups from their claims
   * (an array or a space- or comma-separated string; a dotted name reads a nested claim such as
   * Keycloak's realm_access.roles). Every role must be one of ours and every organisation must
   * exist: anything else refuses the sign-in (403 naming the claim). Groups that are no inbox
   * group of the user's organisations are left out (providers often send all of a person's groups).
   */
  private async mapClaims(claims: oidc.IDToken): Promise<{ username: string; emailForMatching: string | undefined; change: Omit<UserChange, 'active'> }> {
    const names = this.settings!.claims;
    const usernameValue = readClaim(claims, names.username);
    const username = typeof usernameValue === 'string' ? usernameValue.trim().toLowerCase() : '';
    const errors: FieldError[] = [];
    if (!USERNAME.test(username)) errors.push({ path: names.username, message: username ? `kein gültiger Benutzername: ${username.slice(0, 100)}` : 'fehlt' });

    const roles = listClaim(claims, names.roles);
    const unknownRoles = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
    unknownRoles.forEach((r) => errors.push({ path: `${names.roles}.${roles.indexOf(r)}`, message: `unbekannte Rolle «${r.slice(0, 100)}» (bekannt: ${ROLES.join(', ')})` }));
    if (roles.length === 0) errors.push({ path: names.roles, message: 'keine Rolle' });

    const organisations = listClaim(claims, names.organisations);
    const records = await Promise.all(organisations.map((id) => (id.length <= 100 ? this.repos.organisations.get(id) : undefined)));
    records.forEach((org, i) => {
      if (!org) errors.push({ path: `${names.organisations}.${i}`, message: `unbekannte Organisation «${organisations[i]!.slice(0, 100)}»` });
    });
    if (organisations.length === 0 && roles.some((r) => (ROLES_NEEDING_ORGANISATION as readonly string[]).includes(r))) {
      errors.push({ path: names.organisations, message: 'Sachbearbeitung, Teamleitung und Organisations-Admin brauchen mindestens eine Organisation' });
    }
    if (errors.length > 0) {
      const what = unknownRoles.length ? 'eine unbekannte Rolle' : errors.some((e) => e.message.startsWith('unbekannte Organisation')) ? 'eine unbekannte Organisation' : 'unvollständige Angaben';
      throw refused(`Der Kantons-Login meldet ${what}; die Anmeldung ist nicht möglich. Bitte wenden Sie sich an die Administration.`, errors);
    }
    const inboxGroups = new Set(records.flatMap((org) => org?.inboxGroups ?? []));
    const groups = [...new Set(listClaim(claims, names.groups))].filter((g) => inboxGroups.has(g));
    const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 200) : username;
    const email = typeof claims.email === 'string' && /^[^\s@]+@[^\s@]+$/.test(claims.email) && claims.email.length <= 254 ? claims.email.toLowerCase() : undefined;
    return {
      username,
      // linking by e-mail only when the provider does not say it is unverified
      emailForMatching: email && claims.email_verified !== false ? email : undefined,
      change: { displayName: name, email: email ?? null, roles: [...new Set(roles)] as Role[], groups, organisations: [...new Set(organisations)] },
    };
  }
}

const deactivated = () => refused('Ihr Benutzerkonto ist deaktiviert. Bitte wenden Sie sich an die Administration Ihrer Organisation.', [{ path: 'account', message: 'deaktiviert' }]);

/** A claim by name, or by a dotted path into nested objects (realm_access.roles). */
function readClaim(claims: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(claims, name)) return claims[name];
  let value: unknown = claims;
  for (const part of name.split('.')) {
    if (!value || typeof value !== 'object' || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** An array of strings, or a space- or comma-separated string; other values count as absent. */
function listClaim(claims: Record<string, unknown>, name: string): string[] {
  const value = readClaim(claims, name);
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,]+/) : [];
  return items
    .filter((v): v is string => typeof v === 'string')
    .map((v) => v.trim())
    .filter(Boolean)
    .slice(0, 100);
}

function auditView(user: User): Record<string, unknown> {
  return { id: user.id, username: user.username, displayName: user.displayName, email: user.email, roles: user.roles, groups: user.groups, organisations: user.organisations, active: user.active };
}
