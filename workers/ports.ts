/**
 * The small ports the job workers use. Workers are plain functions over these ports: no Koa,
 * no knex, no zeebe-node inside a worker. The server wires real implementations
 * (server/engine/worker-ports.ts); unit tests pass fakes. The case model they share with the
 * server (case variables, residents, organisations, ...) is in model/types.ts.
 */
export type { DocumentSeal } from '../model/types.js';
import type { Applicant, CaseStatus, DocumentSeal, CaseVariables, MoveRecordAction, Municipality, OrganisationInfo, PostcodeMatch, ReportedMove, Resident, StaffContact } from '../model/types.js';

export interface JobInput<V = CaseVariables> {
  /** Zeebe job key (a 64-bit number as string): the idempotency key of every side effect */
  key: string;
  type: string;
  variables: V;
  /** task headers from the BPMN (zeebe:taskHeaders) */
  headers: Record<string, string>;
  processInstanceKey: string;
  elementId: string;
}

export interface WorkerResult {
  /** merged into the process instance */
  variables?: Record<string, unknown>;
}

/**
 * A business outcome the process models with an error boundary event (thrown as a BPMN error
 * with this code). Technical failures are ordinary Errors: the job is retried.
 */
export class BusinessError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BusinessError';
  }
}

export interface StoredDocument {
  id: string;
  name: string;
}

export interface DocumentToStore {
  caseReference: string;
  jobKey: string;
  kind: string;
  name: string;
  contentType: string;
  content: Buffer;
}

export interface Fee {
  amountCents: number;
  /** true when the amount is a demo value, not an adopted tariff */
  isDemo: boolean;
}

export interface WorkerPorts {
  register: {
    /** residents of one municipality matching name (case-insensitive) and date of birth */
    findResidents(query: { bfsNumber: number; firstName: string; lastName: string; dateOfBirth: string }): Promise<Resident[]>;
    /**
     * Residents of one municipality matching the name (case-insensitive) and, where given, the
     * date of birth and the street (case-insensitive): the address inquiry names a person by name
     * and birth date or by a last known address (adressauskunft).
     */
    searchResidents(query: { bfsNumber: number; firstName: string; lastName: string; dateOfBirth?: string; street?: string }): Promise<Resident[]>;
  };
  municipalities: {
    get(bfsNumber: number): Promise<Municipality | undefined>;
    /** The Lucerne municipalities an address with this postcode and locality can lie in, likeliest first (empty outside the canton). */
    forAddress(postcode: string, locality: string): Promise<PostcodeMatch[]>;
  };
  documents: {
    /** Idempotent per (caseReference, jobKey, kind): a retried job gets the first document back. */
    store(doc: DocumentToStore): Promise<StoredDocument>;
  };
  fees: {
    /** configured fee of a service in a municipality; null when the service is free there */
    feeFor(serviceKey: string, bfsNumber: number): Promise<Fee | null>;
    /** Idempotent per jobKey. */
    charge(invoice: { caseReference: string; jobKey: string; amountCents: number; description: string }): Promise<{ id: string }>;
  };
  mail: {
    /** Queued in the mail outbox; sent once per dedupeKey, however often a job is retried. */
    enqueue(message: { caseReference: string; dedupeKey: string; to: string; subject: string; text: string }): Promise<void>;
  };
  cases: {
    /** Sets the citizen-facing status and writes a timeline event with the citizen label. */
    setStatus(reference: string, status: CaseStatus, label: string): Promise<void>;
  };
  requests: {
    /** Opens a request for information to the applicant; idempotent per jobKey. */
    open(request: { caseReference: string; jobKey: string; message: string }): Promise<{ id: string }>;
  };
  /** Organisations (municipal administrations, cantonal offices): issuer and creditor data. */
  organisations: {
    /** the organisation responsible for a case (its documents' issuer, its invoices' creditor) */
    forCase(reference: string): Promise<OrganisationInfo>;
    get(id: string): Promise<OrganisationInfo | undefined>;
    /** active users with the team-lead role in that organisation */
    teamLeads(organisationId: string): Promise<StaffContact[]>;
  };
  /** Electronic seals of the organisations: every PDF a worker issues is sealed with its issuer's. */
  seals: {
    /**
     * The organisation's seal (the same Buffer for every call, so its parsing can be cached);
     * undefined when none is configured (the document must then not be issued).
     */
    forOrganisation(organisation: { id: string; name: string }): Promise<DocumentSeal | undefined>;
  };
  /** Changes to the resident register (a reported move); lookups stay in `register`. */
  earlierCases: {
    /**
     * Other cases of a service that still stand (not rejected or withdrawn) whose start-form data
     * contains `dataContains` (digits, e.g. a chip number); the caller compares the field itself.
     */
    withData(query: { serviceKey: string; exceptReference: string; dataContains: string }): Promise<Array<{ reference: string; data: Record<string, unknown> }>>;
    /** Other cases of a service that still stand, of the same applicant (names and birth date); `submittedOn` ISO date. */
    ofApplicant(query: {
      serviceKey: string;
      exceptReference: string;
      applicant: Pick<Applicant, 'firstName' | 'lastName' | 'dateOfBirth'>;
    }): Promise<Array<{ reference: string; data: Record<string, unknown>; submittedOn: string }>>;
  };
  registerUpdates: {
    /**
     * Applies a move to the register for each moving person, idempotently: the record in `toBfs`
     * gets the new address (or is inserted there when unknown); the record in the municipality
     * left is kept with the move-out date and destination (RHG Art. 6 lit. r) and is no longer a
     * resident. `action` is the applicant's, `actions` one per person.
     */
    recordMove(move: ReportedMove): Promise<{ action: MoveRecordAction; actions: MoveRecordAction[] }>;
    /**
     * Sets the data lock (Datensperre) of one register record, idempotently; `changed` is false
     * when the record was locked already.
     */
    setDataLock(lock: { residentId: number; bfsNumber: number; locked: boolean }): Promise<{ changed: boolean }>;
  };
  timeline: {
    /** Appends an internal (or, with public, citizen-visible) event to the case timeline. */
    append(reference: string, event: { type: string; label: string; public?: boolean; details?: Record<string, unknown> }): Promise<void>;
  };
  clock: { now(): Date };
  /** base URL of the public API, for links in e-mails */
  publicBaseUrl: string;
}

export type WorkerHandler = (job: JobInput, ports: WorkerPorts) => Promise<WorkerResult>;
