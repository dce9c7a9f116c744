/** The admin API: portal clients and their status callbacks (DESIGN.md §6). Role `admin` only. */
import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../services';
import { isAdmin } from '../domain/auth';
import { badRequest, forbidden, parseOrFail, validationFailed } from '../domain/errors';
import { callbackUrlProblem } from '../domain/portal-admin';
import { callbackStates } from '../repositories/status-callbacks';
import { currentUser, readJson, requireStaff } from './middleware';
import { listParams, setContentRange } from './list-params';
import type { HttpOptions } from './app';

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
  const bodySchema = portalClientSchema(Boolean(opts.demoMode));
  // the role is checked before any body is read: a clerk gets 403, not a validation error
  router.use(requireStaff(services.auth), async (ctx, next) => {
    if (!isAdmin(currentUser(ctx))) throw forbidden('Nur für Administratorinnen und Administratoren');
    await next();
  });

  router.get('/portal-clients', async (ctx) => {
    ctx.body = await admin.listClients(currentUser(ctx));
  });

  router.put('/portal-clients/:clientId', async (ctx) => {
    const user = currentUser(ctx);
    const clientId = clientIdSchema.safeParse(ctx.params.clientId);
    if (!clientId.success) throw validationFailed([{ path: 'clientId', message: clientId.error.issues[0]!.message }]);
    const body = parseOrFail(bodySchema, await readJson(ctx, opts.maxJsonBytes));
    ctx.body = await admin.putClient(user, clientId.data, body);
  });

  router.get('/status-callbacks', async (ctx) => {
    const user = currentUser(ctx);
    const { filter, sort, range } = listParams(ctx, callbackFilterSchema, ['id', 'DESC']);
    // ?state=dead as a plain parameter too (the dead-letter view)
    const state = ctx.query.state === undefined ? filter.state : z.enum(callbackStates).safeParse(ctx.query.state).data;
    if (ctx.query.state !== undefined && !state) throw badRequest('Parameter state ist ungültig', [{ path: 'state', message: `Erlaubt: ${callbackStates.join(', ')}` }]);
    const page = await admin.listCallbacks(user, { ...filter, state, order: sort.order, range });
    setContentRange(ctx, 'status-callbacks', range, page);
    ctx.body = page.rows;
  });

  router.post('/status-callbacks/:id/retry', async (ctx) => {
    const user = currentUser(ctx);
    const id = Number(ctx.params.id);
    if (!Number.isSafeInteger(id) || id <= 0) throw validationFailed([{ path: 'id', message: 'Ganze Zahl erwartet' }]);
    ctx.body = await admin.retryCallback(user, id);
  });

  return router;
}
