/**
 * The OpenID Connect authorization code flow with PKCE, state and nonce (openid-client) against
 * one provider, as citizen sign-in (DESIGN.md §6) and staff single sign-on (§8) both use it:
 * discovery, the authorization URL, and the checks of the provider's redirect back. Where a
 * pending sign-in is kept (a table, so the callback may reach another server process) and what
 * the claims become are the caller's.
 */
import * as oidc from 'openid-client';
import { sameSecret } from '../lib/hash';
import { badRequest, DomainError, unavailable } from './errors';

export interface OidcClientSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/** what the callback needs of a sign-in it started */
export interface PendingLogin {
  state: string;
  codeVerifier: string;
  nonce: string;
}

export class OidcCodeFlow {
  private discovered: Promise<oidc.Configuration> | undefined;

  constructor(
    /** undefined: not configured (503) */
    private readonly settings: OidcClientSettings | undefined,
    readonly redirectUri: string,
    /** the provider as messages name it, e.g. "Der Anmeldedienst" */
    private readonly provider: string,
    /** the 503 text while nothing is configured */
    private readonly notConfigured: string,
  ) {}

  /** A new pending sign-in and the provider's URL for it (extra: further authorization parameters). */
  async start(scope: string, extra: Record<string, string> = {}): Promise<{ url: string; pending: PendingLogin }> {
    const config = await this.configuration();
    const pending = { state: oidc.randomState(), codeVerifier: oidc.randomPKCECodeVerifier(), nonce: oidc.randomNonce() };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope,
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
      ...extra,
    });
    return { url: url.href, pending };
  }

  /**
   * The provider's redirect back. The state must be the one this browser got (its cookie: nobody
   * can hand a victim the callback URL of their own sign-in, login CSRF, RFC 6749 §10.12) and a
   * pending sign-in's, which `take` uses up (unknown, expired or reused: 400); then the provider's
   * error (400), the code exchanged and the ID token checked (signature, issuer, audience, expiry,
   * nonce; PKCE at the provider).
   */
  async finish<T extends PendingLogin>(query: URLSearchParams, browserState: string | undefined, take: (state: string) => Promise<T | undefined>): Promise<{ claims: oidc.IDToken; pending: T }> {
    const state = query.get('state');
    if (!state || !browserState || !sameSecret(state, browserState)) {
      throw badRequest('Die Anmeldung wurde nicht in diesem Browser begonnen oder ist abgelaufen. Bitte melden Sie sich erneut an.', [{ path: 'state', message: 'gehört nicht zu diesem Browser' }]);
    }
    const pending = state.length <= 100 ? await take(state) : undefined;
    if (!pending) throw badRequest('Die Anmeldung ist ungültig oder abgelaufen. Bitte melden Sie sich erneut an.', [{ path: 'state', message: 'unbekannt, abgelaufen oder schon verwendet' }]);
    const error = query.get('error');
    if (error) throw badRequest(error === 'access_denied' ? 'Die Anmeldung wurde abgebrochen.' : `${this.provider} hat die Anmeldung abgelehnt.`, [{ path: 'error', message: error.slice(0, 100) }]);
    if (!query.get('code')) throw badRequest(`${this.provider} hat keinen Code geliefert.`, [{ path: 'code', message: 'fehlt' }]);

    const config = await this.configuration();
    try {
      const tokens = await oidc.authorizationCodeGrant(config, new URL(`${this.redirectUri}?${query.toString()}`), {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      return { claims: tokens.claims()!, pending };
    } catch (err) {
      throw this.failure(err);
    }
  }

  /** Discovery on first use, cached; a failure is 503 and tried again next time. */
  private configuration(): Promise<oidc.Configuration> {
    const settings = this.settings;
    if (!settings) return Promise.reject(unavailable(this.notConfigured));
    this.discovered ??= oidc
      .discovery(new URL(settings.issuer), settings.clientId, undefined, oidc.ClientSecretBasic(settings.clientSecret), {
        // plain HTTP only for a demo/test provider given as http:
        ...(settings.issuer.startsWith('http:') ? { execute: [oidc.allowInsecureRequests] } : {}),
      })
      .catch((err: unknown) => {
        this.discovered = undefined;
        throw unavailable(`${this.provider} ist nicht erreichbar (${(err as Error).message})`.slice(0, 300));
      });
    return this.discovered;
  }

  /** What the provider or the token check refused is 400; an unreachable provider 503. */
  private failure(err: unknown): DomainError {
    if (err instanceof DomainError) return err;
    if (err instanceof oidc.AuthorizationResponseError || err instanceof oidc.ResponseBodyError) {
      return badRequest(`${this.provider} hat die Anmeldung abgelehnt.`, [{ path: 'code', message: String(err.error).slice(0, 100) }]);
    }
    // fetch's own failure (provider down) is a TypeError "fetch failed"; other errors are checks that refused the answer
    if (err instanceof TypeError && err.message === 'fetch failed') return unavailable(`${this.provider} ist nicht erreichbar`);
    return badRequest(`${this.provider} hat eine ungültige Antwort geliefert.`, [{ path: 'code', message: (err as Error).message.slice(0, 200) }]);
  }
}
