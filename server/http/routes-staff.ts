/** The staff API for the back office (DESIGN.md §4 "Staff"). */
import { PassThrough } from 'node:stream';
import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../services';
import type { Context } from 'koa';
import { answerStaffSession, currentUser, requireAudience, requireStaff, SESSION_COOKIE, type AppState } from './middleware';
import { authorizeCaseWork } from '../domain/access';
import { setContentRange } from './list-params';
import { routeDeclarer } from './route';
import { caseDetailSchema, caseSummarySchema, file, sessionSchema, taskDetailSchema, taskSchema, userSchema } from './schemas';

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

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Datum im Format JJJJ-MM-TT');
/** closedFrom/closedBefore: cases closed in [from, before), UTC days (the cockpit's throughput weeks) */
export const caseFilterSchema = z.object({ status: z.string().max(32), serviceKey: z.string().max(100), q: z.string().max(200), closedFrom: isoDay, closedBefore: isoDay }).partial();

export const assignSchema = z.object({ assignee: z.string().min(1).max(100), reason: z.string().max(500).optional() }).strict();
/** the task form decides which variables are valid (checked in TaskService.complete) */
export const completeSchema = z.object({ variables: z.record(z.unknown()).default({}) }).strict();
export const infoRequestSchema = z.object({ message: z.string().trim().min(1).max(5000) }).strict();

const taskId = z.object({ id: z.string() });

const HEARTBEAT_MS = 25_000;
/** a stream lasts at most this long: the tab reconnects, with its session checked again */
const STREAM_MAX_MS = 3600_000;

/** The text/event-stream of one tab: the changes TaskEventHub finds for this user. */
function openTaskEventStream(ctx: Context, services: Services): void {
  const stream = new PassThrough();
  ctx.req.socket.setTimeout(0);
  ctx.req.socket.setNoDelay(true);
  ctx.set({ 'Cache-Control': 'no-cache, no-transform', 'X-Accel-Buffering': 'no' });
  ctx.type = 'text/event-stream';
  ctx.status = 200;
  ctx.body = stream;
  stream.write('retry: 3000\n\n: connected\n\n');
  const heartbeat = setInterval(() => stream.write(': keep-alive\n\n'), HEARTBEAT_MS);
  const expiry = setTimeout(() => stream.end(), STREAM_MAX_MS);
  const unsubscribe = services.taskEvents.subscribe(currentUser(ctx), {
    changed: (ids) => stream.write(`event: tasks\ndata: ${JSON.stringify({ ids })}\n\n`),
    end: () => stream.end(),
  });
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    clearTimeout(expiry);
    unsubscribe();
  };
  ctx.res.on('close', close); // the tab went away (req's 'close' fires once the request is read)
  stream.on('close', close);
}

export function staffRoutes(services: Services, opts: { maxJsonBytes: number; secureCookies: boolean }): Router {
  const router = new Router({ prefix: '/api' });
  const { auth, tasks, cases } = services;
  const route = routeDeclarer(router, { maxJsonBytes: opts.maxJsonBytes, guards: { staff: [requireStaff(auth)], caseWorker: requireAudience(auth, authorizeCaseWork) } });
  const tags = ['staff'];

  route({
    method: 'post',
    path: '/auth/login',
    summary: 'Staff login: a session token, also set as the httpOnly cookie lu_session',
    tags,
    auth: 'public',
    request: { body: loginSchema },
    responses: { 200: sessionSchema },
    errors: [401, 403, 429],
    handler: async (ctx, { body: { username, password } }) => {
      answerStaffSession(ctx, await auth.login(username, password, ctx.ip || 'unknown'), opts.secureCookies);
    },
  });

  route({
    method: 'get',
    path: '/auth/me',
    summary: 'The signed-in staff member',
    tags,
    auth: 'staff',
    responses: { 200: z.object({ user: userSchema }) },
    handler: (ctx) => {
      ctx.body = { user: currentUser(ctx) };
    },
  });

  route({
    method: 'post',
    path: '/auth/logout',
    summary: 'End the staff session',
    tags,
    auth: 'staff',
    responses: { 204: { description: 'logged out' } },
    handler: async (ctx) => {
      await auth.logout((ctx.state as AppState).sessionToken);
      ctx.cookies.set(SESSION_COOKIE, null);
      ctx.status = 204;
    },
  });

  route({
    method: 'get',
    path: '/tasks',
    summary: 'Task list (react-admin simple-rest)',
    tags,
    auth: 'caseWorker',
    request: { list: { resource: 'tasks', filter: taskFilterSchema, defaultSort: ['createdAt', 'DESC'] } },
    responses: { 200: z.array(taskSchema) },
    handler: async (ctx, { list: { filter, sort, range } }) => {
      const page = await tasks.list(currentUser(ctx), { filter, sort, range });
      setContentRange(ctx, 'tasks', range, page);
      ctx.body = page.rows;
    },
  });

  route({
    method: 'get',
    path: '/tasks/events',
    summary: 'Live inbox: server-sent events for changes of the tasks the caller may see',
    description:
      'One stream per browser tab (EventSource, session cookie). `event: tasks` with data `{"ids":[…]}` when tasks the caller may see were created or changed state, assignee, candidates or due date, in any server process; a comment every 25 s keeps proxies from closing it. The stream ends after an hour and at shutdown; the browser reconnects and should refetch its list on each (re)connect.',
    tags,
    auth: 'caseWorker',
    responses: { 200: { description: 'text/event-stream', contentType: 'text/event-stream', schema: z.string() } },
    handler: (ctx) => openTaskEventStream(ctx, services),
  });

  route({
    method: 'get',
    path: '/tasks/:id',
    summary: 'One task with its form and the case variables',
    tags,
    auth: 'caseWorker',
    responses: { 200: taskDetailSchema },
    errors: [404],
    handler: async (ctx) => {
      ctx.body = await tasks.get(currentUser(ctx), ctx.params.id!);
    },
  });

  const taskAction = (path: string, summary: string, action: (ctx: Context) => Promise<unknown>) =>
    route({
      method: 'post',
      path,
      summary,
      tags,
      auth: 'caseWorker',
      request: { params: taskId },
      responses: { 200: taskSchema },
      errors: [404, 409],
      handler: async (ctx) => void (ctx.body = await action(ctx)),
    });
  taskAction('/tasks/:id/claim', 'Claim', (ctx) => tasks.claim(currentUser(ctx), ctx.params.id!));
  taskAction('/tasks/:id/unclaim', 'Unclaim', (ctx) => tasks.unclaim(currentUser(ctx), ctx.params.id!));

  route({
    method: 'post',
    path: '/tasks/:id/assign',
    summary: 'Assign (team leads)',
    tags,
    auth: 'caseWorker',
    request: { params: taskId, body: assignSchema },
    responses: { 200: taskSchema },
    errors: [403, 404, 409],
    handler: async (ctx, { params, body }) => {
      ctx.body = await tasks.assign(currentUser(ctx), params.id, body.assignee, body.reason);
    },
  });

  route({
    method: 'post',
    path: '/tasks/:id/complete',
    summary: 'Complete; variables are checked against the task form',
    tags,
    auth: 'caseWorker',
    request: { params: taskId, body: completeSchema },
    responses: { 200: taskSchema },
    errors: [404, 409],
    handler: async (ctx, { params, body }) => {
      ctx.body = await tasks.complete(currentUser(ctx), params.id, body.variables);
    },
  });

  route({
    method: 'post',
    path: '/tasks/:id/request-info',
    summary: 'Ask the applicant for information',
    tags,
    auth: 'caseWorker',
    request: { params: taskId, body: infoRequestSchema },
    responses: { 200: taskSchema },
    errors: [404, 409],
    handler: async (ctx, { params, body }) => {
      ctx.body = await tasks.requestInfo(currentUser(ctx), params.id, body.message);
    },
  });

  route({
    method: 'get',
    path: '/cases',
    summary: 'Case list (react-admin simple-rest)',
    tags,
    auth: 'caseWorker',
    request: { list: { resource: 'cases', filter: caseFilterSchema, defaultSort: ['submittedAt', 'DESC'] } },
    responses: { 200: z.array(caseSummarySchema) },
    handler: async (ctx, { list: { filter, sort, range } }) => {
      const page = await cases.list(currentUser(ctx), { ...filter, sort, range });
      setContentRange(ctx, 'cases', range, page);
      ctx.body = page.rows;
    },
  });

  route({
    method: 'get',
    path: '/cases/:reference',
    summary: 'The dossier: applicant, data, timeline, tasks, documents, invoices, requests for information',
    tags,
    auth: 'caseWorker',
    responses: { 200: caseDetailSchema },
    errors: [404],
    handler: async (ctx) => {
      ctx.body = await cases.get(currentUser(ctx), ctx.params.reference!);
    },
  });

  route({
    method: 'get',
    path: '/cases/:reference/documents/:id',
    summary: "A document of the case (inline): the applicant's attachments and issued documents",
    tags,
    auth: 'caseWorker',
    responses: { 200: file('the document', 'application/octet-stream') },
    errors: [404],
    handler: async (ctx) => {
      const { doc, content } = await cases.document(currentUser(ctx), ctx.params.reference!, ctx.params.id!);
      ctx.type = doc.contentType;
      ctx.length = doc.size;
      ctx.set('Content-Disposition', `inline; filename="${doc.name.replace(/[^\w.-]/g, '_')}"`);
      ctx.body = content;
    },
  });

  return router;
}
