/**
 * Portals as OAuth clients (DESIGN.md §6): a portal calls with a client-credentials access token
 * (JWT) of the configured provider and, to act for a signed-in person, that person's ID token
 * from the same provider in X-Citizen-Token. Both are verified here with jose against the
 * provider's JWKS (found through its discovery document, cached): signature, issuer, audience,
 * expiry, and an allow-list of asymmetric algorithms, so `alg: none` and an HS256 token keyed
 * with the public key never pass.
 *
 * Every refusal is a 401 (TokenRejected, with a reason for logs and tests); a provider that
 * cannot be reached is a 503, never a 5xx from a stack trace.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { DomainError, unavailable } from './errors';
import type { CitizenIdentity, PortalClient } from './identity';

export const ALLOWED_ALGORITHMS = ['RS256', 'PS256', 'ES256'];

export type TokenProblem = 'not-configured' | 'malformed' | 'algorithm' | 'signature' | 'expired' | 'issuer' | 'audience' | 'claims';

export class TokenRejected extends DomainError {
  constructor(
    readonly reason: TokenProblem,
    detail: string,
  ) {
    super(401, 'Unauthorized', detail, undefined, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
  }
}

export interface PortalTokenOptions {
  /** the provider; undefined: portal clients are not configured and every client token is refused */
  issuer: string | undefined;
  /** `aud` of client access tokens (the API's resource indicator) */
  audience: string;
  clockToleranceSeconds?: number;
  /** discovery and JWKS requests */
  timeoutMs?: number;
}

/** Three base64url parts (the last empty for `alg: none`): a JWT, not a submission's access token. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
}

export class PortalTokenVerifier {
  private keySet: Promise<JWTVerifyGetKey> | undefined;
  private readonly clockTolerance: number;
  private readonly timeoutMs: number;

  constructor(private readonly opts: PortalTokenOptions) {
    this.clockTolerance = opts.clockToleranceSeconds ?? 30;
    this.timeoutMs = opts.timeoutMs ?? 5000;
  }

  /** A portal's client-credentials access token → the client it was issued to. */
  async verifyClient(token: string): Promise<PortalClient> {
    const payload = await this.verify(token, this.opts.audience, 'Zugangstoken');
    const clientId = payload.client_id;
    if (typeof clientId !== 'string' || !clientId) throw new TokenRejected('claims', 'Zugangstoken ohne client_id');
    return { clientId };
  }

  /** A person's ID token, issued to the calling portal (aud = its client id) → that person's identity. */
  async verifyCitizen(token: string, client: PortalClient): Promise<CitizenIdentity> {
    const what = 'X-Citizen-Token';
    if (!looksLikeJwt(token)) throw new TokenRejected('malformed', `${what}: kein gültiges Token`);
    const payload = await this.verify(token, client.clientId, what);
    // several audiences: the token must still have been issued to this portal (OpenID Connect `azp`)
    if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== client.clientId) {
      throw new TokenRejected('audience', `${what}: für eine andere Anwendung ausgestellt`);
    }
    const { sub, given_name, family_name, birthdate, ahvn13, acr } = payload as Record<string, unknown>;
    const missing = [
      ['sub', sub],
      ['given_name', given_name],
      ['family_name', family_name],
    ]
      .filter(([, v]) => typeof v !== 'string' || !v)
      .map(([k]) => k);
    if (typeof birthdate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(birthdate)) missing.push('birthdate');
    if (missing.length) throw new TokenRejected('claims', `${what}: Angaben fehlen (${missing.join(', ')})`);
    return {
      subject: sub as string,
      issuer: payload.iss!,
      givenName: given_name as string,
      familyName: family_name as string,
      birthDate: birthdate as string,
      ...(typeof ahvn13 === 'string' && ahvn13 ? { ahvNumber: ahvn13 } : {}),
      assurance: typeof acr === 'string' ? acr : null,
    };
  }

  private async verify(token: string, audience: string, what: string): Promise<JWTPayload> {
    const issuer = this.opts.issuer;
    if (!issuer) throw new TokenRejected('not-configured', `${what}: Portal-Zugänge sind nicht eingerichtet`);
    try {
      const { payload } = await jwtVerify(token, this.keys(issuer), {
        issuer,
        audience,
        algorithms: ALLOWED_ALGORITHMS,
        clockTolerance: this.clockTolerance,
        requiredClaims: ['exp'],
      });
      return payload;
    } catch (err) {
      throw rejection(err, what);
    }
  }

  /** Looks up the signing key in the provider's JWKS; the key set is made once, on first use. */
  private keys(issuer: string): JWTVerifyGetKey {
    return async (header, token) => {
      this.keySet ??= this.discover(issuer).catch((err) => {
        this.keySet = undefined; // try again on the next request
        throw err;
      });
      const keySet = await this.keySet;
      try {
        return await keySet(header, token);
      } catch (err) {
        if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys || err instanceof errors.JOSENotSupported) throw err;
        throw new ProviderUnreachable(err);
      }
    };
  }

  private async discover(issuer: string): Promise<JWTVerifyGetKey> {
    let jwksUri: string;
    try {
      const res = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(this.timeoutMs), redirect: 'error' });
      if (res.status !== 200) throw new Error(`discovery answered ${res.status}`);
      const doc = (await res.json()) as { issuer?: unknown; jwks_uri?: unknown };
      if (doc.issuer !== issuer) throw new Error(`discovery names issuer ${String(doc.issuer)}`);
      if (typeof doc.jwks_uri !== 'string') throw new Error('discovery without jwks_uri');
      jwksUri = doc.jwks_uri;
    } catch (err) {
      throw new ProviderUnreachable(err);
    }
    return createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: this.timeoutMs });
  }
}

/** The provider's discovery document or key set could not be read (→ 503). */
class ProviderUnreachable extends Error {
  constructor(cause: unknown) {
    super('token provider unreachable', { cause });
  }
}

/** jose's error → 401 with a German reason; an unreachable provider → 503. */
function rejection(err: unknown, what: string): DomainError {
  if (err instanceof ProviderUnreachable) return unavailable('Der Anmeldedienst ist nicht erreichbar; bitte später erneut versuchen');
  if (err instanceof TokenRejected) return err;
  if (err instanceof errors.JWTExpired) return new TokenRejected('expired', `${what}: abgelaufen`);
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'iss') return new TokenRejected('issuer', `${what}: von einem fremden Aussteller`);
    if (err.claim === 'aud') return new TokenRejected('audience', `${what}: für einen anderen Empfänger ausgestellt`);
    return new TokenRejected('claims', `${what}: ungültige Angabe ${err.claim}`);
  }
  if (err instanceof errors.JOSEAlgNotAllowed) return new TokenRejected('algorithm', `${what}: Signaturverfahren nicht erlaubt`);
  if (err instanceof errors.JWSSignatureVerificationFailed || err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys || err instanceof errors.JOSENotSupported) {
    return new TokenRejected('signature', `${what}: Signatur ungültig`);
  }
  return new TokenRejected('malformed', `${what}: kein gültiges Token`);
}
