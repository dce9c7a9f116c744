/** The admin API: portal clients and their status callbacks (DESIGN.md §6). Role `admin` only. */
import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../services';
import { authorizeAdmin } from '../domain/access';
import { callbackUrlProblem } from '../domain/portal-admin';
import { callbackStates } from '../repositories/status-callbacks';
import { currentUser, requireAudience } from './middleware';
import { setContentRange } from './list-params';
import { positiveId, routeDeclarer } from './route';
import { portalClientSchema as portalClientResponse, statusCallbackSchema } from './schemas';
import type { HttpOptions } from './http-options';

const clientIdSchema = z.string().regex(/^[A-Za-z0-9._:-]{1,255}$/, 'Nur Buchstaben, Ziffern und . _ : - (höchstens 255 Zeichen)');

/** PUT /api/admin/portal-clients/:clientId; callback URLs checked by callbackUrlProblem */
export const portalClientSchema = (allowLoopbackHttp: boolean) =>
  z
    .object({
      name: z.string().trim().min(1).max(200),
      callbackUrl: z
        .string()
        .max(2000)
        .nullable()
        .optional()
        .superRefine((url, ctx) => {
          const problem = url == null ? undefined : callbackUrlProblem(url, allowLoopbackHttp);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        }),
      callbackSecret: z.string().min(32, 'Mindestens 32 Zeichen').max(500).nullable().optional(),
      rateLimitPerMinute: z.number().int().min(1).max(1_000_000).nullable().optional(),
      active: z.boolean().optional(),
    })
    .strict();

export const callbackFilterSchema = z.object({ state: z.enum(callbackStates), clientId: z.string().max(255), reference: z.string().max(40) }).partial();

export function adminRoutes(services: Services, opts: Pick<HttpOptions, 'maxJsonBytes' | 'demoMode'>): Router {
  const router = new Router({ prefix: '/api/admin' });
  const admin = services.portalAdmin;
  // the role is checked before any body is read: a clerk gets 403, not a validation error
  const route = routeDeclarer(router, { maxJsonBytes: opts.maxJsonBytes, guards: { admin: requireAudience(services.auth, authorizeAdmin) } });
  const tags = ['admin'];
  const auth = 'admin';

  route({
    method: 'get',
    path: '/portal-clients',
    summary: 'Portal clients (never their callback secret: hasCallbackSecret)',
    tags,
    auth,
    responses: { 200: z.array(portalClientResponse) },
    handler: async (ctx) => {
      ctx.body = await admin.listClients(currentUser(ctx));
    },
  });

  route({
    method: 'put',
    path: '/portal-clients/:clientId',
    summary: 'Create or update a portal client and its status callback',
    tags,
    auth,
    request: { params: z.object({ clientId: clientIdSchema }), body: portalClientSchema(Boolean(opts.demoMode)) },
    responses: { 200: portalClientResponse },
    handler: async (ctx, { params, body }) => {
      ctx.body = await admin.putClient(currentUser(ctx), params.clientId, body);
    },
  });

  route({
    method: 'get',
    path: '/status-callbacks',
    summary: 'Status-callback events (dead-letter view: state=dead)',
    tags,
    auth,
    // ?state=dead as a plain parameter too (the dead-letter view)
    request: {
      query: z.object({ state: z.enum(callbackStates, { errorMap: () => ({ message: `Erlaubt: ${callbackStates.join(', ')}` }) }).optional() }),
      queryErrorStatus: 400,
      list: { resource: 'status-callbacks', filter: callbackFilterSchema, defaultSort: ['id', 'DESC'] },
    },
    responses: { 200: z.array(statusCallbackSchema) },
    handler: async (ctx, { query, list: { filter, sort, range } }) => {
      const page = await admin.listCallbacks(currentUser(ctx), { ...filter, state: query.state ?? filter.state, order: sort.order, range });
      setContentRange(ctx, 'status-callbacks', range, page);
      ctx.body = page.rows;
    },
  });

  route({
    method: 'post',
    path: '/status-callbacks/:id/retry',
    summary: 'Send a dead or skipped event again',
    tags,
    auth,
    request: { params: z.object({ id: positiveId('Ganze Zahl erwartet') }) },
    responses: { 200: statusCallbackSchema },
    errors: [404, 409],
    handler: async (ctx, { params }) => {
      ctx.body = await admin.retryCallback(currentUser(ctx), params.id);
    },
  });

  return router;
}
