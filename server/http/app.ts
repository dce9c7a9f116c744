/** The koa application: middleware and the route modules. */
import Koa from 'koa';
import Router from '@koa/router';
import type { Logger } from 'pino';
import type { Services } from '../services';
import { errorHandler } from './middleware';
import { publicRoutes } from './routes-public';
import { staffRoutes } from './routes-staff';

export function createApp(services: Services, opts: { log: Logger; maxJsonBytes: number; secureCookies: boolean }): Koa {
  const app = new Koa();
  app.proxy = false;
  app.silent = true; // errors are logged by errorHandler
  app.use(errorHandler(opts.log));

  const health = new Router();
  health.get('/api/health', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  health.get('/api/ready', async (ctx) => {
    const [database, engine] = await Promise.all([services.isDatabaseReady(), services.engine.isReady()]);
    ctx.status = database && engine ? 200 : 503;
    ctx.body = { status: ctx.status === 200 ? 'ready' : 'not ready', database, engine };
  });

  for (const router of [health, publicRoutes(services, opts.maxJsonBytes), staffRoutes(services, opts)]) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  return app;
}
