/** Citizen sign-in and the signed-in person's own data (DESIGN.md §6). */
import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../services';
import { unauthorized } from '../domain/errors';
import { citizenSession, clearCitizenCookies, setCitizenCookies, type CitizenState } from './citizen-session';
import { listParams, setContentRange } from './list-params';
import { rateLimit } from './rate-limit';
import type { HttpOptions } from './app';

export function citizenRoutes(services: Services, opts: HttpOptions): Router {
  const router = new Router({ prefix: '/api/v1' });
  const { citizenAuth } = services;
  const secure = opts.secureCitizenCookies;
  router.use(rateLimit(opts.rateLimits.publicPerMinute, 'Abfragen'));
  router.use(citizenSession(citizenAuth, { secureCookies: secure }));

  router.get('/auth/login', async (ctx) => {
    const returnTo = ctx.query.returnTo;
    ctx.set('Cache-Control', 'no-store');
    ctx.redirect(await citizenAuth.startLogin(returnTo));
  });

  router.get('/auth/callback', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const signedIn = await citizenAuth.finishLogin(new URLSearchParams(ctx.querystring));
    // a new sign-in replaces the session this browser had
    const previous = (ctx.state as CitizenState).citizenSession;
    if (previous) await citizenAuth.logout(previous);
    setCitizenCookies(ctx, secure, signedIn.token, signedIn.csrfToken, signedIn.expiresAt);
    ctx.redirect(signedIn.returnTo);
  });

  router.post('/auth/logout', async (ctx) => {
    const session = (ctx.state as CitizenState).citizenSession;
    if (session) await citizenAuth.logout(session);
    clearCitizenCookies(ctx, secure);
    ctx.status = 204;
  });

  router.get('/me', (ctx) => {
    const session = requireSession(ctx.state as CitizenState);
    const { subject, givenName, familyName, birthDate, assurance } = session.identity;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { subject, givenName, familyName, birthDate, assurance, csrfToken: session.csrfToken };
  });

  router.get('/me/submissions', async (ctx) => {
    const session = requireSession(ctx.state as CitizenState);
    const { range } = listParams(ctx, z.object({}).strict(), ['submittedAt', 'DESC']);
    const page = await citizenAuth.mySubmissions(session.identity, range);
    setContentRange(ctx, 'submissions', range, page);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = page.rows;
  });

  return router;
}

function requireSession(state: CitizenState) {
  if (!state.citizenSession) throw unauthorized('Anmeldung erforderlich');
  return state.citizenSession;
}
