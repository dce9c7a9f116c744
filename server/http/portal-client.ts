/**
 * Portal clients on the public API (DESIGN.md §6). A bearer token shaped like a JWT is a portal's
 * client-credentials access token: verified, it makes `ctx.state.caller.client`, and the person's
 * ID token in X-Citizen-Token makes `caller.citizen`. Any other bearer is a submission's access
 * token (DESIGN.md §4) and left to the routes. A portal request acts for the person of its
 * X-Citizen-Token only: a citizen session cookie it may carry does not count.
 */
import type { Context, Next } from 'koa';
import { forbidden, unauthorized } from '../domain/errors';
import type { Caller } from '../domain/identity';
import { looksLikeJwt, type PortalTokenVerifier } from '../domain/portal-tokens';
import { LruMap } from '../lib/lru-map';
import { bearerToken } from './middleware';

export const CITIZEN_TOKEN_HEADER = 'x-citizen-token';

export interface PortalClientState {
  caller?: Caller;
}

/** What the API keeps about a client (portal_clients), with the defaults for a client without a row. */
export interface PortalClientSettings {
  rateLimitPerMinute: number;
  active: boolean;
}

export type ClientSettingsOf = (clientId: string) => Promise<PortalClientSettings>;

export function portalClient(verifier: PortalTokenVerifier, settingsOf: ClientSettingsOf) {
  return async (ctx: Context, next: Next) => {
    const state = ctx.state as PortalClientState;
    const bearer = bearerToken(ctx);
    const citizenToken = ctx.get(CITIZEN_TOKEN_HEADER);
    if (!bearer || !looksLikeJwt(bearer)) {
      if (citizenToken) throw unauthorized('X-Citizen-Token gilt nur zusammen mit dem Zugangstoken eines Portals (Authorization: Bearer)');
      return next();
    }
    const client = await verifier.verifyClient(bearer);
    // the provider still issues tokens to a client an administrator switched off here
    if (!(await settingsOf(client.clientId)).active) throw forbidden('Dieser Portal-Zugang ist gesperrt');
    const citizen = citizenToken ? await verifier.verifyCitizen(citizenToken, client) : undefined;
    // replaces a citizen taken from a cookie: the portal speaks for the person it names, or for no one
    state.caller = citizen ? { client, citizen } : { client };
    await next();
  };
}

/**
 * Each client's settings: its portal_clients row, else the defaults; remembered for `ttlMs` so a
 * busy portal does not cost a query per request (a change applies within that time).
 */
export function portalClientSettings(
  lookup: (clientId: string) => Promise<{ rateLimitPerMinute: number | null; active: boolean } | undefined>,
  defaultPerMinute: number,
  ttlMs = 30_000,
): ClientSettingsOf {
  const cache = new LruMap<string, { settings: PortalClientSettings; until: number }>(10_000);
  return async (clientId) => {
    const cached = cache.get(clientId);
    if (cached && cached.until > Date.now()) return cached.settings;
    const row = await lookup(clientId);
    const settings = { rateLimitPerMinute: row?.rateLimitPerMinute ?? defaultPerMinute, active: row?.active ?? true };
    cache.set(clientId, { settings, until: Date.now() + ttlMs });
    return settings;
  };
}
