/**
 * Residents' parking permit (`anwohnerparkkarte`), Stadt Luzern only (else the BPMN error
 * NOT_OFFERED). `parking-assess` checks the main residence in the register and computes the fee
 * (CHF 60 a month, CHF 600 a year); a company car (proof needed) or a person not found with
 * main residence goes to a human check.
 */
import { BusinessError, type WorkerHandler } from './ports.js';
import { readCase } from './job-input.js';
import { lookupApplicant } from './register-lookup.js';
import { integer, text } from './lib/case-data.js';
import { parkingFeeCents } from './lib/fees.js';

export const PARKING_MUNICIPALITY = 1061;

export const parkingAssess: WorkerHandler = async (job, ports) => {
  const vars = readCase(job);
  if (vars.municipality !== PARKING_MUNICIPALITY) {
    throw new BusinessError('NOT_OFFERED', 'Anwohnerparkkarten gibt es nur für die Stadt Luzern.');
  }
  const months = integer(vars.data, 'months') ?? 12;
  const feeCents = parkingFeeCents(months);
  const lookup = await lookupApplicant(vars, ports);
  const mainResidence = lookup.result === 'found';
  const companyCar = text(vars.data, 'vehicleHolder') === 'company';
  const reviewReasons: string[] = [];
  if (!mainResidence) reviewReasons.push('Hauptwohnsitz nicht eindeutig im Register gefunden');
  if (companyCar) reviewReasons.push('Geschäftsfahrzeug: Nachweis prüfen');
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
