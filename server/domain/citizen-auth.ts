/**
 * Citizen sign-in (DESIGN.md §6): OpenID Connect authorization code flow with PKCE, state and
 * nonce against the configured provider (openid-client), and the sessions that follow it. The
 * login state lives in the database so the callback may reach another server process.
 */
import crypto from 'node:crypto';
import * as oidc from 'openid-client';
import type { OidcSettings } from '../config/config';
import type { Repositories } from '../repositories';
import type { CitizenSessionRecord, SessionClaims } from '../repositories/citizen-sessions';
import type { ListPage } from '../repositories/list-page';
import type { Catalogue } from '../processes/catalogue';
import { sha256 } from '../lib/hash';
import { badRequest } from './errors';
import { OidcCodeFlow } from './oidc-code-flow';
import type { CitizenIdentity } from './identity';

const LOGIN_STATE_TTL_MS = 10 * 60_000;
const RETURN_TO_MAX = 500;
export const DEFAULT_RETURN_TO = '/portal/';
/** scopes asked for; the provider may leave out what it does not know (ahv) */
const SCOPES = 'openid profile birthdate email ahv';

/**
 * A same-site path to return to after sign-in, or a 400 naming `returnTo`. Refuses absolute and
 * scheme-relative URLs (`//host`, `/\host`, which browsers read as `//host`), backslashes and
 * control characters anywhere: the only way back is a path on this site.
 */
export function validateReturnTo(value: unknown): string {
  if (value === undefined || value === '') return DEFAULT_RETURN_TO;
  const fail = (message: string) => badRequest(`returnTo: ${message}`, [{ path: 'returnTo', message }]);
  if (typeof value !== 'string') throw fail('genau ein Pfad erwartet');
  if (value.length > RETURN_TO_MAX) throw fail(`höchstens ${RETURN_TO_MAX} Zeichen`);
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f\\]/.test(value)) throw fail('Steuerzeichen und \\ sind nicht erlaubt');
  if (!value.startsWith('/') || value.startsWith('//')) throw fail('nur ein Pfad auf dieser Website ist erlaubt (beginnt mit einem /)');
  const base = 'https://same-site.invalid';
  if (new URL(value, base).origin !== base) throw fail('nur ein Pfad auf dieser Website ist erlaubt');
  return value;
}

export interface SignedIn {
  token: string;
  csrfToken: string;
  returnTo: string;
  expiresAt: Date;
}

export interface CitizenSession {
  identity: CitizenIdentity;
  csrfToken: string;
  tokenHash: string;
}

export interface MySubmission {
  reference: string;
  service: string;
  serviceName: string;
  authority: { id: string; name: string };
  status: string;
  submittedAt: string;
  updatedAt: string;
}

export class CitizenAuthService {
  private readonly flow: OidcCodeFlow;

  constructor(
    private readonly repos: Repositories,
    private readonly catalogue: Catalogue,
    /** undefined: sign-in not configured (503) */
    settings: OidcSettings | undefined,
    private readonly opts: { publicBaseUrl: string; sessionTtlHours: number },
  ) {
    this.flow = new OidcCodeFlow(settings, `${opts.publicBaseUrl}/api/v1/auth/callback`, 'Der Anmeldedienst', 'Anmeldung nicht konfiguriert');
  }

  get redirectUri(): string {
    return this.flow.redirectUri;
  }

  /**
   * Starts a sign-in: the provider's authorization URL; the PKCE verifier and nonce stay here.
   * The state also goes to the browser (a cookie, see routes-citizen.ts): the callback is only
   * accepted in the browser that started the sign-in, so nobody can hand a victim a callback URL
   * of their own sign-in (login CSRF, RFC 6749 §10.12).
   */
  async startLogin(returnTo: unknown): Promise<{ url: string; state: string }> {
    const target = validateReturnTo(returnTo);
    // always the provider's login: after signing out here, the next person at this browser
    // must not be signed in silently by the provider's own session
    const { url, pending } = await this.flow.start(SCOPES, { prompt: 'login' });
    const now = new Date();
    await this.repos.citizenSessions.insertLoginState({ ...pending, returnTo: target, createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + LOGIN_STATE_TTL_MS).toISOString() });
    return { url, state: pending.state };
  }

  /**
   * The provider's redirect back: the state is used up first (unknown, expired or reused: 400),
   * then the code is exchanged and the ID token checked (signature, issuer, audience, expiry,
   * nonce; PKCE at the provider). A session exists only when every required claim is there.
   */
  async finishLogin(query: URLSearchParams, browserState: string | undefined): Promise<SignedIn> {
    const { claims, pending: stored } = await this.flow.finish(query, browserState, (state) => this.repos.citizenSessions.takeLoginState(state, new Date().toISOString()));
    const session = sessionClaims(claims);
    const token = crypto.randomBytes(32).toString('base64url');
    const csrfToken = crypto.randomBytes(24).toString('base64url');
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.opts.sessionTtlHours * 3600_000);
    const record: CitizenSessionRecord = {
      tokenHash: sha256(token),
      subject: claims.sub,
      issuer: claims.iss,
      claims: session,
      csrfToken,
      createdAt: now.toISOString(),
      expiresAt: expiresAt.toISOString(),
    };
    await this.repos.citizenSessions.insertSession(record);
    return { token, csrfToken, returnTo: stored.returnTo, expiresAt };
  }

  /** The session of a cookie's token, or undefined (unknown, expired, malformed). */
  async authenticate(token: string): Promise<CitizenSession | undefined> {
    if (!/^[\w-]{20,100}$/.test(token)) return undefined;
    const tokenHash = sha256(token);
    const s = await this.repos.citizenSessions.findSession(tokenHash, new Date().toISOString());
    if (!s) return undefined;
    return { identity: { subject: s.subject, issuer: s.issuer, ...s.claims }, csrfToken: s.csrfToken, tokenHash };
  }

  async logout(session: CitizenSession): Promise<void> {
    await this.repos.citizenSessions.deleteSession(session.tokenHash);
  }

  async mySubmissions(identity: CitizenIdentity, range: [number, number]): Promise<ListPage<MySubmission>> {
    const page = await this.repos.cases.listByCitizen(identity.subject, identity.issuer, range);
    return {
      ...page,
      rows: page.rows.map((c) => ({
        reference: c.reference,
        service: c.serviceKey,
        serviceName: this.catalogue.get(c.serviceKey)?.entry.name ?? c.serviceKey,
        authority: { id: c.organisationId, name: c.organisationName },
        status: c.status,
        submittedAt: c.submittedAt,
        updatedAt: c.updatedAt,
      })),
    };
  }
}

/** The claims we need from the ID token, or 400 when one is missing or malformed (no session then). */
function sessionClaims(claims: oidc.IDToken): SessionClaims {
  const text = (name: string) => (typeof claims[name] === 'string' && (claims[name] as string).trim() ? (claims[name] as string).trim().slice(0, 200) : undefined);
  const givenName = text('given_name');
  const familyName = text('family_name');
  const birthDate = text('birthdate');
  const missing = [!givenName && 'given_name', !familyName && 'family_name', !(birthDate && /^\d{4}-\d{2}-\d{2}$/.test(birthDate)) && 'birthdate'].filter(Boolean) as string[];
  if (missing.length) {
    throw badRequest(
      'Der Anmeldedienst hat nicht alle nötigen Angaben geliefert (Name, Geburtsdatum).',
      missing.map((path) => ({ path, message: 'fehlt oder ungültig' })),
    );
  }
  const ahv = text('ahvn13');
  return { givenName: givenName!, familyName: familyName!, birthDate: birthDate!, ...(ahv ? { ahvNumber: ahv } : {}), assurance: text('acr') ?? null };
}
