/** Text taken from the case variables: people's and services' names as letters and e-mails show them. */
import type { Applicant, CaseVariables } from './types.js';

/** Optional non-empty text variable. */
export function optionalText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const t = value.trim();
  return t === '' ? undefined : t;
}

/**
 * The reason of a negative decision: `decisionReason`, which every decision form requires when
 * the clerk declines (DESIGN.md §9: a rejection carries reasons), else the clerk's older free
 * `comment` (instances started before the decision forms asked for a reason), else the reason an
 * automatic check declined with (`declineReason`, the message of its BPMN error, e.g. "Die
 * verlangte Frist liegt in der Vergangenheit").
 */
export function decisionReasonOf(vars: Record<string, unknown>): string | undefined {
  return optionalText(vars.decisionReason) ?? optionalText(vars.comment) ?? optionalText(vars.declineReason);
}

const KNOWN_SERVICE_NAMES: Record<string, string> = {
  wohnsitzbestaetigung: 'Wohnsitzbestätigung',
};

/** Citizen-facing service name: the `serviceName` variable, else a known name, else undefined. */
export function serviceNameOf(vars: CaseVariables): string | undefined {
  return optionalText(vars.serviceName) ?? KNOWN_SERVICE_NAMES[vars.serviceKey];
}

export function fullName(a: Pick<Applicant, 'firstName' | 'lastName'>): string {
  return `${a.firstName.trim()} ${a.lastName.trim()}`;
}

/** Same first and last name (case and spacing ignored) and the same birth date. */
export function samePerson(a: Pick<Applicant, 'firstName' | 'lastName' | 'dateOfBirth'>, b: Pick<Applicant, 'firstName' | 'lastName' | 'dateOfBirth'>): boolean {
  const name = (s: string) => s.trim().replace(/\s+/g, ' ').toLocaleLowerCase('de-CH');
  return a.dateOfBirth === b.dateOfBirth && name(a.firstName) === name(b.firstName) && name(a.lastName) === name(b.lastName);
}
