/**
 * Absences and deputies (Stellvertretung, issue 17 item 4): list, create and delete absence
 * windows; domain/absences.ts owns the rules and hands tasks to deputies and back.
 */
import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../services';
import { authorizeAbsences } from '../domain/access';
import { currentUser, requireAudience } from './middleware';
import { positiveId, routeDeclarer } from './route';
import type { HttpOptions } from './http-options';

const isoDateTime = z
  .string()
  .max(40)
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/, 'Datum und Zeit nach ISO 8601 mit Zeitzone, z. B. 2026-12-24T08:00:00+01:00')
  .refine((v) => !Number.isNaN(new Date(v).getTime()), 'kein gültiges Datum');

export const absenceCreateSchema = z
  .object({
    username: z.string().min(1).max(100).optional().describe('the absent user; default the caller'),
    organisationId: z.string().min(1).max(100).optional().describe("the organisation whose tasks the deputy takes; default the absent user's only one"),
    deputy: z.string().min(1).max(100),
    from: isoDateTime,
    to: isoDateTime,
    note: z.string().max(500).nullable().optional(),
  })
  .strict();

export const absenceSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  organisationId: z.string(),
  deputy: z.string(),
  deputyName: z.string(),
  from: z.string(),
  to: z.string(),
  note: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  active: z.boolean().describe('running now'),
  deletable: z.boolean().describe('the caller may delete (end) it'),
});

export function absenceRoutes(services: Services, opts: Pick<HttpOptions, 'maxJsonBytes'>): Router {
  const router = new Router({ prefix: '/api' });
  const route = routeDeclarer(router, { maxJsonBytes: opts.maxJsonBytes, guards: { absences: requireAudience(services.auth, authorizeAbsences) } });
  const tags = ['staff'];

  route({
    method: 'get',
    path: '/absences',
    summary: 'Absences with deputies: own, those the caller stands in for, and (team leads, organisation admins) those of their organisations',
    tags,
    auth: 'absences',
    responses: { 200: z.array(absenceSchema) },
    handler: async (ctx) => {
      const list = await services.absences.list(currentUser(ctx));
      ctx.set('Content-Range', `absences 0-${Math.max(0, list.length - 1)}/${list.length}`);
      ctx.body = list;
    },
  });

  route({
    method: 'post',
    path: '/absences',
    summary: "Set an absence window and a deputy: while it runs, the absent user's open tasks of the organisation go to the deputy",
    tags,
    auth: 'absences',
    request: { body: absenceCreateSchema },
    responses: { 201: absenceSchema },
    errors: [422],
    handler: async (ctx, { body }) => {
      ctx.status = 201;
      ctx.body = await services.absences.create(currentUser(ctx), body);
    },
  });

  route({
    method: 'delete',
    path: '/absences/:id',
    summary: "End an absence: the deputy's unfinished tasks go back to the absent user; answers the deleted absence",
    tags,
    auth: 'absences',
    request: { params: z.object({ id: positiveId() }) },
    responses: { 200: absenceSchema },
    errors: [404],
    handler: async (ctx, { params }) => {
      ctx.body = await services.absences.remove(currentUser(ctx), params.id);
    },
  });

  return router;
}
