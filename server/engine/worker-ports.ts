/** The real implementations of the worker ports (workers/ports.ts), over the repositories. */
import type { Catalogue } from '../domain/catalogue';
import type { Repositories } from '../repositories';
import type { CaseRecord } from '../repositories/cases';
import type { WorkerPorts } from '../../workers/ports';

export function createWorkerPorts(repos: Repositories, catalogue: Catalogue, publicBaseUrl: string, onMailQueued: () => void): WorkerPorts {
  const caseOf = async (reference: string): Promise<CaseRecord> => {
    const c = await repos.cases.getByReference(reference);
    if (!c) throw new Error(`unknown case ${reference}`);
    return c;
  };

  return {
    register: { findResidents: (q) => repos.residents.find(q) },
    municipalities: { get: (bfs) => repos.organisations.getMunicipality(bfs) },
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
        await repos.db.transaction(async (trx) => {
          await repos.cases.setStatus(c.id, status, trx);
          await repos.timeline.append({ caseId: c.id, type: 'status.changed', actor: 'system', label, status, public: true }, trx);
        });
      },
    },
    clock: { now: () => new Date() },
    publicBaseUrl,
  };
}
