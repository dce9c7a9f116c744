/**
 * Invoices: `POST /api/invoices/:id/paid` (staff, admin role) and, in demo mode only,
 * `POST /api/demo/invoices/:id/paid` (no authentication: for demonstrations of the fee status).
 */
import Router from '@koa/router';
import type { Services } from '../services';
import { InvoiceService } from '../domain/invoices';
import { currentUser, requireStaff } from './middleware';

export function invoiceRoutes(services: Services, opts: { demoMode?: boolean }): Router {
  const router = new Router({ prefix: '/api' });
  const invoices = new InvoiceService(services.repos);

  router.post('/invoices/:id/paid', requireStaff(services.auth), async (ctx) => {
    ctx.body = await invoices.markPaidByStaff(currentUser(ctx), ctx.params.id!);
  });

  if (opts.demoMode) {
    router.post('/demo/invoices/:id/paid', async (ctx) => {
      ctx.body = await invoices.markPaidForDemo(ctx.params.id!);
    });
  }
  return router;
}
