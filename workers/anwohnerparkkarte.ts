/**
 * Residents' parking permit (`anwohnerparkkarte`), Stadt Luzern only (else the BPMN error
 * NOT_OFFERED). `parking-assess` checks the main residence in the register and computes the fee
 * (CHF 60 a month, CHF 600 a year); a company car (proof needed) or a person not found with
 * main residence goes to a human check.
 */
import { BusinessError, type WorkerHandler, type WorkerPorts } from './ports.js';
import type { CaseVariables } from '../model/types.js';
import { todayIso } from '../model/dates.js';
import { readCase } from './job-input.js';
import { lookupApplicant } from './register-lookup.js';
import { integer, text } from './lib/case-data.js';
import { addMonths, parkingFeeCents } from './lib/fees.js';

export const PARKING_MUNICIPALITY = 1061;

/**
 * A permit is for a car "auf ihren Namen und ihre Adresse eingelöst" (Parkkartenreglement Stadt
 * Luzern, Art. 3 Abs. 1, quoted on stadtluzern.ch): a plate of another canton means the car is not
 * registered at a Lucerne address, so a person checks it instead of an automatic permit.
 */
export function plateCanton(plate: string | undefined): string | undefined {
  return /^\s*([A-Za-z]{2})\b/.exec(plate ?? '')?.[1]?.toUpperCase();
}

/**
 * "Personen mit Hauptwohnsitz in den Zonen A–U erhalten für maximal einen auf ihren Namen und ihre
 * Adresse eingelösten leichten Motorwagen eine Parkkarte" (Art. 3 Abs. 1; Abs. 2 the same for one
 * company car) and "in den Zonen A-U kann immer nur eine Parkbewilligung für ein Fahrzeug pro
 * Person gelöst werden" (stadtluzern.ch, Fragen zum Dauerparkieren). A request whose period
 * overlaps a standing permit of the same kind of the same person goes to a person (a new car is
 * a legitimate reason for a new permit; a second car is not).
 */
async function overlappingPermits(vars: CaseVariables, period: PermitPeriod, holder: string, ports: WorkerPorts): Promise<string[]> {
  const others = await ports.earlierCases.ofApplicant({ serviceKey: vars.serviceKey, exceptReference: vars.reference, applicant: vars.applicant });
  return others
    .filter((c) => (text(c.data, 'vehicleHolder') ?? 'own') === holder)
    .filter((c) => {
      const other = permitPeriod(c.data, c.submittedOn);
      return other.from < period.end && other.end > period.from;
    })
    .map((c) => c.reference);
}

/** A permit's period: from `validFrom` (without one, from `startIfNone`) for `months` (default 12); `end` is the first day after it. */
export interface PermitPeriod {
  months: number;
  from: string;
  end: string;
}

export function permitPeriod(data: Record<string, unknown>, startIfNone: string): PermitPeriod {
  const months = integer(data, 'months') ?? 12;
  const from = text(data, 'validFrom') ?? startIfNone;
  return { months, from, end: addMonths(from, months) };
}

export const parkingAssess: WorkerHandler = async (job, ports) => {
  const vars = readCase(job);
  if (vars.municipality !== PARKING_MUNICIPALITY) {
    throw new BusinessError('NOT_OFFERED', 'Anwohnerparkkarten gibt es nur für die Stadt Luzern.');
  }
  // without a start date a permit runs from the day it is asked for
  const period = permitPeriod(vars.data, todayIso(ports.clock.now()));
  const { months } = period;
  const feeCents = parkingFeeCents(months);
  const lookup = await lookupApplicant(vars, ports);
  const mainResidence = lookup.result === 'found';
  const companyCar = text(vars.data, 'vehicleHolder') === 'company';
  const reviewReasons: string[] = [];
  if (!mainResidence) reviewReasons.push('Hauptwohnsitz nicht eindeutig im Register gefunden');
  if (companyCar) reviewReasons.push('Geschäftsfahrzeug: Nachweis prüfen');
  const overlapping = await overlappingPermits(vars, period, companyCar ? 'company' : 'own', ports);
  if (overlapping.length > 0)
    reviewReasons.push(
      `Bereits eine Parkkarte für ein ${companyCar ? 'Geschäftsfahrzeug' : 'eigenes Fahrzeug'} im selben Zeitraum (${overlapping.join(', ')}): höchstens eine pro Person (Art. 3 Parkkartenreglement)`,
    );
  const canton = plateCanton(text(vars.data, 'licencePlate'));
  if (canton !== 'LU') reviewReasons.push(`Kontrollschild ${canton ?? '(unbekannt)'}: Fahrzeug nicht im Kanton Luzern eingelöst (Art. 3 Parkkartenreglement)`);
  return {
    variables: {
      mainResidence,
      companyCar,
      needsReview: reviewReasons.length > 0,
      reviewReasons: reviewReasons.join('; '),
      feeCents,
      feeLabel: months === 12 ? 'Anwohnerparkkarte, 1 Jahr' : `Anwohnerparkkarte, ${months} ${months === 1 ? 'Monat' : 'Monate'}`,
    },
  };
};
