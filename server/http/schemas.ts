/**
 * Response bodies of the API as zod schemas, for the OpenAPI document (route.ts declarations).
 * They describe the main shape of what the domain services return; objects may carry more.
 */
import { z } from 'zod';

const iso = z.string().describe('ISO 8601 date-time');
const isoOrNull = iso.nullable();
const obj = <T extends z.ZodRawShape>(shape: T) => z.object(shape).passthrough();

export const okStatus = obj({ status: z.string() });

export const serviceSchema = obj({
  key: z.string(),
  name: z.string(),
  description: z.string(),
  authority: z.enum(['municipality', 'canton']),
  fee: obj({ amount: z.number(), currency: z.literal('CHF') }).nullable(),
  targetDays: z.number().nullable(),
  identity: z.enum(['none', 'login', 'verified']),
  category: z.string(),
});

export const serviceWithFormSchema = serviceSchema.extend({
  form: obj({ id: z.string(), components: z.array(z.record(z.unknown())) })
    .nullable()
    .describe('the Camunda start form'),
});

export const municipalitySchema = obj({ bfsNumber: z.number().int(), name: z.string(), district: z.string(), postalCodes: z.array(z.string()) });

export const receiptSchema = obj({
  reference: z.string(),
  status: z.literal('received'),
  accessToken: z.string(),
  statusUrl: z.string(),
  receipt: obj({
    receivedAt: iso,
    dataSha256: z.string(),
    attachments: z.array(obj({ name: z.string(), contentType: z.string(), size: z.number().int(), sha256: z.string() })),
    signature: z.string(),
    algorithm: z.literal('HMAC-SHA256'),
  }),
});

export const applicantStatusSchema = obj({
  reference: z.string(),
  service: obj({ key: z.string(), name: z.string() }),
  status: z.string(),
  submittedAt: iso,
  timeline: z.array(obj({ at: iso, status: z.string(), label: z.string() })),
  documents: z.array(obj({ id: z.string(), name: z.string(), contentType: z.string(), url: z.string() })),
  openRequests: z.array(obj({ id: z.string(), message: z.string(), requestedAt: iso })),
  fee: obj({ amount: z.number(), currency: z.literal('CHF'), status: z.string() }).nullable(),
});

export const caseStatusSchema = obj({ reference: z.string(), status: z.string() });

export const citizenSchema = obj({
  subject: z.string(),
  givenName: z.string().nullable().optional(),
  familyName: z.string().nullable().optional(),
  birthDate: z.string().nullable().optional(),
  assurance: z.string(),
  csrfToken: z.string().describe('echo it in X-CSRF-Token on changes'),
});

export const mySubmissionSchema = obj({
  reference: z.string(),
  service: z.string(),
  serviceName: z.string(),
  authority: obj({ id: z.string(), name: z.string() }),
  status: z.string(),
  submittedAt: iso,
  updatedAt: iso,
});

export const userSchema = obj({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  roles: z.array(z.string()),
  groups: z.array(z.string()),
  organisations: z.array(z.string()),
  active: z.boolean(),
  mustChangePassword: z.boolean(),
});

export const organisationSchema = obj({
  id: z.string(),
  kind: z.enum(['municipality', 'canton']),
  name: z.string(),
  bfsNumber: z.number().int().nullable(),
  inboxGroups: z.array(z.string()),
});

export const auditEventSchema = obj({
  id: z.number().int(),
  at: iso,
  actor: z.string(),
  action: z.string(),
  entityType: z.enum(['user', 'organisation']),
  entityId: z.string(),
  organisations: z.array(z.string()),
  before: z.record(z.unknown()).nullable(),
  after: z.record(z.unknown()).nullable(),
});

export const sessionSchema = obj({ token: z.string(), expiresAt: iso, user: userSchema });

export const taskSchema = obj({
  id: z.string(),
  name: z.string(),
  state: z.enum(['open', 'completed', 'cancelled']),
  caseReference: z.string(),
  serviceKey: z.string(),
  municipality: z.number().int(),
  organisationId: z.string(),
  assignee: z.string().nullable(),
  candidateGroups: z.array(z.string()),
  candidateUsers: z.array(z.string()),
  createdAt: iso,
  dueDate: isoOrNull,
  followUpDate: isoOrNull,
  completedAt: isoOrNull,
  completedBy: z.string().nullable(),
  applicantName: z.string().nullable().describe("the case's applicant (first and last name)"),
  deputyFor: z.string().nullable().optional().describe('Stellvertretung: the absent user (username) the assignee stands in for'),
  deputyForName: z.string().nullable().optional().describe("Stellvertretung: the absent user's display name"),
});

export const taskDetailSchema = taskSchema.extend({
  formKey: z.string().nullable(),
  form: z.record(z.unknown()).nullable().describe('the Camunda task form'),
  variables: z.record(z.unknown()).optional(),
  fourEyes: z
    .object({ earlierTask: z.string(), blocked: z.boolean(), message: z.string().nullable() })
    .nullable()
    .optional()
    .describe('four-eyes rule of the task (BPMN property fourEyes): blocked when the caller completed the earlier task of the case'),
});

export const caseSummarySchema = obj({
  id: z.string(),
  reference: z.string(),
  serviceKey: z.string(),
  serviceName: z.string(),
  municipality: z.number().int(),
  organisationId: z.string(),
  status: z.string(),
  applicantName: z.string(),
  submittedAt: iso,
  updatedAt: iso,
  closedAt: isoOrNull,
});

const documentRef = obj({ id: z.string(), name: z.string(), contentType: z.string(), size: z.number().int(), url: z.string() });

export const caseDetailSchema = caseSummarySchema.extend({
  applicant: z.record(z.unknown()),
  data: z.record(z.unknown()),
  receipt: z.record(z.unknown()),
  processInstanceKey: z.string().nullable(),
  timeline: z.array(obj({ at: iso, label: z.string() })),
  tasks: z.array(taskSchema),
  documents: z.array(documentRef.extend({ kind: z.string(), sha256: z.string(), createdAt: iso })),
  invoices: z.array(obj({ id: z.string(), amount: z.number(), currency: z.string(), status: z.string(), description: z.string() })),
  infoRequests: z.array(obj({ id: z.string(), message: z.string(), attachments: z.array(documentRef) })),
});

export const inboxCountsSchema = obj({
  mine: z.number().int(),
  groups: z.number().int(),
  organisation: z.number().int(),
  completed: z.number().int(),
  capped: z.array(z.string()).describe('views whose count is a lower bound'),
});

export const colleagueSchema = obj({ username: z.string(), displayName: z.string() });

export const dashboardSchema = obj({
  generatedAt: iso,
  perAssignee: z.array(obj({ assignee: z.string().nullable(), displayName: z.string().nullable(), open: z.number(), overdue: z.number() })),
  perService: z.array(obj({ serviceKey: z.string(), serviceName: z.string(), open: z.number(), overdue: z.number() })),
  throughput: z.array(z.record(z.unknown())),
  processingTime: z.array(obj({ serviceKey: z.string(), serviceName: z.string(), cases: z.number(), averageDays: z.number(), targetDays: z.number().nullable() })),
});

export const diagramSchema = obj({
  processId: z.string(),
  xml: z.string().nullable(),
  completed: z.array(z.string()),
  active: z.array(z.string()),
  flows: z.array(z.string()),
});

export const noteSchema = obj({ id: z.number().int(), author: z.string(), authorName: z.string(), body: z.string(), createdAt: iso, own: z.boolean() });

export const invoiceSchema = obj({
  id: z.string(),
  caseReference: z.string(),
  amount: z.number(),
  currency: z.literal('CHF'),
  description: z.string(),
  status: z.enum(['open', 'paid']),
  createdAt: iso,
  paidAt: isoOrNull,
});

const processVersion = obj({ version: z.number().int(), processDefinitionKey: z.string(), deployedAt: iso, deployedBy: z.string() });

export const processSummarySchema = obj({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  processId: z.string(),
  authority: z.string(),
  currentVersion: z.number().int().nullable(),
  deployedAt: isoOrNull,
  runningCases: z.number().int(),
  versions: z.array(processVersion.extend({ runningCases: z.number().int() })),
});

export const processDetailSchema = obj({ id: z.string(), key: z.string(), name: z.string(), processId: z.string(), versions: z.array(processVersion) });

const contentForm = obj({ fileName: z.string(), schema: z.record(z.unknown()) });

/** A process's BPMN and forms as the modeler sends them (checked by the process-owner service). */
export const processContentSchema = obj({ xml: z.string().describe('BPMN 2.0 XML'), forms: z.array(contentForm), comment: z.string().optional() });

export const processVersionContentSchema = obj({ version: z.number().int(), processDefinitionKey: z.string(), xml: z.string(), forms: z.array(contentForm) });

export const draftSummarySchema = obj({ id: z.number().int(), serviceKey: z.string(), comment: z.string(), author: z.string(), createdAt: iso });

export const draftSchema = draftSummarySchema.extend({ xml: z.string(), forms: z.array(contentForm) });

const finding = obj({ severity: z.enum(['error', 'warning']), message: z.string() });

export const lintResultSchema = obj({ findings: z.array(finding), errors: z.number().int(), warnings: z.number().int() });

export const deployResultSchema = processVersion.extend({ warnings: z.array(finding) });

const element = obj({ id: z.string(), type: z.string(), name: z.string().nullable() });

export const diffSchema = obj({
  from: z.string(),
  to: z.string(),
  added: z.array(element),
  removed: z.array(element),
  changed: z.array(element.extend({ attrs: z.array(z.string()) })),
  layoutChanged: z.array(element),
  forms: z.unknown().describe('form changes by file'),
});

export const portalClientSchema = obj({
  clientId: z.string(),
  name: z.string(),
  rateLimitPerMinute: z.number().int().nullable(),
  callbackUrl: z.string().nullable(),
  hasCallbackSecret: z.boolean(),
  active: z.boolean(),
  createdAt: iso,
  updatedAt: iso,
});

export const statusCallbackSchema = obj({
  id: z.number().int(),
  eventId: z.string(),
  clientId: z.string(),
  reference: z.string(),
  status: z.string(),
  at: iso,
  state: z.string(),
  attempts: z.number().int(),
  nextAttemptAt: iso,
  lastError: z.string().nullable(),
  deliveredAt: isoOrNull,
  createdAt: iso,
});

const dependencyState = z.enum(['up', 'down']);
export const readySchema = obj({
  status: z.enum(['ready', 'not ready', 'draining']),
  role: z.enum(['all', 'server', 'workers']),
  database: z.boolean(),
  engine: z.boolean(),
  dependencies: obj({ database: dependencyState, zeebe: dependencyState }),
});

/** A file in the answer (PDF, image, ZIP, CSV): no JSON schema. */
export const file = (description: string, contentType: string) => ({ description, contentType, schema: z.any() });

export const incidentSchema = obj({
  id: z.number().int(),
  caseReference: z.string(),
  serviceKey: z.string(),
  step: z.string().describe('the name of the failed BPMN element'),
  elementId: z.string(),
  jobType: z.string(),
  errorMessage: z.string(),
  state: z.enum(['open', 'retrying', 'resolved', 'cancelled']),
  createdAt: iso,
  updatedAt: iso,
  resolvedAt: isoOrNull,
  resolvedBy: z.string().nullable(),
  processInstanceKey: z.string(),
  elementInstanceKey: z.string(),
});

const waitingStepSchema = obj({ elementId: z.string(), name: z.string(), cases: z.number().int() });

export const impactSchema = obj({
  draftId: z.number().int(),
  runningCases: z.number().int(),
  versions: z.array(obj({ version: z.number().int(), processDefinitionKey: z.string(), runningCases: z.number().int(), waiting: z.array(waitingStepSchema) })),
  removedWaiting: z.array(waitingStepSchema.extend({ version: z.number().int() })).describe('steps running cases wait in that the draft no longer has'),
});
