/** Text taken from the case variables: people's and services' names as letters and e-mails show them. */
import type { Applicant, CaseVariables } from './types.js';

/** Optional non-empty text variable. */
export function optionalText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const t = value.trim();
  return t === '' ? undefined : t;
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
