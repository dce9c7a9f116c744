/** Citizen sign-in and the signed-in person's own data (DESIGN.md §6). */
import Router from '@koa/router';
import type { Middleware } from 'koa';
import { z } from 'zod';
import type { Services } from '../services';
import { DomainError, unauthorized } from '../domain/errors';
import { citizenSession, clearCitizenCookies, setCitizenCookies, setLoginStateCookie, takeLoginStateCookie, type CitizenState } from './citizen-session';
import { setContentRange } from './list-params';
import { routeDeclarer } from './route';
import { citizenSchema, mySubmissionSchema } from './schemas';
import { rateLimit } from './rate-limit';
import type { HttpOptions } from './http-options';

export function citizenRoutes(services: Services, opts: HttpOptions): Router {
  const router = new Router({ prefix: '/api/v1' });
  const { citizenAuth } = services;
  const secure = opts.secureCookies;
  router.use(rateLimit(services.rateLimiter, opts.rateLimits.publicPerMinute, 'Abfragen'));
  // the person's own routes need a valid session; signing in again and out work with a stale cookie
  const session = citizenSession(citizenAuth, { secureCookies: secure });
  const sessionIfValid = citizenSession(citizenAuth, { secureCookies: secure, staleCookie: 'ignore' });

  const route = routeDeclarer(router, { maxJsonBytes: opts.maxJsonBytes, guards: { citizen: [session, signedIn] } });
  const tags = ['citizen'];
  const redirect = (description: string) => ({ description, headers: { Location: { description: 'where to', schema: { type: 'string' } } } });

  route({
    method: 'get',
    path: '/auth/login',
    summary: 'Start the sign-in: redirect to the OpenID provider (authorization code + PKCE)',
    tags,
    auth: 'public',
    request: {
      query: z.object({ returnTo: z.string().max(500).default('/portal/').describe('a path on this site (no //, \\ or control characters)') }),
      queryCheckedBy: 'domain',
    },
    responses: { 302: redirect('to the provider') },
    errors: [429, 503],
    handler: async (ctx, { query }) => {
      ctx.set('Cache-Control', 'no-store');
      const { url, state } = await citizenAuth.startLogin(query.returnTo);
      setLoginStateCookie(ctx, secure, state);
      ctx.redirect(url);
    },
  });

  route({
    method: 'get',
    path: '/auth/callback',
    summary: "The provider's redirect back: sets the session cookies lu_citizen (httpOnly) and lu_csrf, redirects to returnTo",
    tags,
    auth: 'public',
    use: [sessionIfValid],
    request: { query: z.object({ code: z.string(), state: z.string(), iss: z.string(), error: z.string() }).partial(), queryCheckedBy: 'domain' },
    responses: { 302: redirect('to returnTo; a failed sign-in with Accept: text/html (a browser) goes to /portal/anmeldung?fehler=abgebrochen|abgelaufen|abgelehnt instead of 400') },
    errors: [429, 503],
    handler: async (ctx) => {
      ctx.set('Cache-Control', 'no-store');
      const browserState = takeLoginStateCookie(ctx);
      let signedIn: Awaited<ReturnType<typeof citizenAuth.finishLogin>>;
      try {
        signedIn = await citizenAuth.finishLogin(new URLSearchParams(ctx.querystring), browserState);
      } catch (err) {
        // a browser (cancelled, double-clicked, stale tab) gets a page that explains; API clients keep problem+json.
        // json first: without Accept or with */* it wins, so only an explicit text/html preference redirects
        if (err instanceof DomainError && err.status === 400 && ctx.accepts('json', 'html') === 'html') {
          ctx.redirect(`/portal/anmeldung?fehler=${signInFailureCode(err)}`);
          return;
        }
        throw err;
      }
      // a new sign-in replaces the session this browser had
      const previous = (ctx.state as CitizenState).citizenSession;
      if (previous) await citizenAuth.logout(previous);
      setCitizenCookies(ctx, secure, signedIn.token, signedIn.csrfToken, signedIn.expiresAt);
      ctx.redirect(signedIn.returnTo);
    },
  });

  route({
    method: 'post',
    path: '/auth/logout',
    summary: 'End the session (with the cookie lu_citizen: header X-CSRF-Token required); a stale cookie is cleared',
    tags,
    // anyone may sign out: without a valid session there is nothing to end but the cookies
    auth: 'public',
    use: [sessionIfValid],
    request: { headers: z.object({ 'x-csrf-token': z.string().optional() }) },
    responses: { 204: { description: 'signed out, cookies cleared' } },
    errors: [403, 429],
    handler: async (ctx) => {
      const session = (ctx.state as CitizenState).citizenSession;
      if (session) await citizenAuth.logout(session);
      clearCitizenCookies(ctx, secure);
      ctx.status = 204;
    },
  });

  route({
    method: 'get',
    path: '/me',
    summary: 'The signed-in person: subject, givenName, familyName, birthDate, assurance, csrfToken',
    tags,
    auth: 'citizen',
    responses: { 200: citizenSchema },
    errors: [429],
    handler: (ctx) => {
      const session = (ctx.state as CitizenState).citizenSession!;
      const { subject, givenName, familyName, birthDate, assurance } = session.identity;
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { subject, givenName, familyName, birthDate, assurance, csrfToken: session.csrfToken };
    },
  });

  route({
    method: 'get',
    path: '/me/submissions',
    summary: "The person's cases at every authority, newest first",
    tags,
    auth: 'citizen',
    request: { list: { resource: 'submissions', filter: z.object({}).strict(), defaultSort: ['submittedAt', 'DESC'] } },
    responses: { 200: z.array(mySubmissionSchema) },
    errors: [429],
    handler: async (ctx, { list: { range } }) => {
      const session = (ctx.state as CitizenState).citizenSession!;
      const page = await citizenAuth.mySubmissions(session.identity, range);
      setContentRange(ctx, 'submissions', range, page);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = page.rows;
    },
  });

  return router;
}

/** The signed-in person's routes: 401 without a session. */
const signedIn: Middleware = async (ctx, next) => {
  if (!(ctx.state as CitizenState).citizenSession) throw unauthorized('Anmeldung erforderlich');
  await next();
};

/** The portal's sign-in problem page tells these apart (portal/src/signin/SignInProblemPage.tsx). */
function signInFailureCode(err: DomainError): 'abgebrochen' | 'abgelaufen' | 'abgelehnt' {
  const first = err.errors?.[0];
  if (first?.path === 'error' && first.message === 'access_denied') return 'abgebrochen';
  if (first?.path === 'state') return 'abgelaufen';
  return 'abgelehnt';
}
