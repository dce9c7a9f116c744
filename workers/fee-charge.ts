/**
 * Job type `fee-charge`: charges the configured fee of the service in the municipality once per
 * issued document: the residence certificate is one PDF whatever the number of copies asked for
 * (issue 16; the fee per copy charged for copies never issued). No fee configured → nothing is charged.
 */
import type { WorkerHandler } from './ports.js';
import { readCase } from './job-input.js';
import { serviceNameOf } from '../model/case-text.js';

export const feeCharge: WorkerHandler = async (job, ports) => {
  const vars = readCase(job);
  const fee = await ports.fees.feeFor(vars.serviceKey, vars.municipality);
  if (!fee) return { variables: { feeCents: 0 } };

  const feeCents = fee.amountCents;
  if (feeCents <= 0) return { variables: { feeCents: 0 } };

  const org = await ports.organisations.forCase(vars.reference);
  const service = serviceNameOf(vars) ?? vars.serviceKey;
  const description = `Gebühr ${service}, ${org.name} (Referenz ${vars.reference})`;

  const invoice = await ports.fees.charge({
    caseReference: vars.reference,
    jobKey: job.key,
    amountCents: feeCents,
    description,
  });
  return { variables: { feeCents, invoiceId: invoice.id } };
};

export default feeCharge;
