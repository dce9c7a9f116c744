/**
 * Job type `register-lookup`: looks the signed-in applicant up in the resident register of the
 * chosen municipality by the verified identity's name and date of birth.
 */
import type { WorkerHandler, WorkerPorts } from './ports.js';
import type { CaseVariables, Resident } from '../model/types.js';
import { readCase } from './job-input.js';
import { ahvDigits } from '../model/ahv.js';

export type RegisterResult = 'found' | 'not_found' | 'ambiguous' | 'secondary_residence' | 'data_lock';

export interface LookupOutcome {
  result: RegisterResult;
  /** the single match, when there is exactly one (whatever its residence type or lock) */
  resident?: Resident;
}

/** Found = exactly one match, main residence, no data lock. */
export function classify(matches: Resident[]): LookupOutcome {
  if (matches.length === 0) return { result: 'not_found' };
  if (matches.length > 1) return { result: 'ambiguous' };
  const [resident] = matches as [Resident];
  if (resident.dataLock) return { result: 'data_lock', resident };
  if (resident.residenceType !== 'main') return { result: 'secondary_residence', resident };
  return { result: 'found', resident };
}

/**
 * Looks up the signed-in person whose identity the OpenID provider vouched for (DESIGN.md §6):
 * never the typed applicant data, which anyone can fill with a neighbour's name and birth date.
 * Without an identity (anonymous submission) nobody is found, so the case goes to a person.
 * Where both the provider and the register know the AHV number, it must agree as well.
 */
export async function lookupApplicant(vars: CaseVariables, ports: WorkerPorts): Promise<LookupOutcome> {
  const { identity } = vars;
  if (!identity) return { result: 'not_found' };
  const matches = await ports.register.findResidents({
    bfsNumber: vars.municipality,
    firstName: identity.firstName.trim(),
    lastName: identity.lastName.trim(),
    dateOfBirth: identity.dateOfBirth.trim(),
  });
  // compared as digits: providers send 7561234567897, registers keep 756.1234.5678.97
  const sameAhv = (r: Resident) => !identity.ahvNumber || !r.ahvNumber || ahvDigits(r.ahvNumber) === ahvDigits(identity.ahvNumber);
  // The port matches already; keep only this municipality's records in case it is lenient.
  return classify(matches.filter((r) => r.bfsNumber === vars.municipality && sameAhv(r)));
}

export const registerLookup: WorkerHandler = async (job, ports) => {
  const vars = readCase(job);
  const { result } = await lookupApplicant(vars, ports);
  return { variables: { residentFound: result === 'found', registerResult: result } };
};

export default registerLookup;
