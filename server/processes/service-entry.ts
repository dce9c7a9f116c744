/**
 * Turns a process definition's `zeebe:properties` (service.*) into a catalogue entry.
 *
 * Properties (all strings in the BPMN):
 * - service.name         required, display name
 * - service.description  required, one citizen-friendly sentence
 * - service.authority    required, "municipality" | "canton"
 * - service.feeChf       optional, e.g. "30.00"; absent, empty or 0 means no fee
 * - service.feeIsDemo    optional "true" | "false" (default false): the fee is a demo value
 * - service.targetDays   optional positive integer: target processing time in Lucerne working days (model/working-days.ts)
 * - service.startForm    required, id of a form in the same folder (the submission contract)
 * - service.identity     required, "none" | "login" | "verified" (DESIGN.md §6): who may submit
 * - service.category     required, the life situation the portal groups it under (e.g. wohnen)
 * - service.residenceBound optional "true" | "false" (default false): the municipality is the one
 *                        the applicant lives in, so it must be one the applicant's address can lie
 *                        in (postcode + locality, issue 16); the candidates are offered by
 *                        GET /api/v1/municipalities?postalCode=&locality= (a submission names one)
 * - service.locatedAt    optional, the path of a start-form group with postalCode and town: when
 *                        the applicant fills it, that place and not their own address decides the
 *                        municipality of a residence-bound service (a dog is taxed "[von der]
 *                        Einwohnergemeinde, in welcher der Hund gehalten wird", Hundegesetz SRL 848 § 5)
 * - service.office       optional "debt" | "tax" | "parking": which office of the municipality (or
 *                        the canton) decides, by model/responsible-offices.ts (with its sources)
 */
import { z } from 'zod';
import type { ProcessDefinitionFile } from './process-files.js';
import { OFFICE_KINDS, type OfficeKind } from '../../model/responsible-offices.js';

export type Authority = 'municipality' | 'canton';

export interface ServiceEntry {
  key: string;
  name: string;
  description: string;
  authority: Authority;
  fee: null | { amount: number; currency: 'CHF' };
  feeIsDemo: boolean;
  targetDays: number | null;
  startFormId: string;
  identity: IdentityLevel;
  category: string;
  residenceBound: boolean;
  locatedAt: string | null;
  office: OfficeKind | null;
}

export const IDENTITY_LEVELS = ['none', 'login', 'verified'] as const;
export type IdentityLevel = (typeof IDENTITY_LEVELS)[number];

/**
 * Job types whose workers release register data or decide on it automatically (certificate,
 * own debt extract, permit on a register match): a process using one must be `verified`, so that
 * the automation only ever runs on an identity the provider vouched for (DESIGN.md §6).
 */
export const REGISTER_RELEASING_JOB_TYPES: ReadonlySet<string> = new Set(['register-lookup', 'debt-extract-assess', 'parking-assess', 'data-lock-assess']);

/**
 * Job types that release register data about ANOTHER person to the requester: the address
 * inquiry (`address-inquiry-assess`, Einzelauskunft aus dem Einwohnerregister) gives name and
 * current address of a resident without a data lock. They need at least `login`, not `verified`:
 * the data released is the person asked about, not the requester, and the register law lets
 * the Einwohnerkontrolle give name and address of one person to private persons, who mostly
 * live elsewhere (creditors, landlords, former neighbours) and so cannot be matched against the
 * register of the municipality asked (DESIGN.md §6 `verified` = found in THAT register). The
 * requester must be known (signed in), so that every release is attributable to a person
 * with the interest they stated; anonymous address inquiries would make the register a free
 * people search. See workers/adressauskunft.ts for the legal basis and what is not verified.
 */
export const THIRD_PARTY_RELEASING_JOB_TYPES: ReadonlySet<string> = new Set(['address-inquiry-assess']);

const nonEmpty = z.string().trim().min(1, 'must not be empty');
const optional = (schema: z.ZodTypeAny) => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const propertiesSchema = z.object({
  'service.name': nonEmpty,
  'service.description': nonEmpty,
  'service.authority': z.enum(['municipality', 'canton']),
  'service.feeChf': optional(
    z
      .string()
      .trim()
      .regex(/^\d{1,6}(\.\d{1,2})?$/, 'must be an amount like "30.00"')
      .transform(Number),
  ),
  'service.feeIsDemo': optional(z.enum(['true', 'false']).transform((v) => v === 'true')),
  'service.office': optional(z.enum(OFFICE_KINDS as [OfficeKind, ...OfficeKind[]])),
  'service.residenceBound': optional(z.enum(['true', 'false']).transform((v) => v === 'true')),
  'service.locatedAt': optional(z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/, 'must be the path of a start-form group')),
  'service.targetDays': optional(
    z
      .string()
      .trim()
      .regex(/^[1-9]\d{0,3}$/, 'must be a positive whole number of days')
      .transform(Number),
  ),
  'service.startForm': nonEmpty,
  'service.identity': z.enum(IDENTITY_LEVELS),
  'service.category': z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9-]{1,39}$/, 'must be a lower-case key such as "wohnen"'),
});

/** Whether the definition carries catalogue data at all (a service process, not a helper). */
export function isServiceDefinition(def: Pick<ProcessDefinitionFile, 'properties'>): boolean {
  return Object.hasOwn(def.properties, 'service.name');
}

/**
 * Builds the catalogue entry; throws an Error naming the BPMN file and the property when a
 * required property is missing or a value is invalid, or when the start form is not in the folder.
 */
export function toServiceEntry(def: Pick<ProcessDefinitionFile, 'serviceKey' | 'bpmnPath' | 'properties' | 'forms'>): ServiceEntry {
  const parsed = propertiesSchema.safeParse(def.properties);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const property = String(issue.path[0] ?? '(properties)');
      const missing = issue.code === 'invalid_type' && issue.received === 'undefined';
      return missing ? `property "${property}" is missing` : `property "${property}" is invalid: ${issue.message}`;
    });
    throw new Error(`${def.bpmnPath}: ${problems.join('; ')}`);
  }
  const p = parsed.data;
  const startFormId = p['service.startForm'];
  if (!def.forms.has(startFormId)) {
    throw new Error(`${def.bpmnPath}: property "service.startForm" names form "${startFormId}", ` + `which is not among the forms of processes/${def.serviceKey}/`);
  }
  const amount = p['service.feeChf'] as number | undefined;
  return {
    key: def.serviceKey,
    name: p['service.name'],
    description: p['service.description'],
    authority: p['service.authority'],
    fee: amount ? { amount, currency: 'CHF' } : null,
    feeIsDemo: (p['service.feeIsDemo'] as boolean | undefined) ?? false,
    targetDays: (p['service.targetDays'] as number | undefined) ?? null,
    startFormId,
    identity: p['service.identity'],
    category: p['service.category'],
    residenceBound: (p['service.residenceBound'] as boolean | undefined) ?? false,
    locatedAt: (p['service.locatedAt'] as string | undefined) ?? null,
    office: (p['service.office'] as OfficeKind | undefined) ?? null,
  };
}
