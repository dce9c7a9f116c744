/**
 * Portal clients on the public API (DESIGN.md §6). A bearer token shaped like a JWT is a portal's
 * client-credentials access token: verified, it makes `ctx.state.caller.client`, and the person's
 * ID token in X-Citizen-Token makes `caller.citizen`. Any other bearer is a submission's access
 * token (DESIGN.md §4) and left to the routes. A portal request acts for the person of its
 * X-Citizen-Token only: a citizen session cookie it may carry does not count.
 */
import type { Context, Next } from 'koa';
import { unauthorized } from '../domain/errors';
import type { Caller } from '../domain/identity';
import { looksLikeJwt, type PortalTokenVerifier } from '../domain/portal-tokens';
import { bearerToken } from './middleware';

export const CITIZEN_TOKEN_HEADER = 'x-citizen-token';

export interface PortalClientState {
  caller?: Caller;
}

export function portalClient(verifier: PortalTokenVerifier) {
  return async (ctx: Context, next: Next) => {
    const state = ctx.state as PortalClientState;
    const bearer = bearerToken(ctx);
    const citizenToken = ctx.get(CITIZEN_TOKEN_HEADER);
    if (!bearer || !looksLikeJwt(bearer)) {
      if (citizenToken) throw unauthorized('X-Citizen-Token gilt nur zusammen mit dem Zugangstoken eines Portals (Authorization: Bearer)');
      return next();
    }
    if (state.caller?.client) return next(); // already verified by another router's middleware
    const client = await verifier.verifyClient(bearer);
    const citizen = citizenToken ? await verifier.verifyCitizen(citizenToken, client) : undefined;
    // replaces a citizen taken from a cookie: the portal speaks for the person it names, or for no one
    state.caller = citizen ? { client, citizen } : { client };
    await next();
  };
}
