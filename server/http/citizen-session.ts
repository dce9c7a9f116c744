/**
 * The citizen session cookie on /api/v1 routes (DESIGN.md §6). A valid `lu_citizen` cookie makes
 * the caller that person (`ctx.state.caller.citizen`, next to a portal's `caller.client` set by
 * another middleware); an invalid or expired one is 401 and cleared; every cookie-authenticated
 * change must echo the session's CSRF token in `X-CSRF-Token`.
 */
import { sameSecret } from '../lib/hash';
import type { Context, Next } from 'koa';
import type { CitizenAuthService, CitizenSession } from '../domain/citizen-auth';
import { DomainError, unauthorized } from '../domain/errors';
import type { Caller } from '../domain/identity';
import { allowSecureCookies as allowSecure } from './middleware';

export const CITIZEN_COOKIE = 'lu_citizen';
export const CSRF_COOKIE = 'lu_csrf';
export const CSRF_HEADER = 'x-csrf-token';
/** The state of a sign-in this browser started (httpOnly; only sent to /api/v1/auth). */
const LOGIN_STATE_COOKIE = 'lu_login_state';
const LOGIN_STATE_PATH = '/api/v1/auth';

export interface CitizenState {
  caller?: Caller;
  citizenSession?: CitizenSession;
}

/**
 * `staleCookie: 'ignore'`: an invalid or expired cookie counts as no cookie instead of 401, for
 * signing in again (the cookie is how a person gets a new one) and signing out.
 */
export function citizenSession(auth: CitizenAuthService, opts: { secureCookies: boolean; staleCookie?: 'ignore' }) {
  return async (ctx: Context, next: Next) => {
    const state = ctx.state as CitizenState;
    const token = ctx.cookies.get(CITIZEN_COOKIE);
    // absent, or a portal's request: a portal acts for the person of its X-Citizen-Token only,
    // never for a cookie it happens to carry
    if (token === undefined || state.caller?.client) return next();
    const session = await auth.authenticate(token);
    if (!session) {
      if (opts.staleCookie === 'ignore') return next();
      clearCitizenCookies(ctx, opts.secureCookies);
      throw unauthorized('Ihre Anmeldung ist abgelaufen');
    }
    const csrf = ctx.get(CSRF_HEADER);
    if (!['GET', 'HEAD', 'OPTIONS'].includes(ctx.method) && !(csrf && sameSecret(csrf, session.csrfToken))) {
      throw new DomainError(403, 'Forbidden', 'CSRF-Token fehlt oder ist falsch (Header X-CSRF-Token)');
    }
    state.citizenSession = session;
    state.caller = { ...state.caller, citizen: session.identity };
    await next();
  };
}

export function setCitizenCookies(ctx: Context, secure: boolean, token: string, csrfToken: string, expires: Date): void {
  allowSecure(ctx, secure);
  ctx.cookies.set(CITIZEN_COOKIE, token, { httpOnly: true, sameSite: 'lax', path: '/', secure, expires, overwrite: true });
  // readable by the portal's script, which echoes it in X-CSRF-Token
  ctx.cookies.set(CSRF_COOKIE, csrfToken, { httpOnly: false, sameSite: 'strict', path: '/', secure, expires, overwrite: true });
}

/** Binds a sign-in to this browser; Lax: sent on the provider's top-level redirect back. */
export function setLoginStateCookie(ctx: Context, secure: boolean, state: string): void {
  allowSecure(ctx, secure);
  ctx.cookies.set(LOGIN_STATE_COOKIE, state, { httpOnly: true, sameSite: 'lax', secure, path: LOGIN_STATE_PATH, maxAge: 10 * 60_000, overwrite: true });
}

/** The state of the sign-in this browser started, if any; the cookie is used up. */
export function takeLoginStateCookie(ctx: Context): string | undefined {
  const state = ctx.cookies.get(LOGIN_STATE_COOKIE);
  ctx.cookies.set(LOGIN_STATE_COOKIE, null, { path: LOGIN_STATE_PATH, overwrite: true });
  return state;
}

export function clearCitizenCookies(ctx: Context, secure: boolean): void {
  allowSecure(ctx, secure);
  ctx.cookies.set(CITIZEN_COOKIE, '', { httpOnly: true, sameSite: 'lax', path: '/', secure, expires: new Date(0), overwrite: true });
  ctx.cookies.set(CSRF_COOKIE, '', { httpOnly: false, sameSite: 'strict', path: '/', secure, expires: new Date(0), overwrite: true });
}
