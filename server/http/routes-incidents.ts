/** Incidents (issue 18): failed service steps for process owners and admins; retry or cancel the case. */
import Router from '@koa/router';
import type { Context, Next } from 'koa';
import { z } from 'zod';
import type { Services } from '../services';
import { setContentRange } from './list-params';
import { currentUser, requireStaff } from './middleware';
import { positiveId, routeDeclarer } from './route';
import { incidentSchema } from './schemas';

const incidentFilterSchema = z
  .object({
    /** `unresolved` (default): open and retrying */
    state: z.enum(['unresolved', 'open', 'retrying', 'resolved', 'cancelled', 'all']),
    caseReference: z.string().max(32),
  })
  .partial()
  .strict();

const STATES = {
  unresolved: ['open', 'retrying'],
  all: [],
} as const;

const idParams = z.object({ id: positiveId() });

export function incidentRoutes(services: Services, opts: { maxJsonBytes: number }): Router {
  const router = new Router({ prefix: '/api/incidents' });
  const incidents = services.incidents;
  // the same audience as the process pages: process owners and admins
  const processOwner = async (ctx: Context, next: Next) => {
    services.processOwner.authorize(currentUser(ctx));
    await next();
  };
  const route = routeDeclarer(router, { maxJsonBytes: opts.maxJsonBytes, guards: { processOwner: [requireStaff(services.auth), processOwner] } });
  const tags = ['incidents'];
  const auth = 'processOwner';

  route({
    method: 'get',
    path: '/',
    summary: 'Failed service steps (react-admin simple-rest), newest first',
    tags,
    auth,
    request: { list: { resource: 'incidents', filter: incidentFilterSchema, defaultSort: ['createdAt', 'DESC'] } },
    responses: { 200: z.array(incidentSchema) },
    handler: async (ctx, { list: { filter, range } }) => {
      const state = filter.state ?? 'unresolved';
      const states = state === 'unresolved' || state === 'all' ? [...STATES[state]] : [state];
      const page = await incidents.list({ states, caseReference: filter.caseReference, range });
      setContentRange(ctx, 'incidents', range, page);
      ctx.body = page.rows;
    },
  });

  route({
    method: 'get',
    path: '/count',
    summary: 'How many incidents are not resolved (the back office menu badge)',
    tags,
    auth,
    responses: { 200: z.object({ unresolved: z.number().int() }) },
    handler: async (ctx) => {
      ctx.body = await incidents.unresolvedCount();
    },
  });

  route({
    method: 'get',
    path: '/:id',
    summary: 'One incident',
    tags,
    auth,
    request: { params: idParams },
    responses: { 200: incidentSchema },
    errors: [404],
    handler: async (ctx, { params }) => {
      ctx.body = await incidents.get(Number(params.id));
    },
  });

  route({
    method: 'post',
    path: '/:id/retry',
    summary: 'Run the failed step again (after the cause was fixed); it runs within seconds',
    tags,
    auth,
    request: { params: idParams },
    responses: { 200: incidentSchema },
    errors: [404, 409],
    handler: async (ctx, { params }) => {
      ctx.body = await incidents.retry(currentUser(ctx), Number(params.id));
    },
  });

  route({
    method: 'post',
    path: '/:id/cancel-case',
    summary: "End the incident's case with a reason (its process instance is cancelled)",
    tags,
    auth,
    request: {
      params: idParams,
      body: z.object({ reason: z.string({ required_error: 'erforderlich' }).trim().min(5, 'Mindestens 5 Zeichen').max(1000, 'Höchstens 1000 Zeichen') }),
      bodyLimitBytes: 10_000,
    },
    responses: { 200: incidentSchema },
    errors: [404, 409],
    handler: async (ctx, { params, body }) => {
      ctx.body = await incidents.cancelCase(currentUser(ctx), Number(params.id), body.reason);
    },
  });

  return router;
}
