/**
 * Invoices issued by the workers (invoice-create): marking one paid. Staff: admins only, and only
 * within their organisations (an admin without organisations has all rights); demo mode also
 * offers an unauthenticated endpoint for demonstrations. Both write a timeline event.
 */
import type { Repositories } from '../repositories';
import type { Invoice } from '../repositories/fees';
import type { User } from '../repositories/users';
import { isAdmin } from './auth';
import { forbidden, notFound } from './errors';

export interface InvoiceDto {
  id: string;
  caseReference: string;
  amount: number;
  currency: 'CHF';
  description: string;
  status: 'open' | 'paid';
  createdAt: string;
  paidAt: string | null;
}

export class InvoiceService {
  constructor(private readonly repos: Repositories) {}

  /** Admin action; 403 for other roles, 404 for an invoice outside the admin's organisations. */
  async markPaidByStaff(user: User, id: string): Promise<InvoiceDto> {
    if (!isAdmin(user)) throw forbidden('Nur Administratorinnen und Administratoren können Rechnungen als bezahlt markieren');
    const found = await this.find(id);
    if (!found || (user.organisations.length > 0 && !user.organisations.includes(found.organisationId))) throw notFound('Rechnung nicht gefunden');
    return this.markPaid(found, user.username);
  }

  /** Demo mode only (the route exists only then). */
  async markPaidForDemo(id: string): Promise<InvoiceDto> {
    const found = await this.find(id);
    if (!found) throw notFound('Rechnung nicht gefunden');
    return this.markPaid(found, 'demo');
  }

  private async find(id: string) {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    return this.repos.fees.invoiceWithCase(id);
  }

  private async markPaid(invoice: Invoice & { caseReference: string }, actor: string): Promise<InvoiceDto> {
    if (invoice.status !== 'paid') {
      await this.repos.transaction(async (trx) => {
        if (await this.repos.fees.markInvoicePaid(invoice.id, actor, trx)) {
          await this.repos.timeline.append(
            { caseId: invoice.caseId, type: 'invoice.paid', actor, label: `Rechnung über CHF ${(invoice.amountCents / 100).toFixed(2)} bezahlt`, public: true, details: { invoiceId: invoice.id } },
            trx,
          );
        }
      });
    }
    const fresh = (await this.repos.fees.getInvoice(invoice.id))!;
    return {
      id: fresh.id,
      caseReference: invoice.caseReference,
      amount: fresh.amountCents / 100,
      currency: 'CHF',
      description: fresh.description,
      status: fresh.status,
      createdAt: fresh.createdAt,
      paidAt: fresh.paidAt,
    };
  }
}
