/**
 * Deadline extensions for the tax return, canton of Lucerne (Steuerbuch Band 2, "Frist zur
 * Einreichung der Steuererklärung", https://steuerbuch.lu.ch/band2/verfahren/frist_zur_einreichung_der_steuererklaerung):
 * - most taxpayers: an extension of one to at most two months suffices (the return for tax year Y
 *   is due on 31 March of Y+1, so up to 31 May);
 * - the self-employed and taxpayers with a professional representative: general deadline 31 August;
 *   "Auf Fristgesuche, die nach dem 31. August eingereicht werden, kann formell nicht eingetreten werden";
 * - "Fristen über das Jahresende dürfen nur aufgrund einer schriftlichen und begründeten
 *   Stellungnahme gewährt werden": beyond 31 December of Y+1 only with a reason, decided by a person.
 * Pure rules, shared by the worker, the decision letter and the e-mail.
 */

export interface ExtensionRequest {
  taxYear: number;
  requestedUntil: string;
  selfEmployed: boolean;
  represented: boolean;
  reason?: string;
  /** the day the request was made (Zurich calendar date) */
  today: string;
}

export interface ExtensionRule {
  standardDeadline: string;
  /** what the rules grant without a person: 31 May, or 31 August for the self-employed and represented */
  routineLimit: string;
  /** the latest date a person may grant without a written reason: 31 December of Y+1 */
  yearEnd: string;
  autoGrant: boolean;
  /** why the request is declined without a person, or null */
  declined: string | null;
}

export function extensionRule(input: ExtensionRequest): ExtensionRule {
  const next = input.taxYear + 1;
  const standardDeadline = `${next}-03-31`;
  const routineLimit = input.selfEmployed || input.represented ? `${next}-08-31` : `${next}-05-31`;
  const yearEnd = `${next}-12-31`;
  const declined = declineReason(input, next, standardDeadline, yearEnd);
  const autoGrant = declined === null && input.requestedUntil <= routineLimit;
  return { standardDeadline, routineLimit, yearEnd, autoGrant, declined };
}

function declineReason(input: ExtensionRequest, next: number, standardDeadline: string, yearEnd: string): string | null {
  const thisYear = Number(input.today.slice(0, 4));
  // the return for year Y is filed in Y+1: a later tax year has no return yet (2029 would be due in 2030)
  if (input.taxYear > thisYear) return `Für das Steuerjahr ${input.taxYear} gibt es noch keine Steuererklärung; eine Fristerstreckung ist nicht möglich.`;
  if (input.requestedUntil < input.today) return 'Das verlangte Datum liegt in der Vergangenheit.';
  if (input.requestedUntil <= standardDeadline) return `Die ordentliche Frist läuft ohnehin bis am ${ch(standardDeadline)}; es braucht keine Erstreckung.`;
  if (input.today > `${next}-08-31`) return `Auf Fristgesuche, die nach dem 31. August ${next} eingereicht werden, kann nicht eingetreten werden (Steuerbuch Luzern, Band 2).`;
  if (input.requestedUntil > yearEnd && !input.reason?.trim()) return `Eine Frist über den ${ch(yearEnd)} hinaus setzt eine schriftliche Begründung voraus.`;
  return null;
}

/**
 * The deadline a granted extension gives: what a person granted (or what was asked for), never
 * earlier than what the rules grant anyway, so a clerk's approval cannot shorten the deadline the
 * taxpayer already has (`routineLimit`).
 */
export function grantedDeadline(vars: Record<string, unknown>): string | undefined {
  const granted = [vars.grantedUntil, vars.requestedUntil].find((v): v is string => typeof v === 'string' && v !== '');
  const floor = typeof vars.routineLimit === 'string' ? vars.routineLimit : undefined;
  if (!granted) return floor;
  return floor && floor > granted ? floor : granted;
}

const ch = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
