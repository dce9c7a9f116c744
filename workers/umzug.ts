/**
 * Moving (`umzug`, eUmzugCH practice).
 *
 * - `move-assess`: classifies the move by the new postcode and locality (the `municipalities` port):
 *   intra (same municipality), inter (another Lucerne municipality), out (leaving the canton),
 *   in (arriving from outside; the new address must lie in the chosen municipality, else the
 *   BPMN error ADDRESS_MISMATCH). The municipality being left checks a move-out, the one moved
 *   to a move-in; a move within the municipality of a person found in the register is automatic.
 *   A move-out is never rejected.
 * - `register-move`: applies the move to the resident register.
 */
import { BusinessError, type WorkerHandler } from './ports.js';
import type { Address, CaseVariables, PostcodeMatch } from '../model/types.js';
import { readCase } from './job-input.js';
import { lookupApplicant } from './register-lookup.js';
import { requiredText, text } from './lib/case-data.js';
import { todayIso } from '../model/dates.js';
import { deadlineAfter } from '../model/working-days.js';
import { formatDateCH } from '../model/format.js';

/**
 * Days to report a move to the municipality (eUmzugCH practice, DESIGN.md §5; the Lucerne
 * Gesetz über das Einwohnerregister is not quoted here: source of the 14 days NOT verified
 * against the statute). Counted in calendar days; a last day on a weekend or Lucerne holiday
 * moves to the next working day (model/working-days.ts).
 */
export const MOVE_REPORT_DAYS = 14;

export type MoveKind = 'intra' | 'inter' | 'out' | 'in';

export function newAddressOf(vars: CaseVariables): Address {
  return {
    street: requiredText(vars.data, 'newStreet'),
    houseNumber: requiredText(vars.data, 'newHouseNumber'),
    postalCode: requiredText(vars.data, 'newPostalCode'),
    town: requiredText(vars.data, 'newTown'),
  };
}

/**
 * `candidates`: the Lucerne municipalities of the new postcode and locality, likeliest first
 * (empty outside the canton). Without street data the locality's largest share decides (6005
 * Luzern is Luzern, not Horw through the locality St. Niklausen); the other candidates are kept for
 * the clerk (`newMunicipalityAlternatives`). A move-in must name a municipality the address can lie in.
 */
export function classifyMove(
  moveType: string,
  municipality: number,
  candidates: PostcodeMatch[],
  abroad: boolean,
): { kind: MoveKind; newMunicipality: number | null; newMunicipalityAlternatives: string[] } {
  const inCanton = abroad ? [] : candidates;
  if (moveType === 'zuzug') {
    if (!inCanton.some((c) => c.bfsNumber === municipality)) {
      throw new BusinessError('ADDRESS_MISMATCH', 'Die neue Adresse liegt nicht in der gewählten Gemeinde.');
    }
    return { kind: 'in', newMunicipality: municipality, newMunicipalityAlternatives: [] };
  }
  const [target, ...others] = inCanton;
  if (!target) return { kind: 'out', newMunicipality: null, newMunicipalityAlternatives: [] };
  return { kind: target.bfsNumber === municipality ? 'intra' : 'inter', newMunicipality: target.bfsNumber, newMunicipalityAlternatives: others.map((c) => c.municipality) };
}

export const moveAssess: WorkerHandler = async (job, ports) => {
  const vars = readCase(job);
  const moveType = text(vars.data, 'moveType') ?? 'innerhalb';
  const abroad = (text(vars.data, 'newCountry') ?? 'CH') !== 'CH';
  const candidates = abroad ? [] : await ports.municipalities.forAddress(requiredText(vars.data, 'newPostalCode'), requiredText(vars.data, 'newTown'));
  const { kind, newMunicipality, newMunicipalityAlternatives } = classifyMove(moveType, vars.municipality, candidates, abroad);
  const residentFound = kind === 'in' ? false : (await lookupApplicant(vars, ports)).result === 'found';
  const movingDate = requiredText(vars.data, 'movingDate');
  // shown to the clerk in the check forms («Meldefrist»)
  const reportDeadline = deadlineAfter(movingDate, MOVE_REPORT_DAYS);
  const lateReport = todayIso(ports.clock.now()) > reportDeadline;
  const newMunicipalityName = newMunicipality ? ((await ports.municipalities.get(newMunicipality))?.name ?? null) : null;
  return {
    variables: {
      moveKind: kind,
      newMunicipality,
      newMunicipalityName,
      newMunicipalityAlternatives,
      residentFound,
      lateReport,
      reportDeadline,
      reportDeadlineText: `${formatDateCH(reportDeadline)} (${MOVE_REPORT_DAYS} Tage ab Umzug; ${lateReport ? 'verspätet gemeldet' : 'rechtzeitig gemeldet'})`,
      needsMoveOutCheck: kind === 'inter' || kind === 'out',
      needsMoveInCheck: kind === 'inter' || kind === 'in' || (kind === 'intra' && !residentFound),
    },
  };
};

export const registerMove: WorkerHandler = async (job, ports) => {
  const vars = readCase(job);
  const kind = vars.moveKind as MoveKind;
  if (!['intra', 'inter', 'out', 'in'].includes(kind)) throw new Error('register-move: variable "moveKind" missing');
  const { action } = await ports.registerUpdates.recordMove({
    person: { firstName: vars.applicant.firstName.trim(), lastName: vars.applicant.lastName.trim(), dateOfBirth: vars.applicant.dateOfBirth },
    fromBfs: kind === 'in' ? null : vars.municipality,
    toBfs: kind === 'out' ? null : (vars.newMunicipality as number),
    newAddress: kind === 'out' ? null : newAddressOf(vars),
    movedOn: requiredText(vars.data, 'movingDate'),
  });
  return { variables: { registerAction: action } };
};
