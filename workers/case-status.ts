/**
 * Job type `case-status`: sets the citizen-facing case status (headers `status`, `label`; or
 * `labelVariable`: the name of a process variable holding the label, e.g. a date-dependent text).
 */
import type { WorkerHandler } from './ports.js';
import type { CaseStatus } from '../model/types.js';
import { readReference } from './job-input.js';

export const CASE_STATUSES: readonly CaseStatus[] = ['received', 'in_progress', 'waiting_for_applicant', 'completed', 'rejected', 'withdrawn'];

/** Used when the BPMN gives no `label` header. */
export const DEFAULT_STATUS_LABELS: Record<CaseStatus, string> = {
  received: 'Gesuch eingegangen',
  in_progress: 'In Bearbeitung',
  waiting_for_applicant: 'Warten auf Ihre Angaben',
  completed: 'Erledigt',
  rejected: 'Abgelehnt',
  withdrawn: 'Zurückgezogen',
};

export function isCaseStatus(value: unknown): value is CaseStatus {
  return typeof value === 'string' && (CASE_STATUSES as readonly string[]).includes(value);
}

export const caseStatus: WorkerHandler = async (job, ports) => {
  const status = job.headers.status;
  if (!isCaseStatus(status)) {
    throw new Error(`case-status: invalid status header ${JSON.stringify(status)}`);
  }
  const fromVariable = job.headers.labelVariable ? (job.variables as Record<string, unknown> | undefined)?.[job.headers.labelVariable] : undefined;
  const label = (typeof fromVariable === 'string' ? fromVariable.trim() : '') || job.headers.label?.trim() || DEFAULT_STATUS_LABELS[status];
  const reference = readReference(job);
  await ports.cases.setStatus(reference, status, label);
  return {};
};

export default caseStatus;
