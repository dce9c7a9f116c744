/**
 * Debt-register extract (`betreibungsregisterauszug`): CHF 18 delivered electronically (GebV
 * SchKG). `debt-extract-assess`: an own extract is issued automatically when the applicant's
 * identity matches the resident register; a third party's request needs a person to check the
 * interest shown (and a request without the person concerned raises INVALID_REQUEST).
 */
import { BusinessError, type WorkerHandler } from './ports.js';
import { readCase } from './job-input.js';
import { lookupApplicant } from './register-lookup.js';
import { text } from './lib/case-data.js';
import { debtExtractFeeCents } from './lib/fees.js';

export const debtExtractAssess: WorkerHandler = async (job, ports) => {
  const vars = readCase(job);
  const thirdParty = text(vars.data, 'requestType') === 'third_party';
  if (thirdParty) {
    const missing = ['subjectFirstName', 'subjectLastName', 'subjectDateOfBirth', 'interestReason'].filter((k) => !text(vars.data, k));
    if (missing.length > 0) {
      throw new BusinessError('INVALID_REQUEST', `Für einen Auszug über eine andere Person fehlen Angaben: ${missing.join(', ')}.`);
    }
  }
  const identityConfirmed = !thirdParty && (await lookupApplicant(vars, ports)).result === 'found';
  return {
    variables: {
      thirdParty,
      identityConfirmed,
      autoIssue: identityConfirmed,
      feeCents: debtExtractFeeCents(true),
      feeLabel: 'Betreibungsregisterauszug, elektronisch',
    },
  };
};
