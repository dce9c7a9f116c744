/**
 * Job type `register-lookup`: looks the applicant up in the resident register of the chosen
 * municipality by name and date of birth.
 */
import type { CaseVariables, Resident, WorkerHandler, WorkerPorts } from './ports.js';
import { readCase } from './job-input.js';

export type RegisterResult =
  | 'found'
  | 'not_found'
  | 'ambiguous'
  | 'secondary_residence'
  | 'data_lock';

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

export async function lookupApplicant(
  vars: CaseVariables,
  ports: WorkerPorts,
): Promise<LookupOutcome> {
  const { applicant } = vars;
  const matches = await ports.register.findResidents({
    bfsNumber: vars.municipality,
    firstName: applicant.firstName.trim(),
    lastName: applicant.lastName.trim(),
    dateOfBirth: applicant.dateOfBirth.trim(),
  });
  // The port matches already; keep only this municipality's records in case it is lenient.
  return classify(matches.filter((r) => r.bfsNumber === vars.municipality));
}

export const registerLookup: WorkerHandler = async (job, ports) => {
  const vars = readCase(job);
  const { result } = await lookupApplicant(vars, ports);
  return { variables: { residentFound: result === 'found', registerResult: result } };
};

export default registerLookup;
