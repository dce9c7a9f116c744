/**
 * Job type `invoice-create`: charges the fee in variable `feeCents` (set by the service's rule
 * worker; 0 or absent: nothing is charged) and issues the invoice as a PDF with a Swiss QR-bill.
 * Creditor: the organisation responsible for the case, with its (possibly demo) IBAN.
 * Idempotent per job: a retry returns the first invoice and document.
 */
import type { WorkerHandler } from './ports.js';
import { readCase } from './job-input.js';
import { fullName, optionalText, serviceNameOf } from '../model/case-text.js';
import { renderQrInvoice } from './lib/qr-invoice.js';
import { storePdf } from './pdf.js';
import { sealOf } from './lib/sealed-pdf.js';

export const invoiceCreate: WorkerHandler = async (job, ports) => {
  const vars = readCase(job);
  const feeCents = typeof vars.feeCents === 'number' && Number.isInteger(vars.feeCents) ? vars.feeCents : 0;
  if (feeCents <= 0) return { variables: { invoicedCents: 0 } };

  const org = await ports.organisations.forCase(vars.reference);
  if (!org.iban || !org.address) throw new Error(`organisation ${org.id} has no IBAN or postal address for invoices`);
  const service = serviceNameOf(vars) ?? vars.serviceKey;
  const description = `${service}: ${optionalText(vars.feeLabel) ?? 'Gebühr'}`;

  const { pdf, reference } = await renderQrInvoice({
    creditor: { ...org, iban: org.iban, address: org.address },
    debtor: { name: fullName(vars.applicant), address: vars.applicant.address },
    amountCents: feeCents,
    caseReference: vars.reference,
    description,
    createdAt: ports.clock.now(),
    seal: await sealOf(ports, org),
  });
  const doc = await storePdf(ports, job, vars.reference, 'invoice', `Rechnung-${vars.reference}.pdf`, pdf);
  const invoice = await ports.fees.charge({
    caseReference: vars.reference,
    jobKey: job.key,
    amountCents: feeCents,
    description: `${description} (Referenz ${vars.reference})`.slice(0, 300),
  });
  return { variables: { invoicedCents: feeCents, invoiceId: invoice.id, invoiceDocumentId: doc.id, paymentReference: reference } };
};

export default invoiceCreate;
