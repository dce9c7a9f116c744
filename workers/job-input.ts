/**
 * Shared reading of the case variables every worker relies on. Missing or malformed case
 * variables are a technical failure (ordinary Error → the job is retried / an incident is raised).
 */
import type { JobInput, WorkerPorts } from './ports.js';
import type { Applicant, CaseVariables, Municipality } from '../model/types.js';

/** The case reference alone (for workers that need nothing else). */
export function readReference(job: JobInput): string {
  const v = job.variables as Partial<CaseVariables> | undefined;
  if (!v || typeof v !== 'object') throw new Error(`job ${job.key}: no variables`);
  if (typeof v.reference !== 'string' || v.reference === '') {
    throw new Error(`job ${job.key}: variable "reference" missing`);
  }
  return v.reference;
}

export function readCase(job: JobInput): CaseVariables {
  readReference(job);
  const v = job.variables as Partial<CaseVariables>;
  if (typeof v.serviceKey !== 'string' || v.serviceKey === '') {
    throw new Error(`job ${job.key}: variable "serviceKey" missing`);
  }
  if (typeof v.municipality !== 'number' || !Number.isInteger(v.municipality)) {
    throw new Error(`job ${job.key}: variable "municipality" missing or not a BFS number`);
  }
  const a = v.applicant as Partial<Applicant> | undefined;
  if (!a || typeof a.firstName !== 'string' || typeof a.lastName !== 'string' || typeof a.dateOfBirth !== 'string' || typeof a.email !== 'string' || !a.address) {
    throw new Error(`job ${job.key}: variable "applicant" missing or incomplete`);
  }
  return {
    ...(v as CaseVariables),
    data: v.data && typeof v.data === 'object' ? v.data : {},
  };
}

/** Number of copies from the start form: an integer 1..5, default 1. */
export function copiesOf(data: Record<string, unknown>): number {
  const raw = data.copies;
  const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) return 1;
  return Math.min(n, 5);
}

/** BFS numbers of the Lucerne municipalities that carry the title "Stadt". */
const TOWNS = new Set([1059, 1061, 1102, 1103, 1151]);

export async function municipalityOf(ports: WorkerPorts, bfsNumber: number): Promise<Municipality> {
  const m = await ports.municipalities.get(bfsNumber);
  if (!m) throw new Error(`unknown municipality ${bfsNumber}`);
  return m;
}

/** "Stadt Luzern", "Gemeinde Emmen" */
export function authorityName(m: Municipality): string {
  return `${TOWNS.has(m.bfsNumber) ? 'Stadt' : 'Gemeinde'} ${m.name}`;
}
