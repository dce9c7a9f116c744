/**
 * All job workers by job type. The worker runtime (server/engine) subscribes one Zeebe worker per
 * entry and passes the real ports.
 */
import type { WorkerHandler } from './ports.js';
import { registerLookup } from './register-lookup.js';
import { certificateGenerate } from './certificate-generate.js';
import { decisionLetter } from './decision-letter.js';
import { feeCharge } from './fee-charge.js';
import { notifyApplicant } from './notify-applicant.js';
import { caseStatus } from './case-status.js';
import { requestInformation } from './request-information.js';
import { escalateToTeamlead } from './escalate-to-teamlead.js';
import { invoiceCreate } from './invoice-create.js';
import { documentIssue } from './document-issue.js';
import { dogRegistrationCheck, dogTaxAssess } from './hundeanmeldung.js';
import { moveAssess, registerMove } from './umzug.js';
import { parkingAssess } from './anwohnerparkkarte.js';
import { taxExtensionAssess } from './fristerstreckung-steuern.js';
import { debtExtractAssess } from './betreibungsregisterauszug.js';
import { addressInformationIssue, addressInquiryAssess } from './adressauskunft.js';
import { dataLockAssess, dataLockRecord } from './datensperre.js';

export const workers: Record<string, WorkerHandler> = {
  'register-lookup': registerLookup,
  'certificate-generate': certificateGenerate,
  'decision-letter': decisionLetter,
  'fee-charge': feeCharge,
  'notify-applicant': notifyApplicant,
  'case-status': caseStatus,
  'request-information': requestInformation,
  'escalate-to-teamlead': escalateToTeamlead,
  'invoice-create': invoiceCreate,
  'document-issue': documentIssue,
  'dog-registration-check': dogRegistrationCheck,
  'dog-tax-assess': dogTaxAssess,
  'move-assess': moveAssess,
  'register-move': registerMove,
  'parking-assess': parkingAssess,
  'tax-extension-assess': taxExtensionAssess,
  'debt-extract-assess': debtExtractAssess,
  'address-inquiry-assess': addressInquiryAssess,
  'address-information-issue': addressInformationIssue,
  'data-lock-assess': dataLockAssess,
  'data-lock-record': dataLockRecord,
};
