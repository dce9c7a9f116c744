/** The staff view of cases (the "Dossier"), limited to the caller's organisations. */
import type { Repositories } from '../repositories';
import type { CaseListQuery, CaseRecord } from '../repositories/cases';
import type { DocumentRecord } from '../repositories/documents';
import type { User } from '../repositories/users';
import type { Catalogue } from '../processes/catalogue';
import { contentOf } from './document-uploads';
import { notFound } from './errors';
import { taskVisibility, toTaskDto } from './tasks';

/** The case if the user may see it (own organisation or a task on it); 404 otherwise. */
export async function visibleCase(repos: Repositories, user: User, reference: string): Promise<CaseRecord> {
  const c = await repos.cases.getByReference(reference);
  const orgs = taskVisibility(user).organisations;
  if (!c || (orgs !== 'all' && !(await repos.cases.isVisibleTo(c.id, orgs)))) throw notFound('Dossier nicht gefunden');
  return c;
}

export class CaseService {
  constructor(
    private readonly repos: Repositories,
    private readonly catalogue: Catalogue,
  ) {}

  async list(user: User, query: Omit<CaseListQuery, 'organisations'>) {
    const { rows, total, totalCapped } = await this.repos.cases.list({ ...query, organisations: taskVisibility(user).organisations });
    return { rows: rows.map((c) => this.summary(c)), total, totalCapped };
  }

  async get(user: User, reference: string) {
    const c = await visibleCase(this.repos, user, reference);
    const [timeline, tasks, documents, invoices, infoRequests] = await Promise.all([
      this.repos.timeline.forCase(c.id),
      this.repos.tasks.forCase(c.id),
      this.repos.documents.forCase(c.id),
      this.repos.fees.forCase(c.id),
      this.repos.infoRequests.forCase(c.id),
    ]);
    return {
      ...this.summary(c),
      applicant: c.applicant,
      data: c.data,
      receipt: c.receipt,
      processInstanceKey: c.processInstanceKey,
      timeline: timeline.map(({ caseId: _c, ...e }) => e),
      tasks: tasks.map(toTaskDto),
      documents: documents.map((d) => ({ id: d.id, kind: d.kind, name: d.name, contentType: d.contentType, size: d.size, sha256: d.sha256, createdAt: d.createdAt, url: documentUrl(c, d) })),
      invoices: invoices.map((i) => ({ id: i.id, amount: i.amountCents / 100, currency: i.currency, status: i.status, description: i.description })),
      // questions to the applicant and their answers, which the next task is decided on
      infoRequests: infoRequests.map(({ caseId: _c, ...r }) => ({
        ...r,
        // the files the applicant sent with the answer
        attachments: documents.filter((d) => d.infoRequestId === r.id).map((d) => ({ id: d.id, name: d.name, contentType: d.contentType, size: d.size, url: documentUrl(c, d) })),
      })),
    };
  }

  async document(user: User, reference: string, documentId: string) {
    const c = await visibleCase(this.repos, user, reference);
    const doc = await this.repos.documents.get(c.id, documentId);
    if (!doc) throw notFound('Dokument nicht gefunden');
    return { doc, content: await contentOf(this.repos, doc) };
  }

  private summary(c: CaseRecord) {
    return {
      id: c.reference,
      reference: c.reference,
      serviceKey: c.serviceKey,
      serviceName: this.catalogue.get(c.serviceKey)?.entry.name ?? c.serviceKey,
      municipality: c.municipality,
      organisationId: c.organisationId,
      status: c.status,
      applicantName: `${c.applicant.firstName} ${c.applicant.lastName}`,
      submittedAt: c.submittedAt,
      updatedAt: c.updatedAt,
      closedAt: c.closedAt,
    };
  }
}

/** Where staff download a document of the case (GET /api/cases/{ref}/documents/{id}). */
function documentUrl(c: CaseRecord, d: DocumentRecord): string {
  return `/api/cases/${c.reference}/documents/${d.id}`;
}
