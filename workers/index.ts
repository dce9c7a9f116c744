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

export const workers: Record<string, WorkerHandler> = {
  'register-lookup': registerLookup,
  'certificate-generate': certificateGenerate,
  'decision-letter': decisionLetter,
  'fee-charge': feeCharge,
  'notify-applicant': notifyApplicant,
  'case-status': caseStatus,
};

export type { WorkerHandler, WorkerPorts, JobInput, WorkerResult } from './ports.js';
export { BusinessError } from './ports.js';
