/**
 * Dog registration (`hundeanmeldung`), Hundegesetz SRL 848.
 *
 * - `dog-registration-check`: checks the owner's AHV number (check digit) and the microchip
 *   number (15 digits, ISO 11784: country code or manufacturer code 900–998; 999 is a test
 *   transponder); invalid data raise the BPMN error INVALID_DATA. Decides whether a person must
 *   decide an exemption (service, rescue and guide dogs whose owner asked for it).
 * - `dog-tax-assess`: the dog tax of the current tax year (see lib/fees.ts); 0 when an exemption
 *   was approved (variable `exemptionApproved`).
 */
import { BusinessError, type WorkerHandler, type WorkerPorts } from './ports.js';
import { readCase } from './job-input.js';
import { flag, requiredText, text } from './lib/case-data.js';
import { isValidAhv } from '../model/ahv.js';
import { dogTax } from './lib/fees.js';
import { todayIso } from '../model/dates.js';
import { formatChf, formatDateCH } from '../model/format.js';

export const EXEMPTABLE = new Set(['service', 'rescue', 'guide']);

/** Microchip number: 15 digits; the first three a country (ISO 3166, 001–899) or manufacturer (900–998) code. */
export function isValidChipNumber(value: string): boolean {
  const digits = value.replace(/\s/g, '');
  if (!/^\d{15}$/.test(digits)) return false;
  const prefix = Number(digits.slice(0, 3));
  return prefix >= 1 && prefix <= 998;
}

/**
 * A microchip identifies one dog (national database AMICUS, DESIGN.md §5): a second registration
 * with the same chip is refused while the first still stands. Two registrations submitted at the
 * same moment can both pass (no lock across cases).
 */
async function chipRegistered(chip: string, serviceKey: string, reference: string, ports: WorkerPorts): Promise<boolean> {
  const others = await ports.earlierCases.withData({ serviceKey, exceptReference: reference, dataContains: chip });
  return others.some((c) => typeof c.data.chipNumber === 'string' && c.data.chipNumber.replace(/\s/g, '') === chip);
}

export const dogRegistrationCheck: WorkerHandler = async (job, ports) => {
  const vars = readCase(job);
  const problems: string[] = [];
  if (!isValidAhv(text(vars.data, 'ahvNumber'))) problems.push('Die AHV-Nummer ist ungültig (Prüfziffer).');
  const chip = requiredText(vars.data, 'chipNumber').replace(/\s/g, '');
  if (!isValidChipNumber(chip)) problems.push('Die Mikrochip-Nummer ist ungültig.');
  else if (await chipRegistered(chip, vars.serviceKey, vars.reference, ports)) problems.push('Ein Hund mit dieser Mikrochip-Nummer ist bereits angemeldet.');
  if (requiredText(vars.data, 'dogBirthDate') > todayIso(ports.clock.now())) problems.push('Das Geburtsdatum des Hundes liegt in der Zukunft.');
  if (problems.length > 0) throw new BusinessError('INVALID_DATA', problems.join(' '));
  const category = text(vars.data, 'dogCategory') ?? 'companion';
  // Every exemption request is decided by a person (Hundegesetz SRL 848: service, rescue and guide
  // dogs "may be exempted", a decision, DESIGN.md §5): a request for another dog is refused by a
  // person with reasons, never silently charged the full tax. The clerk sees whether the category
  // is one the law names.
  const exemptionDecisionNeeded = flag(vars.data, 'exemptionRequested');
  return { variables: { exemptionDecisionNeeded, exemptionCategoryEligible: EXEMPTABLE.has(category) } };
};

export const dogTaxAssess: WorkerHandler = async (job, ports) => {
  const vars = readCase(job);
  const taxYear = Number(todayIso(ports.clock.now()).slice(0, 4));
  const farmDog = text(vars.data, 'dogCategory') === 'farm';
  const tax = dogTax({ birthDate: requiredText(vars.data, 'dogBirthDate'), farmDog, taxYear });
  const exempt = vars.exemptionApproved === true;
  const feeCents = exempt ? 0 : tax.cents;
  const rule = exempt ? 'exempt' : tax.rule;
  const feeLabel = {
    exempt: `Hundesteuer ${taxYear}: befreit`,
    full: `Hundesteuer ${taxYear}${farmDog ? ' (Hofhund)' : ''}`,
    half: `Hundesteuer ${taxYear}, halber Ansatz (6 Monate alt am ${formatDateCH(tax.sixMonthsOn)})${farmDog ? ', Hofhund' : ''}`,
    none: `Hundesteuer ${taxYear}: keine (6 Monate alt erst ${tax.sixMonthsOn.slice(0, 4)})`,
  }[rule];
  return { variables: { feeCents, dogTaxRule: rule, taxYear, feeLabel, feeText: feeCents > 0 ? formatChf(feeCents) : 'keine' } };
};
