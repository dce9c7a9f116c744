/**
 * Invoices: `POST /api/invoices/:id/paid` (staff, admin role) and, in demo mode only,
 * `POST /api/demo/invoices/:id/paid` (no authentication: for demonstrations of the fee status).
 */
import Router from '@koa/router';
import type { Services } from '../services';
import { InvoiceService } from '../domain/invoices';
import { currentUser, requireAudience } from './middleware';
import { authorizeAdmin } from '../domain/access';
import { routeDeclarer } from './route';
import { invoiceSchema } from './schemas';

export function invoiceRoutes(services: Services, opts: { demoMode?: boolean }): Router {
  const router = new Router({ prefix: '/api' });
  const route = routeDeclarer(router, { maxJsonBytes: 0, guards: { admin: requireAudience(services.auth, authorizeAdmin), demo: [] } });
  const invoices = new InvoiceService(services.repos);

  route({
    method: 'post',
    path: '/invoices/:id/paid',
    summary: 'Mark an invoice paid (role admin)',
    tags: ['staff'],
    auth: 'admin',
    responses: { 200: invoiceSchema },
    errors: [403, 404, 409],
    handler: async (ctx) => {
      ctx.body = await invoices.markPaidByStaff(currentUser(ctx), ctx.params.id!);
    },
  });

  if (opts.demoMode) {
    route({
      method: 'post',
      path: '/demo/invoices/:id/paid',
      summary: 'Demo mode only: mark an invoice paid without signing in',
      tags: ['demo'],
      auth: 'demo',
      responses: { 200: invoiceSchema },
      errors: [404, 409],
      handler: async (ctx) => {
        ctx.body = await invoices.markPaidForDemo(ctx.params.id!);
      },
    });
  }
  return router;
}
