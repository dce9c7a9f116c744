/** The real implementations of the worker ports (workers/ports.ts), over the repositories. */
import type { Catalogue } from '../processes/catalogue';
import { LruMap } from '../lib/lru-map';
import type { Repositories } from '../repositories';
import type { CaseRecord } from '../repositories/cases';
import type { OrganisationInfo, WorkerPorts } from '../../workers/ports';

/** A case's id and organisation never change: the worker ports remember them for recent cases. */
const CASE_KEY_CACHE_SIZE = 1000;

export function createWorkerPorts(repos: Repositories, catalogue: Catalogue, publicBaseUrl: string, onMailQueued: () => void): WorkerPorts {
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
    register: { findResidents: (q) => repos.residents.find(q) },
    municipalities: {
      get: (bfs) => repos.organisations.getMunicipality(bfs),
      forPostcode: async (postcode) => repos.postcodes.municipalityFor(postcode),
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
        await repos.db.transaction(async (trx) => {
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
        const org = await organisationInfo(repos, c.organisationId);
        if (!org) throw new Error(`unknown organisation ${c.organisationId}`);
        return org;
      },
      get: (id) => organisationInfo(repos, id),
      async teamLeads(organisationId) {
        const rows = await repos.db('users')
          .join('user_organisations', 'users.id', 'user_organisations.user_id')
          .where({ 'user_organisations.organisation_id': organisationId, 'users.active': true })
          .select('users.username', 'users.display_name', 'users.email', 'users.roles');
        return rows
          .filter((r: any) => (JSON.parse(r.roles ?? '[]') as string[]).includes('teamlead'))
          .map((r: any) => ({ username: r.username, displayName: r.display_name, email: r.email ?? null }));
      },
    },
    registerUpdates: {
      recordMove: (move) => recordMove(repos, move),
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

/** Issuer and creditor data of an organisation (columns of migration 004). */
async function organisationInfo(repos: Repositories, id: string): Promise<OrganisationInfo | undefined> {
  const row = await repos.db('organisations').where({ id }).first();
  if (!row) return undefined;
  const hasAddress = row.street && row.postal_code && row.town;
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    department: row.department ?? null,
    bfsNumber: row.bfs_number ?? null,
    address: hasAddress ? { street: row.street, houseNumber: row.house_number ?? '', postalCode: row.postal_code, town: row.town } : null,
    iban: row.iban ?? null,
    ibanIsDemo: Boolean(row.iban_is_demo),
  };
}

/** A reported move in the (demo) resident register; idempotent, so a retried job changes nothing twice. */
async function recordMove(repos: Repositories, move: Parameters<WorkerPorts['registerUpdates']['recordMove']>[0]): Promise<{ action: 'updated' | 'inserted' | 'removed' | 'none' }> {
  const { person } = move;
  const find = (bfsNumber: number) => repos.residents.find({ bfsNumber, ...person });
  const values = (bfs: number) => ({
    bfs_number: bfs,
    street: move.newAddress!.street,
    house_number: move.newAddress!.houseNumber,
    postal_code: move.newAddress!.postalCode,
    town: move.newAddress!.town,
    residence_type: 'main',
    moved_in_on: move.movedOn,
  });
  if (move.toBfs === null) {
    if (move.fromBfs === null) return { action: 'none' };
    const ids = (await find(move.fromBfs)).map((r) => r.id);
    if (ids.length === 0) return { action: 'none' };
    await repos.db('residents').whereIn('id', ids).delete();
    return { action: 'removed' };
  }
  const atTarget = await find(move.toBfs);
  const atSource = move.fromBfs !== null && move.fromBfs !== move.toBfs ? await find(move.fromBfs) : [];
  if (atTarget.length > 0) {
    await repos.db('residents').where({ id: atTarget[0]!.id }).update(values(move.toBfs));
    if (atSource.length > 0) await repos.db('residents').whereIn('id', atSource.map((r) => r.id)).delete();
    return { action: 'updated' };
  }
  if (atSource.length > 0) {
    await repos.db('residents').where({ id: atSource[0]!.id }).update(values(move.toBfs));
    return { action: 'updated' };
  }
  await repos.db('residents').insert({ ...values(move.toBfs), first_name: person.firstName, last_name: person.lastName, date_of_birth: person.dateOfBirth, data_lock: false });
  return { action: 'inserted' };
}
