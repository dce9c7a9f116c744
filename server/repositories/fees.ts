import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { Db } from '../db/database';
import { nowIso } from '../db/database';

export interface Invoice {
  id: string;
  caseId: number;
  amountCents: number;
  currency: 'CHF';
  description: string;
  status: 'open' | 'paid';
  createdAt: string;
  paidAt: string | null;
}

export class FeeRepository {
  constructor(private readonly db: Db) {}

  async municipalityFee(serviceKey: string, bfsNumber: number): Promise<{ amountCents: number; isDemo: boolean } | undefined> {
    const row = await this.db('service_fees').where({ service_key: serviceKey, bfs_number: bfsNumber }).first();
    return row ? { amountCents: row.amount_cents, isDemo: Boolean(row.is_demo) } : undefined;
  }

  async setMunicipalityFee(serviceKey: string, bfsNumber: number, amountCents: number, isDemo: boolean): Promise<void> {
    await this.db('service_fees').insert({ service_key: serviceKey, bfs_number: bfsNumber, amount_cents: amountCents, is_demo: isDemo }).onConflict(['service_key', 'bfs_number']).merge();
  }

  /** Idempotent per job key. */
  async createInvoice(inv: { caseId: number; jobKey: string; amountCents: number; description: string }): Promise<Invoice> {
    await this.db('invoices')
      .insert({
        id: crypto.randomUUID(),
        case_id: inv.caseId,
        job_key: inv.jobKey,
        amount_cents: inv.amountCents,
        currency: 'CHF',
        description: inv.description,
        status: 'open',
        created_at: nowIso(),
      })
      .onConflict('job_key')
      .ignore();
    return toInvoice(await this.db('invoices').where({ job_key: inv.jobKey }).first());
  }

  async getInvoice(id: string): Promise<Invoice | undefined> {
    const row = await this.db('invoices').where({ id }).first();
    return row ? toInvoice(row) : undefined;
  }

  /** An invoice with its case's reference and organisation (who may see and mark it). */
  async invoiceWithCase(id: string): Promise<(Invoice & { caseReference: string; organisationId: string }) | undefined> {
    const row = await this.db('invoices')
      .join('cases', 'cases.id', 'invoices.case_id')
      .where('invoices.id', id)
      .select('invoices.*', 'cases.reference as case_reference', 'cases.organisation_id as organisation_id')
      .first();
    return row ? { ...toInvoice(row), caseReference: row.case_reference, organisationId: row.organisation_id } : undefined;
  }

  /** Marks an open invoice paid; false when it was not open (paid meanwhile). */
  async markInvoicePaid(id: string, actor: string, trx: Knex.Transaction): Promise<boolean> {
    const changed = await trx('invoices').where({ id, status: 'open' }).update({ status: 'paid', paid_at: nowIso(), paid_by: actor });
    return changed === 1;
  }

  async forCase(caseId: number): Promise<Invoice[]> {
    const rows = await this.db('invoices').where({ case_id: caseId }).orderBy('created_at');
    return rows.map(toInvoice);
  }
}

function toInvoice(row: any): Invoice {
  return {
    id: row.id,
    caseId: row.case_id,
    amountCents: row.amount_cents,
    currency: 'CHF',
    description: row.description,
    status: row.status,
    createdAt: row.created_at,
    paidAt: row.paid_at,
  };
}
