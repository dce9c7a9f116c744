/**
 * Operations (DESIGN.md §8): liveness, readiness per dependency, Prometheus metrics, the OpenAPI
 * document, one JSON access-log line per request, and draining on SIGTERM. ROLE=workers serves
 * the same probes on OPS_PORT (opsApp).
 */
import crypto from 'node:crypto';
import type { Server } from 'node:http';
import Koa, { type Context, type Next } from 'koa';
import Router from '@koa/router';
import type { Logger } from 'pino';
import { z } from 'zod';
import { cached } from '../lib/metrics';
import type { Services } from '../services';
import { errorHandler } from './middleware';
import { routeDeclarer } from './route';
import { file, okStatus, readySchema } from './schemas';

/** The OpenAPI document, rebuilt when the catalogue's current versions change (a deploy through any process). */
export interface OpenApiSource {
  build(): object;
}

/** The probes and metrics; with `openApi` also the API description (not on ROLE=workers' OPS_PORT). */
export function operationsRoutes(services: Services, openApi?: OpenApiSource): Router {
  const router = new Router();
  const route = routeDeclarer(router, { maxJsonBytes: 0 });
  // an unreachable gateway takes up to 2 s to answer: probes share one check every few seconds
  const zeebeUp = cached(() => services.engine.isReady(), 3000);
  route({
    method: 'get',
    path: '/api/health',
    summary: 'The process is running',
    tags: ['operations'],
    auth: 'public',
    responses: { 200: okStatus },
    handler: (ctx) => {
      ctx.body = { status: 'ok' };
    },
  });
  route({
    method: 'get',
    path: '/api/ready',
    summary: 'The process can do its work: the database answers (and Zeebe, for ROLE=workers); the body names each dependency',
    description: 'Intake (ROLE all and server) stays ready while Zeebe is down: submissions are kept and started once it is back. 503 while the process drains after SIGTERM.',
    tags: ['operations'],
    auth: 'public',
    responses: { 200: readySchema, 503: { description: 'not ready, or draining', schema: readySchema } },
    handler: async (ctx) => {
      const [database, engine] = await Promise.all([services.isDatabaseReady(), zeebeUp()]);
      const draining = services.lifecycle.draining;
      const ready = database && !draining && (engine || services.role !== 'workers');
      ctx.status = ready ? 200 : 503;
      ctx.body = {
        status: draining ? 'draining' : ready ? 'ready' : 'not ready',
        role: services.role,
        database,
        engine,
        dependencies: { database: database ? 'up' : 'down', zeebe: engine ? 'up' : 'down' },
      };
    },
  });
  route({
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics of this process (text format)',
    tags: ['operations'],
    auth: 'public',
    responses: { 200: file('Prometheus text exposition format', 'text/plain; version=0.0.4') },
    handler: async (ctx) => {
      const { contentType, body } = await services.metrics.text();
      ctx.type = contentType;
      ctx.body = body;
    },
  });
  if (openApi) openApiRoute(route, services, openApi);
  return router;
}

function openApiRoute(route: ReturnType<typeof routeDeclarer>, services: Services, openApi: OpenApiSource): void {
  let document: { revision: number; value: object } | undefined;
  route({
    method: 'get',
    path: '/api/openapi.json',
    summary: 'This description (OpenAPI 3.1), generated from the route declarations and the current start forms',
    tags: ['operations'],
    auth: 'public',
    responses: { 200: z.record(z.unknown()).describe('an OpenAPI 3.1 document') },
    handler: (ctx) => {
      const revision = services.catalogue.revision;
      if (document?.revision !== revision) document = { revision, value: openApi.build() };
      ctx.body = document.value;
    },
  });
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Outermost middleware: the request id (a sane incoming X-Request-Id, else a new one), one JSON
 * log line and a latency observation per request, labelled by route template (never the raw URL:
 * no query strings, no tokens), and `Connection: close` while draining so keep-alive clients
 * reconnect elsewhere.
 */
export function accessLog(services: Pick<Services, 'metrics' | 'lifecycle'>, log: Logger) {
  return async (ctx: Context, next: Next) => {
    const started = performance.now();
    const incoming = ctx.get('x-request-id');
    const requestId = REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
    ctx.set('X-Request-Id', requestId);
    try {
      await next();
    } finally {
      if (services.lifecycle.draining) ctx.set('Connection', 'close');
      const ms = performance.now() - started;
      const route = routeTemplate(ctx);
      services.metrics.httpRequestDuration.observe({ method: ctx.method, route, status: String(ctx.status) }, ms / 1000);
      log.info({ requestId, method: ctx.method, route, status: ctx.status, ms: Math.round(ms * 10) / 10 }, 'request');
    }
  };
}

/** koa-router's matched template (`/api/cases/:reference`); else a fixed label, so labels stay few. */
function routeTemplate(ctx: Context): string {
  const matched = (ctx as Context & { _matchedRoute?: string | RegExp })._matchedRoute;
  if (typeof matched === 'string') return matched;
  if (ctx.path.startsWith('/idp')) return '/idp';
  if (ctx.path.startsWith('/portal')) return '/portal (static)';
  return ctx.path.startsWith('/api') ? 'unmatched' : '/ (static)';
}

/** ROLE=workers: the probes and metrics on OPS_PORT, nothing else. */
export function opsApp(services: Services, log: Logger): Koa {
  const app = new Koa();
  app.silent = true;
  app.use(accessLog(services, log));
  app.use(errorHandler(log));
  const router = operationsRoutes(services);
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}

/**
 * Stops accepting connections and lets the requests in flight finish until `deadline` (epoch ms):
 * idle keep-alive connections close now, busy ones after their answer (accessLog adds
 * `Connection: close`); whatever is still open at the deadline is cut.
 */
export async function closeGracefully(server: Server, deadline: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timeLeft = new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())).unref());
  await Promise.race([closed, timeLeft]);
  server.closeAllConnections();
}
