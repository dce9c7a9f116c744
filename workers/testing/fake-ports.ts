/**
 * In-memory WorkerPorts for unit tests, with the idempotency the real ports promise.
 */
import type { DocumentSeal, Fee, JobInput, DocumentToStore, WorkerPorts } from '../ports.js';
import type { Applicant, CaseStatus, CaseVariables, Municipality, OrganisationInfo, PostcodeMatch, Resident, StaffContact } from '../../model/types.js';
import { samePerson } from '../../model/case-text.js';
import { testSeal } from './test-seal.js';

export type StoredDoc = DocumentToStore & { id: string };

export interface FakePorts extends WorkerPorts {
  residents: Resident[];
  municipalityList: Municipality[];
  fee: Fee | null;
  stored: StoredDoc[];
  invoices: Array<{ id: string; caseReference: string; jobKey: string; amountCents: number; description: string }>;
  mails: Array<{ caseReference: string; dedupeKey: string; to: string; subject: string; text: string }>;
  statuses: Array<{ reference: string; status: CaseStatus; label: string }>;
  registerQueries: Array<Parameters<WorkerPorts['register']['findResidents']>[0]>;
  infoRequests: Array<{ id: string; caseReference: string; jobKey: string; message: string }>;
  organisationList: OrganisationInfo[];
  /** organisation responsible for every case of the fake */
  caseOrganisation: string;
  staff: Array<StaffContact & { organisationId: string }>;
  moves: Array<Parameters<WorkerPorts['registerUpdates']['recordMove']>[0]>;
  dataLocks: Array<Parameters<WorkerPorts['registerUpdates']['setDataLock']>[0]>;
  /** cases that still stand, for earlierCases (serviceKey, reference, data) */
  standingCases: Array<{ serviceKey: string; reference: string; data: Record<string, unknown>; applicant?: Pick<Applicant, 'firstName' | 'lastName' | 'dateOfBirth'>; submittedOn?: string }>;
  events: Array<{ reference: string; type: string; label: string; public?: boolean; details?: Record<string, unknown> }>;
  /** the seal every organisation gets (a test certificate); undefined: none configured */
  seal: DocumentSeal | undefined;
}

export const demoOrganisations: OrganisationInfo[] = [
  {
    id: 'municipality:1061',
    kind: 'municipality',
    name: 'Stadt Luzern',
    department: 'Einwohnerdienste',
    bfsNumber: 1061,
    address: { street: 'Hirschengraben', houseNumber: '17', postalCode: '6002', town: 'Luzern' },
    iban: 'CH3830808000001001061',
    ibanIsDemo: true,
  },
  {
    id: 'municipality:1024',
    kind: 'municipality',
    name: 'Gemeinde Emmen',
    department: 'Einwohnerdienste',
    bfsNumber: 1024,
    address: { street: 'Rüeggisingerstrasse', houseNumber: '22', postalCode: '6020', town: 'Emmenbrücke' },
    iban: 'CH9300762011623852957',
    ibanIsDemo: true,
  },
  {
    id: 'canton:steuerverwaltung',
    kind: 'canton',
    name: 'Dienststelle Steuern des Kantons Luzern',
    department: null,
    bfsNumber: null,
    address: { street: 'Buobenmatt', houseNumber: '1', postalCode: '6002', town: 'Luzern' },
    iban: null,
    ibanIsDemo: false,
  },
];

export const annaMuster: Resident = {
  id: 1,
  bfsNumber: 1061,
  firstName: 'Anna',
  lastName: 'Muster',
  dateOfBirth: '1985-04-12',
  address: { street: 'Pilatusstrasse', houseNumber: '12', postalCode: '6003', town: 'Luzern' },
  residenceType: 'main',
  dataLock: false,
  movedInOn: '2010-03-01',
};

export const demoMunicipalities: Municipality[] = [
  { bfsNumber: 1061, name: 'Luzern', district: 'Wahlkreis Luzern-Stadt', postalCodes: ['6003', '6004'] },
  { bfsNumber: 1024, name: 'Emmen', district: 'Wahlkreis Hochdorf', postalCodes: ['6020', '6032'] },
];

/** Postcode → municipality (largest address share), a few rows of the real locality table. */
export const demoPostcodes: Record<string, PostcodeMatch> = {
  '6003': { bfsNumber: 1061, municipality: 'Luzern', locality: 'Luzern', sharePercent: 100 },
  '6004': { bfsNumber: 1061, municipality: 'Luzern', locality: 'Luzern', sharePercent: 99.842 },
  '6006': { bfsNumber: 1061, municipality: 'Luzern', locality: 'Luzern', sharePercent: 99.773 },
  '6010': { bfsNumber: 1059, municipality: 'Kriens', locality: 'Kriens', sharePercent: 99.896 },
  '6020': { bfsNumber: 1024, municipality: 'Emmen', locality: 'Emmenbrücke', sharePercent: 98.158 },
};

export function fakePorts(overrides: Partial<Pick<FakePorts, 'residents' | 'fee' | 'municipalityList'>> = {}): FakePorts {
  const ports: FakePorts = {
    residents: overrides.residents ?? [annaMuster],
    municipalityList: overrides.municipalityList ?? demoMunicipalities,
    fee: overrides.fee === undefined ? { amountCents: 3000, isDemo: true } : overrides.fee,
    stored: [],
    invoices: [],
    mails: [],
    infoRequests: [],
    organisationList: demoOrganisations,
    caseOrganisation: 'municipality:1061',
    seal: testSeal(),
    seals: {
      forOrganisation: async () => ports.seal,
    },
    staff: [
      { organisationId: 'municipality:1061', username: 'luzern.teamlead', displayName: 'Sandra Amrein', email: 'luzern.teamlead@demo.lu.ch' },
      { organisationId: 'municipality:1024', username: 'emmen.teamlead', displayName: 'Roman Kaufmann', email: 'emmen.teamlead@demo.lu.ch' },
    ],
    moves: [],
    dataLocks: [],
    standingCases: [],
    events: [],
    organisations: {
      async forCase() {
        const org = ports.organisationList.find((o) => o.id === ports.caseOrganisation);
        if (!org) throw new Error('unknown organisation');
        return org;
      },
      async get(id) {
        return ports.organisationList.find((o) => o.id === id);
      },
      async teamLeads(organisationId) {
        return ports.staff.filter((s) => s.organisationId === organisationId).map(({ organisationId: _, ...s }) => s);
      },
    },
    earlierCases: {
      async withData({ serviceKey, exceptReference, dataContains }) {
        return ports.standingCases.filter((c) => c.serviceKey === serviceKey && c.reference !== exceptReference && JSON.stringify(c.data).includes(dataContains));
      },
      async ofApplicant({ serviceKey, exceptReference, applicant }) {
        return ports.standingCases
          .filter((c) => c.serviceKey === serviceKey && c.reference !== exceptReference && c.applicant !== undefined && samePerson(c.applicant, applicant))
          .map((c) => ({ ...c, submittedOn: c.submittedOn ?? '2025-01-01' }));
      },
    },
    registerUpdates: {
      async recordMove(move) {
        ports.moves.push(move);
        return { action: 'updated', actions: move.persons.map(() => 'updated' as const) };
      },
      async setDataLock(lock) {
        ports.dataLocks.push(lock);
        const r = ports.residents.find((x) => x.id === lock.residentId && x.bfsNumber === lock.bfsNumber);
        if (!r || r.dataLock === lock.locked) return { changed: false };
        r.dataLock = lock.locked;
        return { changed: true };
      },
    },
    timeline: {
      async append(reference, event) {
        ports.events.push({ reference, ...event });
      },
    },
    statuses: [],
    registerQueries: [],
    register: {
      async findResidents(q) {
        ports.registerQueries.push(q);
        const norm = (s: string) => s.trim().toLowerCase();
        return ports.residents.filter((r) => r.bfsNumber === q.bfsNumber && norm(r.firstName) === norm(q.firstName) && norm(r.lastName) === norm(q.lastName) && r.dateOfBirth === q.dateOfBirth);
      },
      async searchResidents(q) {
        const norm = (s: string) => s.trim().toLowerCase();
        return ports.residents.filter(
          (r) =>
            r.bfsNumber === q.bfsNumber &&
            norm(r.firstName) === norm(q.firstName) &&
            norm(r.lastName) === norm(q.lastName) &&
            (!q.dateOfBirth || r.dateOfBirth === q.dateOfBirth) &&
            (!q.street || norm(r.address.street) === norm(q.street)),
        );
      },
    },
    municipalities: {
      async get(bfsNumber) {
        return ports.municipalityList.find((m) => m.bfsNumber === bfsNumber);
      },
      async forAddress(postcode) {
        const match = demoPostcodes[postcode.trim()];
        return match ? [match] : [];
      },
    },
    documents: {
      async store(doc) {
        const existing = ports.stored.find((d) => d.caseReference === doc.caseReference && d.jobKey === doc.jobKey && d.kind === doc.kind);
        if (existing) return { id: existing.id, name: existing.name };
        const id = `doc-${ports.stored.length + 1}`;
        ports.stored.push({ id, ...doc });
        return { id, name: doc.name };
      },
    },
    fees: {
      async feeFor() {
        return ports.fee;
      },
      async charge(invoice) {
        const existing = ports.invoices.find((i) => i.jobKey === invoice.jobKey);
        if (existing) return { id: existing.id };
        const id = `inv-${ports.invoices.length + 1}`;
        ports.invoices.push({ id, ...invoice });
        return { id };
      },
    },
    mail: {
      async enqueue(message) {
        if (ports.mails.some((m) => m.dedupeKey === message.dedupeKey)) return;
        ports.mails.push(message);
      },
    },
    cases: {
      async setStatus(reference, status, label) {
        ports.statuses.push({ reference, status, label });
      },
    },
    requests: {
      async open(request) {
        const existing = ports.infoRequests.find((r) => r.jobKey === request.jobKey);
        if (existing) return { id: existing.id };
        const id = `req-${ports.infoRequests.length + 1}`;
        ports.infoRequests.push({ id, ...request });
        return { id };
      },
    },
    clock: { now: () => new Date('2025-05-02T08:30:00Z') },
    publicBaseUrl: 'http://127.0.0.1:3000',
  };
  return ports;
}

export function caseVariables(overrides: Partial<CaseVariables> = {}): CaseVariables {
  return {
    reference: 'WB-2025-000123',
    serviceKey: 'wohnsitzbestaetigung',
    municipality: 1061,
    applicant: {
      firstName: 'Anna',
      lastName: 'Muster',
      dateOfBirth: '1985-04-12',
      email: 'anna.muster@example.ch',
      address: { street: 'Pilatusstrasse', houseNumber: '12', postalCode: '6003', town: 'Luzern' },
    },
    data: { purpose: 'Vorlage beim Arbeitgeber', copies: 1 },
    // signed in as Anna: register matches use the identity (pass identity: undefined for anonymous)
    identity: { firstName: 'Anna', lastName: 'Muster', dateOfBirth: '1985-04-12', assurance: null },
    ...overrides,
  };
}

export function job(type: string, variables: CaseVariables = caseVariables(), headers: Record<string, string> = {}, key = '2251799813685249'): JobInput {
  return { key, type, variables, headers, processInstanceKey: '2251799813685100', elementId: `task-${type}` };
}
