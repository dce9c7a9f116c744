/**
 * Citizen submissions: validation at the edge, routing to the responsible organisation, and a
 * transaction that stores the case, its first timeline event and the process-start outbox
 * record together, before the engine is ever called.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import type { Repositories } from '../repositories';
import type { CaseRecord } from '../repositories/cases';
import { municipalityOrganisationId } from '../repositories/organisations';
import { validateAgainstForm } from '../processes/form-validation';
import { composeMail, statusUrl } from '../../model/mail-templates';
import { isValidAhv } from '../../model/ahv';
import type { Catalogue } from '../processes/catalogue';
import type { ServiceEntry } from '../processes/service-entry';
import { responsibleOffice } from '../../model/responsible-offices';
import { conflict, fieldErrors, notFound, unauthorized, validationFailed, type FieldError } from './errors';
import { SecretBox } from './secret-box';
import type { Caller, CitizenIdentity } from './identity';
import type { Municipality, VerifiedIdentity } from '../../model/types';
import { sha256 } from '../lib/hash';
import { isUniqueViolation } from '../db/database';
import { contentOf, type StoredAttachment } from './document-uploads';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Datum im Format JJJJ-MM-TT erwartet')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'Ungültiges Datum')
  .refine((s) => s < new Date().toISOString().slice(0, 10), 'Das Geburtsdatum muss in der Vergangenheit liegen')
  .refine((s) => s >= '1900-01-01', 'Ungültiges Geburtsdatum');

const text = (max: number) => z.string().trim().min(1, 'Pflichtfeld').max(max, `Höchstens ${max} Zeichen`);

export const applicantSchema = z
  .object({
    firstName: text(100),
    lastName: text(100),
    dateOfBirth: isoDate,
    email: z.string().trim().max(200).email('Ungültige E-Mail-Adresse'),
    ahvNumber: z.string().max(20).refine(isValidAhv, 'Ungültige AHV-Nummer (756.XXXX.XXXX.XC, Prüfziffer)').optional(),
    address: z
      .object({
        street: text(200),
        houseNumber: z.string().trim().min(1, 'Pflichtfeld').max(20),
        postalCode: z.string().regex(/^[1-9]\d{3}$/, 'Schweizer Postleitzahl mit 4 Ziffern erwartet'),
        town: text(100),
      })
      .strict(),
  })
  .strict();

export const submissionSchema = z
  .object({
    municipality: z.number({ invalid_type_error: 'BFS-Nummer (Zahl) erwartet', required_error: 'Pflichtfeld' }).int().positive(),
    applicant: applicantSchema,
    data: z.record(z.unknown()).default({}),
  })
  .strict();

/** A file sent with a submission; its type was decided from its content at the edge. */

export interface SubmissionReceipt {
  reference: string;
  status: 'received';
  accessToken: string;
  statusUrl: string;
  receipt: {
    receivedAt: string;
    dataSha256: string;
    attachments: Array<{ name: string; contentType: string; size: number; sha256: string }>;
    /** HMAC-SHA256 over reference|receivedAt|dataSha256|attachment hashes, with the server's receipt key */
    signature: string;
    algorithm: 'HMAC-SHA256';
  };
}

export class SubmissionService {
  /** The stored first responses contain the access token: sealed like every secret at rest. */
  private readonly idempotencyBox: SecretBox;

  constructor(
    private readonly repos: Repositories,
    private readonly catalogue: Catalogue,
    /** onAccepted: wakes the process-start relay and the mail sender */
    private readonly opts: { publicBaseUrl: string; receiptSecret: string; onAccepted: () => void },
  ) {
    this.idempotencyBox = new SecretBox(opts.receiptSecret, 'idempotency');
  }

  async submit(serviceKey: string, body: unknown, idempotencyKey?: string, attachments: StoredAttachment[] = [], caller: Caller = {}): Promise<SubmissionReceipt> {
    const service = this.catalogue.get(serviceKey);
    if (!service) throw notFound(`Unbekannte Dienstleistung: ${serviceKey}`);
    const { citizen } = caller;
    if (service.entry.identity !== 'none' && !citizen) {
      throw unauthorized(`Für «${service.entry.name}» müssen Sie sich anmelden${service.entry.identity === 'verified' ? ' (geprüfte Identität)' : ''}`);
    }

    const { municipality, applicant, data } = await this.validate(service.entry, citizen ? bindIdentity(body, citizen) : body, citizen ? identityConflicts(body, citizen) : []);
    const identity = citizen ? workerIdentity(citizen) : null;

    // hashed after validation: only bounded, known-shaped input reaches canonicalJson
    const attachmentHashes = attachments.map((a) => ({ name: a.name, contentType: a.contentType, size: a.size, sha256: a.sha256 }));
    // the person (and portal) belong to the request: the same key from someone else is a conflict
    const requestHash = sha256(
      canonicalJson({ municipality, applicant, data, attachments: attachmentHashes, citizen: citizen ? [citizen.issuer, citizen.subject] : null, client: caller.client?.clientId ?? null }),
    );
    if (idempotencyKey) {
      const replay = await this.replay(idempotencyKey, requestHash);
      if (replay) return replay;
    }

    const organisationId = this.responsibleOrganisation(service.definition.properties, service.entry, municipality, data);
    const accessToken = crypto.randomBytes(32).toString('base64url');
    const receivedAt = new Date().toISOString();
    const dataSha256 = sha256(canonicalJson({ municipality, applicant, data }));
    // the files are in the document store already; the transaction below only links them

    try {
      const prefix = `LU-${new Date().getFullYear()}`;
      const reference = `${prefix}-${String(await this.repos.cases.nextReferenceNumber(prefix)).padStart(6, '0')}`;
      const response = await this.repos.transaction(async (trx) => {
        const signed = [reference, receivedAt, dataSha256, ...attachmentHashes.map((a) => a.sha256)].join('|');
        const signature = crypto.createHmac('sha256', this.opts.receiptSecret).update(signed).digest('hex');
        const receipt: SubmissionReceipt['receipt'] = { receivedAt, dataSha256, attachments: attachmentHashes, signature, algorithm: 'HMAC-SHA256' };
        const caseId = await this.repos.cases.insert(trx, {
          reference,
          serviceKey,
          processId: service.definition.processId,
          municipality,
          organisationId,
          status: 'received',
          applicant,
          data,
          accessTokenHash: sha256(accessToken),
          receipt,
          submittedAt: receivedAt,
          citizenSubject: citizen?.subject ?? null,
          citizenIssuer: citizen?.issuer ?? null,
          identity,
          clientId: caller.client?.clientId ?? null,
        });
        await this.repos.timeline.append({ caseId, type: 'submission.received', actor: 'applicant', label: 'Gesuch eingegangen', status: 'received', public: true, at: receivedAt }, trx);
        for (const a of attachments) {
          await this.repos.documents.insertRecord(trx, { caseId, kind: 'attachment', ...a });
        }
        await this.repos.cases.enqueueProcessStart(trx, caseId);
        const mail = composeMail('received', { reference, serviceKey, serviceName: service.entry.name, municipality, applicant, data }, this.opts.publicBaseUrl);
        await this.repos.mail.enqueue({ caseId, dedupeKey: `received:${reference}`, to: applicant.email, subject: mail.subject, body: mail.text }, trx);
        const result: SubmissionReceipt = { reference, status: 'received', accessToken, statusUrl: statusUrl(this.opts.publicBaseUrl, reference), receipt };
        if (idempotencyKey) await this.repos.cases.insertIdempotencyKey(trx, idempotencyKey, requestHash, caseId, this.idempotencyBox.seal(JSON.stringify(result)));
        return result;
      });
      this.opts.onAccepted();
      return response;
    } catch (err) {
      // a concurrent request with the same key won the race (unique key): answer like a replay
      if (idempotencyKey && isUniqueViolation(err)) {
        const replay = await this.replay(idempotencyKey, requestHash);
        if (replay) return replay;
      }
      throw err;
    }
  }

  /** Envelope rules (applicant, municipality) plus the start form's own rules for `data`. */
  private async validate(service: ServiceEntry, body: unknown, identityErrors: FieldError[]) {
    const parsed = submissionSchema.safeParse(body);
    const errors: FieldError[] = [...identityErrors, ...(parsed.success ? [] : fieldErrors(parsed.error.issues).filter((e) => !identityErrors.some((x) => x.path === e.path)))];
    const rawData = body && typeof body === 'object' && 'data' in body ? (body as { data: unknown }).data : {};
    const form = validateAgainstForm(this.catalogue.startForm(service.key), rawData, { basePath: 'data' });
    errors.push(...form.errors.filter((e) => !errors.some((x) => x.path === e.path)));
    if (!parsed.success) throw validationFailed(errors);
    const place = placeOf(service, form.value) ?? { ...parsed.data.applicant.address, path: 'applicant.address', what: 'Ihre Adresse' };
    const routed = await this.routeByAddress(service, parsed.data.municipality, place);
    if ('error' in routed) errors.push(routed.error);
    if (errors.length > 0 || !('municipality' in routed)) throw validationFailed(errors);
    return { municipality: routed.municipality, applicant: parsed.data.applicant, data: form.value };
  }

  /**
   * The Lucerne municipalities an address can lie in, likeliest first: postcode + locality in
   * swisstopo's Ortschaftenverzeichnis (repositories/postcodes.ts; DESIGN.md §9). The portal asks the
   * applicant to choose when there are several (GET /api/v1/municipalities?postalCode=&locality=).
   */
  async municipalitiesAt(postalCode: string, locality: string): Promise<Municipality[]> {
    const all = await this.repos.organisations.listMunicipalities();
    return this.repos.postcodes.candidatesFor(postalCode, locality).flatMap((c) => all.filter((m) => m.bfsNumber === c.bfsNumber));
  }

  /**
   * The municipality named in the body must exist; for a residence-bound service
   * (service.residenceBound) it must be one the applicant's address can lie in, else 422 listing
   * the municipalities to choose from (6005 Luzern: Luzern, Kriens or Horw).
   */
  private async routeByAddress(service: ServiceEntry, named: number, address: RoutingPlace): Promise<{ municipality: number } | { error: FieldError }> {
    if (!(await this.repos.organisations.getMunicipality(named))) {
      return { error: { path: 'municipality', message: 'Unbekannte Gemeinde (BFS-Nummer des Kantons Luzern erwartet)' } };
    }
    if (!service.residenceBound) return { municipality: named };
    const candidates = (await this.municipalitiesAt(address.postalCode, address.town)).map((m) => ({ bfsNumber: m.bfsNumber, name: m.name }));
    if (candidates.length === 0) {
      return { error: { path: `${address.path}.postalCode`, message: 'Die Adresse liegt nicht im Kanton Luzern; bitte geben Sie Ihre Wohnadresse im Kanton an' } };
    }
    if (candidates.some((c) => c.bfsNumber === named)) return { municipality: named };
    return {
      error: { path: 'municipality', message: `${address.what} (${address.postalCode} ${address.town}) liegt nicht in dieser Gemeinde: bitte wählen Sie die Gemeinde dieses Orts`, candidates },
    };
  }

  /**
   * The case behind a reference, if the bearer token matches or it is the signed-in caller's own
   * case (same subject and issuer), or the calling portal client submitted it; otherwise 404 (never
   * reveal existence).
   */
  async authorisedCase(reference: string, accessToken: string | undefined, caller?: Caller): Promise<CaseRecord> {
    const { citizen, client } = caller ?? {};
    const found = accessToken || citizen || client ? await this.repos.cases.getByReference(reference) : undefined;
    if (found && citizen && found.citizenSubject === citizen.subject && found.citizenIssuer === citizen.issuer) return found;
    // a portal client may follow the cases it submitted (it received their access tokens anyway, DESIGN.md §6)
    if (found && client && found.clientId === client.clientId) return found;
    const expected = Buffer.from(found?.accessTokenHash ?? '0'.repeat(64), 'hex');
    const given = Buffer.from(sha256(accessToken ?? ''), 'hex');
    if (!found || !accessToken || !crypto.timingSafeEqual(expected, given)) throw notFound('Gesuch nicht gefunden');
    return found;
  }

  async statusOf(c: CaseRecord) {
    const [timeline, documents, invoices, openRequests] = await Promise.all([
      this.repos.timeline.forCase(c.id, true),
      this.repos.documents.forCase(c.id),
      this.repos.fees.forCase(c.id),
      this.repos.infoRequests.forCase(c.id, 'open'),
    ]);
    const invoice = invoices[0];
    return {
      reference: c.reference,
      service: { key: c.serviceKey, name: this.catalogue.get(c.serviceKey)?.entry.name ?? c.serviceKey },
      status: c.status,
      submittedAt: c.submittedAt,
      timeline: timeline.map((e) => ({ at: e.at, status: e.status ?? c.status, label: e.label })),
      // issued documents only: not what the applicant sent (with the submission or a reply)
      documents: documents
        .filter((d) => d.kind !== 'attachment' && d.kind !== 'reply-attachment')
        .map((d) => ({ id: d.id, name: d.name, contentType: d.contentType, url: `${statusUrl(this.opts.publicBaseUrl, c.reference)}/documents/${d.id}` })),
      openRequests: openRequests.map((r) => ({ id: r.id, message: r.message, requestedAt: r.requestedAt })),
      fee: invoice ? { amount: invoice.amountCents / 100, currency: 'CHF' as const, status: invoice.status } : null,
    };
  }

  async document(c: CaseRecord, documentId: string) {
    const doc = await this.repos.documents.get(c.id, documentId);
    if (!doc) throw notFound('Dokument nicht gefunden');
    return { doc, content: await contentOf(this.repos, doc) };
  }

  /** The office that decides: by service.office (model/responsible-offices.ts), else the municipality or service.organisation. */
  private responsibleOrganisation(properties: Record<string, string>, service: ServiceEntry, municipality: number, data: Record<string, unknown>): string {
    const office = service.office ? responsibleOffice(service.office, municipality, data) : undefined;
    if (office) return office;
    if (service.authority === 'municipality') return municipalityOrganisationId(municipality);
    const cantonal = properties['service.organisation'];
    if (!cantonal) throw new Error('cantonal service without service.organisation or service.office property');
    return cantonal;
  }

  private async replay(key: string, requestHash: string): Promise<SubmissionReceipt | undefined> {
    const stored = await this.repos.cases.findIdempotencyKey(key);
    if (!stored) return undefined;
    if (stored.requestHash !== requestHash) throw conflict('Dieser Idempotency-Key wurde bereits für ein anderes Gesuch verwendet');
    try {
      return JSON.parse(this.idempotencyBox.open(stored.response));
    } catch {
      // sealed under another RECEIPT_SECRET (or by a version before SecretBox): the first response is gone
      throw conflict('Die erste Antwort zu diesem Idempotency-Key ist nicht mehr lesbar; bitte mit einem neuen Idempotency-Key senden');
    }
  }
}

/** The applicant fields a signed-in person's identity decides (DESIGN.md §6). */
const IDENTITY_FIELDS = [
  ['firstName', 'givenName'],
  ['lastName', 'familyName'],
  ['dateOfBirth', 'birthDate'],
] as const;

const sameName = (a: string, b: string) => a.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase() === b.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();

/** Applicant names or birth date in the body that contradict the signed-in identity: 422 with the field path. */
function identityConflicts(body: unknown, citizen: CitizenIdentity): FieldError[] {
  const applicant = (body as { applicant?: Record<string, unknown> } | null)?.applicant;
  if (!applicant || typeof applicant !== 'object') return [];
  return IDENTITY_FIELDS.flatMap(([field, claim]) => {
    const given = applicant[field];
    if (given === undefined || given === null || given === '') return [];
    const ok = typeof given === 'string' && (field === 'dateOfBirth' ? given.trim() === citizen[claim] : sameName(given, citizen[claim]));
    return ok ? [] : [{ path: `applicant.${field}`, message: 'Stimmt nicht mit Ihrer Anmeldung überein: bei angemeldeten Personen gelten Name und Geburtsdatum der Anmeldung' }];
  });
}

/** The body with the applicant's names and birth date taken from the identity (the body may omit them). */
function bindIdentity(body: unknown, citizen: CitizenIdentity): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const b = body as Record<string, unknown>;
  const applicant = b.applicant && typeof b.applicant === 'object' && !Array.isArray(b.applicant) ? (b.applicant as Record<string, unknown>) : {};
  return { ...b, applicant: { ...applicant, firstName: citizen.givenName, lastName: citizen.familyName, dateOfBirth: citizen.birthDate } };
}

function workerIdentity(citizen: CitizenIdentity): VerifiedIdentity {
  return {
    firstName: citizen.givenName,
    lastName: citizen.familyName,
    dateOfBirth: citizen.birthDate,
    ...(citizen.ahvNumber ? { ahvNumber: citizen.ahvNumber } : {}),
    assurance: citizen.assurance,
  };
}

/** JSON with sorted keys, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The address that decides the municipality, with its field path and how a message names it. */
interface RoutingPlace {
  postalCode: string;
  town: string;
  path: string;
  what: string;
}

/** The place a start-form group names (service.locatedAt), when the applicant filled it. */
function placeOf(service: ServiceEntry, data: Record<string, unknown>): RoutingPlace | undefined {
  if (!service.locatedAt) return undefined;
  const group = data[service.locatedAt] as { postalCode?: unknown; town?: unknown } | undefined;
  if (!group || typeof group.postalCode !== 'string' || typeof group.town !== 'string' || group.postalCode === '') return undefined;
  return { postalCode: group.postalCode, town: group.town, path: `data.${service.locatedAt}`, what: 'Der angegebene Ort' };
}
