/** The real implementations of the worker ports (workers/ports.ts), over the repositories. */
import type { Catalogue } from '../processes/catalogue';
import { LruMap } from '../lib/lru-map';
import type { Repositories } from '../repositories';
import type { CaseRecord } from '../repositories/cases';
import type { WorkerPorts } from '../../workers/ports';
import { samePerson } from '../../model/case-text';
import { todayIso } from '../../model/dates';
import type { DocumentSeals } from './document-seals';

/** A case's id and organisation never change: the worker ports remember them for recent cases. */
const CASE_KEY_CACHE_SIZE = 1000;

export function createWorkerPorts(repos: Repositories, catalogue: Catalogue, publicBaseUrl: string, onMailQueued: () => void, seals: DocumentSeals): WorkerPorts {
  const recent = new LruMap<string, Pick<CaseRecord, 'id' | 'organisationId'>>(CASE_KEY_CACHE_SIZE);
  const caseOf = async (reference: string): Promise<Pick<CaseRecord, 'id' | 'organisationId'>> => {
    const known = recent.get(reference);
    if (known) return known;
    const c = await repos.cases.getByReference(reference);
    if (!c) throw new Error(`unknown case ${reference}`);
    const key = { id: c.id, organisationId: c.organisationId };
    recent.set(reference, key);
    return key;
  };

  return {
    register: { findResidents: (q) => repos.residents.find(q), searchResidents: (q) => repos.residents.search(q) },
    municipalities: {
      get: (bfs) => repos.organisations.getMunicipality(bfs),
      forAddress: async (postcode, locality) => repos.postcodes.candidatesFor(postcode, locality),
    },
    documents: {
      async store(doc) {
        const c = await caseOf(doc.caseReference);
        const stored = await repos.documents.store({ caseId: c.id, jobKey: doc.jobKey, kind: doc.kind, name: doc.name, contentType: doc.contentType, content: doc.content });
        return { id: stored.id, name: stored.name };
      },
    },
    fees: {
      async feeFor(serviceKey, bfsNumber) {
        const configured = await repos.fees.municipalityFee(serviceKey, bfsNumber);
        if (configured) return configured;
        // no municipal tariff configured: the catalogue default from the process properties
        const entry = catalogue.get(serviceKey)?.entry;
        if (!entry?.fee) return null;
        return { amountCents: Math.round(entry.fee.amount * 100), isDemo: entry.feeIsDemo };
      },
      async charge(invoice) {
        const c = await caseOf(invoice.caseReference);
        const created = await repos.fees.createInvoice({ caseId: c.id, jobKey: invoice.jobKey, amountCents: invoice.amountCents, description: invoice.description });
        return { id: created.id };
      },
    },
    mail: {
      async enqueue(m) {
        const c = await caseOf(m.caseReference);
        await repos.mail.enqueue({ caseId: c.id, dedupeKey: m.dedupeKey, to: m.to, subject: m.subject, body: m.text });
        onMailQueued();
      },
    },
    cases: {
      async setStatus(reference, status, label) {
        const c = await caseOf(reference);
        await repos.transaction(async (trx) => {
          await repos.cases.setStatus(c.id, status, trx);
          await repos.timeline.append({ caseId: c.id, type: 'status.changed', actor: 'system', label, status, public: true }, trx);
        });
      },
    },
    requests: {
      async open(r) {
        const c = await caseOf(r.caseReference);
        const request = await repos.infoRequests.open(c.id, r.jobKey, r.message);
        return { id: request.id };
      },
    },
    organisations: {
      async forCase(reference) {
        const c = await caseOf(reference);
        const org = await repos.organisations.info(c.organisationId);
        if (!org) throw new Error(`unknown organisation ${c.organisationId}`);
        return org;
      },
      get: (id) => repos.organisations.info(id),
      teamLeads: (organisationId) => repos.users.teamLeads(organisationId),
    },
    seals,
    earlierCases: {
      async withData({ serviceKey, exceptReference, dataContains }) {
        return (await repos.cases.standingWithDataDigits(serviceKey, exceptReference, dataContains)).map((c) => ({ reference: c.reference, data: c.data }));
      },
      async ofApplicant({ serviceKey, exceptReference, applicant }) {
        const candidates = await repos.cases.standingOfBirthDate(serviceKey, exceptReference, applicant.dateOfBirth);
        return candidates.filter((c) => samePerson(c.applicant, applicant)).map((c) => ({ reference: c.reference, data: c.data, submittedOn: todayIso(new Date(c.submittedAt)) }));
      },
    },
    registerUpdates: {
      recordMove: (move) => repos.residents.recordMove(move),
      setDataLock: (lock) => repos.residents.setDataLock(lock),
    },
    timeline: {
      async append(reference, event) {
        const c = await caseOf(reference);
        await repos.timeline.append({ caseId: c.id, type: event.type, actor: 'system', label: event.label, public: event.public ?? false, details: event.details });
      },
    },
    clock: { now: () => new Date() },
    publicBaseUrl,
  };
}
