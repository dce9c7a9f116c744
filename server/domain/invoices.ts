/**
 * Invoices issued by the workers (invoice-create): marking one paid. Staff: admins only, and only
 * within their organisations (an admin without organisations has all rights); demo mode also
 * offers an unauthenticated endpoint for demonstrations. Both write a timeline event.
 */
import type { Repositories } from '../repositories';
import type { User } from '../repositories/users';
import { nowIso } from '../db/database';
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
    const row = await this.repos.db('invoices').join('cases', 'cases.id', 'invoices.case_id').where('invoices.id', id).select('invoices.*', 'cases.reference as case_reference', 'cases.organisation_id as organisation_id').first();
    return row ? { row, organisationId: row.organisation_id as string } : undefined;
  }

  private async markPaid(found: { row: any }, actor: string): Promise<InvoiceDto> {
    const { row } = found;
    if (row.status !== 'paid') {
      await this.repos.db.transaction(async (trx) => {
        const changed = await trx('invoices').where({ id: row.id, status: 'open' }).update({ status: 'paid', paid_at: nowIso(), paid_by: actor });
        if (changed === 1) {
          await this.repos.timeline.append(
            { caseId: row.case_id, type: 'invoice.paid', actor, label: `Rechnung über CHF ${(row.amount_cents / 100).toFixed(2)} bezahlt`, public: true, details: { invoiceId: row.id } },
            trx,
          );
        }
      });
    }
    const fresh = await this.repos.db('invoices').where({ id: row.id }).first();
    return {
      id: fresh.id,
      caseReference: row.case_reference,
      amount: fresh.amount_cents / 100,
      currency: 'CHF',
      description: fresh.description,
      status: fresh.status,
      createdAt: fresh.created_at,
      paidAt: fresh.paid_at,
    };
  }
}
