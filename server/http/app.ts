/** The koa application: middleware and the route modules. */
import Koa from 'koa';
import Router from '@koa/router';
import type { Logger } from 'pino';
import type { Config } from '../config/config';
import type { Services } from '../services';
import type { HttpOptions } from './http-options';
import { errorHandler } from './middleware';
import { apiSecurityHeaders } from './security-headers';
import { buildOpenApi } from './openapi';
import { declaredRoutes } from './route';
import { accessLog, operationsRoutes } from './operations';
import { publicRoutes } from './routes-public';
import { citizenRoutes } from './routes-citizen';
import { staffRoutes } from './routes-staff';
import { staffSsoRoutes } from './routes-staff-sso';
import { invoiceRoutes } from './routes-invoices';
import { backofficeRoutes } from './routes-backoffice';
import { processRoutes } from './routes-processes';
import { incidentRoutes } from './routes-incidents';
import { adminRoutes } from './routes-admin';
import { administrationRoutes } from './routes-administration';
import { absenceRoutes } from './routes-absences';
import { backofficeStatic } from './static-backoffice';
import { portalStatic } from './static-portal';

export type { HttpOptions } from './http-options';

export function httpOptions(config: Config, log: Logger): HttpOptions {
  return {
    log,
    maxJsonBytes: config.MAX_JSON_BYTES,
    secureCookies: config.publicBaseUrl.startsWith('https:'),
    trustProxy: config.TRUST_PROXY,
    uploadLimits: { maxTotalBytes: config.MAX_UPLOAD_BYTES, maxFileBytes: config.MAX_FILE_BYTES, maxFiles: config.MAX_FILES },
    rateLimits: { publicPerMinute: config.PUBLIC_RATE_LIMIT_PER_MINUTE, submissionsPerMinute: config.SUBMISSION_RATE_LIMIT_PER_MINUTE },
    portalClients: { issuer: config.portalTokenIssuer, audience: config.portalTokenAudience, rateLimitPerMinute: config.PORTAL_CLIENT_RATE_LIMIT_PER_MINUTE },
    demoMode: config.DEMO_MODE,
  };
}

/** Every API router, and the OpenAPI document generated from their route declarations. */
export function apiRouters(services: Services, opts: HttpOptions): { routers: Router[]; openApi: object } {
  const openApi = { build: () => buildOpenApi(routers.flatMap(declaredRoutes)) };
  const routers: Router[] = [
    operationsRoutes(services, openApi),
    publicRoutes(services, opts),
    citizenRoutes(services, opts),
    staffRoutes(services, opts),
    staffSsoRoutes(services, opts),
    backofficeRoutes(services, opts),
    invoiceRoutes(services, opts),
    processRoutes(services, opts),
    incidentRoutes(services, opts),
    adminRoutes(services, opts),
    administrationRoutes(services, opts),
    absenceRoutes(services, opts),
  ];
  return { routers, openApi: openApi.build() };
}

export function createApp(services: Services, opts: HttpOptions): Koa {
  const app = new Koa();
  app.proxy = opts.trustProxy;
  app.silent = true; // errors are logged by errorHandler
  app.use(accessLog(services, opts.log));
  app.use(errorHandler(opts.log));
  app.use(apiSecurityHeaders);
  // the demo OpenID provider at /idp (only built in demo mode)
  if (services.idp) app.use(services.idp.middleware);

  for (const router of apiRouters(services, opts).routers) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  // the residents' portal (portal/dist) at /portal/, before the back office's catch-all fallback
  app.use(portalStatic());
  // the back office single-page app (backoffice/dist) for every other GET outside /api
  app.use(backofficeStatic());
  return app;
}
