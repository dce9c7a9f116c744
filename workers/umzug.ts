/**
 * Moving (`umzug`, eUmzugCH practice).
 *
 * - `move-assess`: classifies the move by the new postcode and locality (the `municipalities` port):
 *   intra (same municipality), inter (another Lucerne municipality), out (leaving the canton),
 *   in (arriving from outside; the new address must lie in the chosen municipality, else the
 *   BPMN error ADDRESS_MISMATCH). The municipality being left checks a move-out, the one moved
 *   to a move-in; a move within the municipality of a person found in the register is automatic.
 *   A move-out is never rejected.
 * - `register-move`: applies the move to the resident register, for the applicant and each family
 *   member moving along (each a person with name and birth date).
 *
 * Register rules (RHG, SR 431.02, Art. 6: the register holds on arrival the date and previous
 * municipality or country (lit. q), on leaving the date and destination municipality or country
 * (lit. r), on a move within the municipality the date (lit. s); text checked on lawbrary.ch and
 * bfs.admin.ch «Minimaler Inhalt Einwohnerregister"):
 * - A move takes effect on its date (DESIGN.md §9): `move-assess` sets `moveScheduled` and
 *   `registerAt` (the moving date at 00:00 Europe/Zurich) for a future date; the BPMN waits on a
 *   timer (Event_Stichtag) before `register-move`. A past or today's date registers at once. That
 *   the register changes on the moving date (and not on the report) is the design's rule; no
 *   Lucerne statute saying so was found.
 * - A move-out keeps the person in the register left, with date and destination; a moved-out
 *   person is not a resident (server/repositories/residents.ts).
 * - Moving in from abroad: the previous address is an eCH-0010 foreign address (country as ISO
 *   3166-1 alpha-2, town, optional street, house number, foreignZipCode). The field names follow
 *   eCH-0010 addressInformation as mapped in HL7 CH Core (build.fhir.org/ig/hl7ch/ch-core); the
 *   eCH-0010 version (8.0?) and its length limits were NOT verified against the eCH document.
 */
import { BusinessError, type WorkerHandler } from './ports.js';
import type { Address, CaseVariables, ForeignAddress, MovingPerson, PostcodeMatch } from '../model/types.js';
import { readCase } from './job-input.js';
import { lookupApplicant } from './register-lookup.js';
import { requiredText, text } from './lib/case-data.js';
import { todayIso } from '../model/dates.js';
import { deadlineAfter } from '../model/working-days.js';
import { formatDateCH } from '../model/format.js';

/**
 * Days to report a move to the municipality: "natürliche Personen [melden] sich innerhalb von
 * 14 Tagen nach dem Umzug bei der für die Führung des Einwohnerregisters zuständigen Amtsstelle"
 * (Registerharmonisierungsgesetz RHG, SR 431.02, Art. 11 lit. a); the Lucerne duty to report,
 * also for a move within the municipality or the building: NG (SRL Nr. 5) § 2a. Stadt Luzern
 * states the 14 days too (stadtluzern.ch/thema/5). Counted in calendar days; a last day on a
 * weekend or Lucerne holiday moves to the next working day (model/working-days.ts).
 */
export const MOVE_REPORT_DAYS = 14;

/**
 * The family members moving along (start form dynamic list `householdMembers`): each is a person
 * of the register with first name, last name and birth date (the start form requires all three
 * and a valid date).
 */
export function householdMembersOf(vars: CaseVariables): MovingPerson[] {
  const list = vars.data.householdMembers;
  if (!Array.isArray(list)) return [];
  return list.map((m: Record<string, unknown>) => ({
    firstName: requiredText(m ?? {}, 'firstName'),
    lastName: requiredText(m ?? {}, 'lastName'),
    dateOfBirth: requiredText(m ?? {}, 'dateOfBirth'),
  }));
}

/**
 * The previous address abroad of a move-in (eCH-0010 foreign address), or null when the person
 * comes from another canton (previousCountry CH or not asked).
 */
export function previousForeignAddressOf(vars: CaseVariables): ForeignAddress | null {
  if (text(vars.data, 'moveType') !== 'zuzug') return null;
  const country = (text(vars.data, 'previousCountry') ?? 'CH').toUpperCase();
  if (country === 'CH') return null;
  const optional = (key: string) => text(vars.data, key);
  return {
    country,
    town: requiredText(vars.data, 'previousTown'),
    ...(optional('previousPostalCode') ? { postalCode: optional('previousPostalCode') } : {}),
    ...(optional('previousStreet') ? { street: optional('previousStreet') } : {}),
    ...(optional('previousHouseNumber') ? { houseNumber: optional('previousHouseNumber') } : {}),
  };
}

const zurichOffset = new Intl.DateTimeFormat('en', { timeZone: 'Europe/Zurich', timeZoneName: 'longOffset' });

/** 00:00 Europe/Zurich of an ISO date, as ISO 8601 with offset (the BPMN timer's timeDate). */
export function zurichMidnight(isoDate: string): string {
  // DST changes at 01:00 UTC, so the offset at 00:00 UTC is the offset at local midnight
  const name = zurichOffset.formatToParts(new Date(`${isoDate}T00:00:00Z`)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT+01:00';
  const offset = name === 'GMT' ? '+00:00' : name.slice(3);
  return `${isoDate}T00:00:00${offset}`;
}

/** A move dated after today (Zurich) waits for its date; today or earlier registers at once. */
export function registerSchedule(movingDate: string, now: Date): { moveScheduled: boolean; registerAt: string; registerScheduledText: string } {
  const moveScheduled = movingDate > todayIso(now);
  return {
    moveScheduled,
    registerAt: zurichMidnight(movingDate),
    registerScheduledText: moveScheduled ? `Registeränderung geplant auf ${formatDateCH(movingDate)} (Umzugsdatum)` : '',
  };
}

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
  const members = householdMembersOf(vars);
  const previousForeignAddress = previousForeignAddressOf(vars);
  return {
    variables: {
      ...registerSchedule(movingDate, ports.clock.now()),
      movingPersons: 1 + members.length,
      previousForeignAddress,
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
  const applicant = { firstName: vars.applicant.firstName.trim(), lastName: vars.applicant.lastName.trim(), dateOfBirth: vars.applicant.dateOfBirth };
  const newAddress = newAddressOf(vars);
  const newCountry = text(vars.data, 'newCountry') ?? 'CH';
  const foreign = previousForeignAddressOf(vars);
  const { action, actions } = await ports.registerUpdates.recordMove({
    persons: [applicant, ...householdMembersOf(vars)],
    fromBfs: kind === 'in' ? null : vars.municipality,
    toBfs: kind === 'out' ? null : (vars.newMunicipality as number),
    newAddress: kind === 'out' ? null : newAddress,
    movedOn: requiredText(vars.data, 'movingDate'),
    // RHG Art. 6 lit. r: destination municipality or country
    destination:
      kind === 'intra'
        ? null
        : `${typeof vars.newMunicipalityName === 'string' && kind === 'inter' ? `${vars.newMunicipalityName}: ` : ''}${newAddress.street} ${newAddress.houseNumber}, ${newAddress.postalCode} ${newAddress.town} (${newCountry})`,
    // RHG Art. 6 lit. q: previous municipality or country
    origin:
      kind === 'in'
        ? foreign
          ? { text: `${foreign.town} (${foreign.country})`, foreignAddress: foreign }
          : { text: `${vars.applicant.address.postalCode} ${vars.applicant.address.town} (CH)`, foreignAddress: null }
        : null,
  });
  return { variables: { registerAction: action, registerActions: actions } };
};
