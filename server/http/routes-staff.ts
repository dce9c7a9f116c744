/** The staff API for the back office (DESIGN.md §4 "Staff"). */
import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../services';
import { parseOrFail } from '../domain/errors';
import { currentUser, readJson, requireStaff, SESSION_COOKIE, type AppState } from './middleware';
import { listParams, setContentRange } from './list-params';

export const loginSchema = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) }).strict();

export const taskFilterSchema = z
  .object({
    caseReference: z.string().max(32),
    state: z.enum(['open', 'completed', 'cancelled']),
    assignee: z.string().max(100).nullable(),
    serviceKey: z.string().max(100),
    municipality: z.number().int(),
    q: z.string().max(200),
    // back office inbox views and filters
    candidateGroups: z.array(z.string().max(100)).max(50),
    dueBefore: z.string().regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/),
    dueAfter: z.string().regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/),
  })
  .partial();

export const caseFilterSchema = z.object({ status: z.string().max(32), serviceKey: z.string().max(100), q: z.string().max(200) }).partial();

export const assignSchema = z.object({ assignee: z.string().min(1).max(100), reason: z.string().max(500).optional() }).strict();
/** the task form decides which variables are valid (checked in TaskService.complete) */
export const completeSchema = z.object({ variables: z.record(z.unknown()).default({}) }).strict();
export const infoRequestSchema = z.object({ message: z.string().trim().min(1).max(5000) }).strict();

export function staffRoutes(services: Services, opts: { maxJsonBytes: number; secureCookies: boolean }): Router {
  const router = new Router({ prefix: '/api' });
  const { auth, tasks, cases } = services;
  const staff = requireStaff(auth);

  router.post('/auth/login', async (ctx) => {
    const { username, password } = parseOrFail(loginSchema, await readJson(ctx, opts.maxJsonBytes));
    const session = await auth.login(username, password);
    ctx.cookies.set(SESSION_COOKIE, session.token, { httpOnly: true, sameSite: 'strict', secure: opts.secureCookies, expires: new Date(session.expiresAt), overwrite: true });
    ctx.body = { token: session.token, expiresAt: session.expiresAt, user: session.user };
  });

  router.get('/auth/me', staff, (ctx) => {
    ctx.body = { user: currentUser(ctx) };
  });

  router.post('/auth/logout', staff, async (ctx) => {
    await auth.logout((ctx.state as AppState).sessionToken);
    ctx.cookies.set(SESSION_COOKIE, null);
    ctx.status = 204;
  });

  router.get('/tasks', staff, async (ctx) => {
    const { filter, sort, range } = listParams(ctx, taskFilterSchema, ['createdAt', 'DESC']);
    const page = await tasks.list(currentUser(ctx), { filter, sort, range });
    setContentRange(ctx, 'tasks', range, page);
    ctx.body = page.rows;
  });

  router.get('/tasks/:id', staff, async (ctx) => {
    ctx.body = await tasks.get(currentUser(ctx), ctx.params.id!);
  });

  router.post('/tasks/:id/claim', staff, async (ctx) => {
    ctx.body = await tasks.claim(currentUser(ctx), ctx.params.id!);
  });

  router.post('/tasks/:id/unclaim', staff, async (ctx) => {
    ctx.body = await tasks.unclaim(currentUser(ctx), ctx.params.id!);
  });

  router.post('/tasks/:id/assign', staff, async (ctx) => {
    const body = parseOrFail(assignSchema, await readJson(ctx, opts.maxJsonBytes));
    ctx.body = await tasks.assign(currentUser(ctx), ctx.params.id!, body.assignee, body.reason);
  });

  router.post('/tasks/:id/complete', staff, async (ctx) => {
    const body = parseOrFail(completeSchema, await readJson(ctx, opts.maxJsonBytes));
    ctx.body = await tasks.complete(currentUser(ctx), ctx.params.id!, body.variables);
  });

  router.post('/tasks/:id/request-info', staff, async (ctx) => {
    const body = parseOrFail(infoRequestSchema, await readJson(ctx, opts.maxJsonBytes));
    ctx.body = await tasks.requestInfo(currentUser(ctx), ctx.params.id!, body.message);
  });

  router.get('/cases', staff, async (ctx) => {
    const { filter, sort, range } = listParams(ctx, caseFilterSchema, ['submittedAt', 'DESC']);
    const page = await cases.list(currentUser(ctx), { ...filter, sort, range });
    setContentRange(ctx, 'cases', range, page);
    ctx.body = page.rows;
  });

  router.get('/cases/:reference', staff, async (ctx) => {
    ctx.body = await cases.get(currentUser(ctx), ctx.params.reference!);
  });

  router.get('/cases/:reference/documents/:id', staff, async (ctx) => {
    const { doc, content } = await cases.document(currentUser(ctx), ctx.params.reference!, ctx.params.id!);
    ctx.type = doc.contentType;
    ctx.set('Content-Disposition', `inline; filename="${doc.name.replace(/[^\w.-]/g, '_')}"`);
    ctx.body = content;
  });

  return router;
}
