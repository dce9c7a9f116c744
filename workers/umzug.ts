/**
 * Moving (`umzug`, eUmzugCH practice).
 *
 * - `move-assess`: classifies the move by the new postcode (the `municipalities` port):
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
import { addDays, todayIso } from '../model/dates.js';

export type MoveKind = 'intra' | 'inter' | 'out' | 'in';

export function newAddressOf(vars: CaseVariables): Address {
  return {
    street: requiredText(vars.data, 'newStreet'),
    houseNumber: requiredText(vars.data, 'newHouseNumber'),
    postalCode: requiredText(vars.data, 'newPostalCode'),
    town: requiredText(vars.data, 'newTown'),
  };
}

/** `postcodeTarget`: the municipality of the new postcode (undefined outside the canton). */
export function classifyMove(moveType: string, municipality: number, postcodeTarget: PostcodeMatch | undefined, abroad: boolean): { kind: MoveKind; newMunicipality: number | null } {
  const target = abroad ? undefined : postcodeTarget;
  if (moveType === 'zuzug') {
    if (target?.bfsNumber !== municipality) {
      throw new BusinessError('ADDRESS_MISMATCH', 'Die neue Adresse liegt nicht in der gewählten Gemeinde.');
    }
    return { kind: 'in', newMunicipality: municipality };
  }
  if (!target) return { kind: 'out', newMunicipality: null };
  return { kind: target.bfsNumber === municipality ? 'intra' : 'inter', newMunicipality: target.bfsNumber };
}

export const moveAssess: WorkerHandler = async (job, ports) => {
  const vars = readCase(job);
  const moveType = text(vars.data, 'moveType') ?? 'innerhalb';
  const abroad = (text(vars.data, 'newCountry') ?? 'CH') !== 'CH';
  const target = abroad ? undefined : await ports.municipalities.forPostcode(requiredText(vars.data, 'newPostalCode'));
  const { kind, newMunicipality } = classifyMove(moveType, vars.municipality, target, abroad);
  const residentFound = kind === 'in' ? false : (await lookupApplicant(vars, ports)).result === 'found';
  const movingDate = requiredText(vars.data, 'movingDate');
  const lateReport = movingDate < addDays(todayIso(ports.clock.now()), -14);
  const newMunicipalityName = newMunicipality ? ((await ports.municipalities.get(newMunicipality))?.name ?? null) : null;
  return {
    variables: {
      moveKind: kind,
      newMunicipality,
      newMunicipalityName,
      residentFound,
      lateReport,
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
