/**
 * Staff single sign-on (issue 17, item 3; DESIGN.md §8): the login page's options, the redirect to
 * the provider, its redirect back, and the back office's exchange of the one-time code for the
 * session. All public by nature (they are how a session starts); the session they create is the
 * password login's, and every staff route checks it as before.
 */
import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../services';
import { DomainError } from '../domain/errors';
import { allowSecureCookies, answerStaffSession } from './middleware';
import { rateLimit } from './rate-limit';
import { routeDeclarer } from './route';
import { sessionSchema } from './schemas';
import type { HttpOptions } from './http-options';

/** The state of a sign-in this browser started (httpOnly; only sent to /api/auth/sso). */
const LOGIN_STATE_COOKIE = 'lu_staff_login_state';
const LOGIN_STATE_PATH = '/api/auth/sso';

export const ssoSessionSchema = z.object({ code: z.string().min(1).max(200) }).strict();

export function staffSsoRoutes(services: Services, opts: HttpOptions): Router {
  const router = new Router({ prefix: '/api/auth' });
  const { staffSso } = services;
  const secure = opts.secureCookies;
  const route = routeDeclarer(router, { maxJsonBytes: opts.maxJsonBytes });
  const limited = [rateLimit(services.rateLimiter, opts.rateLimits.publicPerMinute, 'Anmeldungen')];
  const tags = ['staff'];
  const redirect = (description: string) => ({ description, headers: { Location: { description: 'where to', schema: { type: 'string' } } } });

  route({
    method: 'get',
    path: '/options',
    summary: "The back office login page's options: single sign-on configured (button text, where it goes), password login allowed",
    tags,
    auth: 'public',
    responses: { 200: z.object({ sso: z.boolean(), localLogin: z.boolean(), ssoLabel: z.string().nullable(), ssoLoginUrl: z.string().nullable() }) },
    handler: (ctx) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = staffSso.options();
    },
  });

  route({
    method: 'get',
    path: '/sso/login',
    summary: 'Start the staff single sign-on: redirect to the OpenID provider (authorization code + PKCE, state, nonce)',
    tags,
    auth: 'public',
    use: limited,
    responses: { 302: redirect('to the provider') },
    errors: [429, 503],
    handler: async (ctx) => {
      ctx.set('Cache-Control', 'no-store');
      const { url, state } = await staffSso.startLogin();
      allowSecureCookies(ctx, secure);
      // Lax: sent on the provider's top-level redirect back; binds the callback to this browser (login CSRF, RFC 6749 §10.12)
      ctx.cookies.set(LOGIN_STATE_COOKIE, state, { httpOnly: true, sameSite: 'lax', secure, path: LOGIN_STATE_PATH, maxAge: 10 * 60_000, overwrite: true });
      ctx.redirect(url);
    },
  });

  route({
    method: 'get',
    path: '/sso/callback',
    summary: "The provider's redirect back: maps the claims, provisions or updates the user, and redirects to the back office with a one-time code in the fragment (/#sso=<code>)",
    description:
      'A failed sign-in answers problem+json (400: wrong or missing state, missing code, a refused code or token; 403: unknown role or organisation in the claims, deactivated user, account linked to another provider account). A browser (Accept: text/html) is redirected to `/#sso_error=<message>` instead, which the login page shows.',
    tags,
    auth: 'public',
    use: limited,
    request: { query: z.object({ code: z.string(), state: z.string(), iss: z.string(), error: z.string(), error_description: z.string() }).partial(), queryCheckedBy: 'domain' },
    responses: { 302: redirect('to /#sso=<one-time code>, which the back office exchanges with POST /api/auth/sso/session') },
    errors: [400, 403, 429, 503],
    handler: async (ctx) => {
      ctx.set('Cache-Control', 'no-store');
      const browserState = ctx.cookies.get(LOGIN_STATE_COOKIE);
      allowSecureCookies(ctx, secure);
      ctx.cookies.set(LOGIN_STATE_COOKIE, null, { path: LOGIN_STATE_PATH, overwrite: true });
      try {
        const { handoffCode } = await staffSso.finishLogin(new URLSearchParams(ctx.querystring), browserState);
        // the fragment never reaches a server or its logs; the code works once, for a minute
        ctx.redirect(`/#sso=${handoffCode}`);
      } catch (err) {
        // a browser gets the login page with the reason; API clients keep problem+json
        if (err instanceof DomainError && err.status < 500 && ctx.accepts('json', 'html') === 'html') {
          ctx.redirect(`/#sso_error=${encodeURIComponent(err.message)}`);
          return;
        }
        throw err;
      }
    },
  });

  route({
    method: 'post',
    path: '/sso/session',
    summary: 'Exchange the one-time code of the single sign-on for the staff session (token, also set as the httpOnly cookie lu_session)',
    tags,
    auth: 'public',
    use: limited,
    request: { body: ssoSessionSchema },
    responses: { 200: sessionSchema },
    errors: [400, 403, 429],
    handler: async (ctx, { body }) => {
      ctx.set('Cache-Control', 'no-store');
      answerStaffSession(ctx, await staffSso.exchange(body.code), secure);
    },
  });

  return router;
}
