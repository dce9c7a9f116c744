/** The koa application: middleware and the route modules. */
import Koa from 'koa';
import Router from '@koa/router';
import type { Logger } from 'pino';
import type { Config } from '../config/config';
import type { Services } from '../services';
import type { UploadLimits } from './multipart';
import { errorHandler } from './middleware';
import { buildOpenApi } from './openapi';
import { publicRoutes } from './routes-public';
import { citizenRoutes } from './routes-citizen';
import { staffRoutes } from './routes-staff';
import { invoiceRoutes } from './routes-invoices';
import { backofficeRoutes } from './routes-backoffice';
import { processRoutes } from './routes-processes';
import { adminRoutes } from './routes-admin';
import { backofficeStatic } from './static-backoffice';
import { portalStatic } from './static-portal';

export interface HttpOptions {
  log: Logger;
  maxJsonBytes: number;
  secureCookies: boolean;
  /** citizen session cookies are Secure when PUBLIC_BASE_URL is https */
  secureCitizenCookies: boolean;
  trustProxy: boolean;
  uploadLimits: UploadLimits;
  rateLimits: { publicPerMinute: number; submissionsPerMinute: number };
  /** portal clients' bearer tokens (issuer undefined: none accepted) and their default limit per client */
  portalClients: { issuer: string | undefined; audience: string; rateLimitPerMinute: number };
  /** demo mode: registers demo-only endpoints (e.g. marking an invoice paid) */
  demoMode?: boolean;
}

export function httpOptions(config: Config, log: Logger): HttpOptions {
  return {
    log,
    maxJsonBytes: config.MAX_JSON_BYTES,
    secureCookies: config.NODE_ENV === 'production',
    secureCitizenCookies: config.publicBaseUrl.startsWith('https:'),
    trustProxy: config.TRUST_PROXY,
    uploadLimits: { maxTotalBytes: config.MAX_UPLOAD_BYTES, maxFileBytes: config.MAX_FILE_BYTES, maxFiles: config.MAX_FILES },
    rateLimits: { publicPerMinute: config.PUBLIC_RATE_LIMIT_PER_MINUTE, submissionsPerMinute: config.SUBMISSION_RATE_LIMIT_PER_MINUTE },
    portalClients: { issuer: config.portalTokenIssuer, audience: config.portalTokenAudience, rateLimitPerMinute: config.PORTAL_CLIENT_RATE_LIMIT_PER_MINUTE },
    demoMode: config.DEMO_MODE,
  };
}

export function createApp(services: Services, opts: HttpOptions): Koa {
  const app = new Koa();
  app.proxy = opts.trustProxy;
  app.silent = true; // errors are logged by errorHandler
  app.use(errorHandler(opts.log));
  // the demo OpenID provider at /idp (only built in demo mode)
  if (services.idp) app.use(services.idp.middleware);

  const health = new Router();
  health.get('/api/health', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  const openApi = buildOpenApi(services.catalogue);
  health.get('/api/openapi.json', (ctx) => {
    ctx.body = openApi;
  });
  health.get('/api/ready', async (ctx) => {
    const [database, engine] = await Promise.all([services.isDatabaseReady(), services.engine.isReady()]);
    ctx.status = database && engine ? 200 : 503;
    ctx.body = { status: ctx.status === 200 ? 'ready' : 'not ready', database, engine };
  });

  for (const router of [health, publicRoutes(services, opts), citizenRoutes(services, opts), staffRoutes(services, opts), backofficeRoutes(services, opts), invoiceRoutes(services, opts), processRoutes(services), adminRoutes(services, opts)]) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  // the residents' portal (portal/dist) at /portal/, before the back office's catch-all fallback
  app.use(portalStatic());
  // the back office single-page app (backoffice/dist) for every other GET outside /api
  app.use(backofficeStatic());
  return app;
}
