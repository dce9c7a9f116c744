/**
 * Server-side validation of submitted data against a Camunda Form (form-js JSON schema).
 *
 * The start form of a service is its submission contract, and a task form is the contract of a
 * task completion; this module enforces both without a browser. It mirrors form-js rules where
 * they make sense on a server, with these deliberate choices:
 *
 * - Only fields the form declares are accepted: any other key is an error ("Unbekanntes Feld"),
 *   so nothing unexpected is stored. Only own keys are read; `__proto__`/`constructor` in the
 *   data are unknown fields, and form keys of that kind are refused when the schema is compiled.
 * - Checkbox: the value must be a boolean. `validate.required` means "a boolean must be present"
 *   (false allowed) - unlike the form-js viewer, where a required checkbox must be ticked. A
 *   checkbox without `defaultValue` must also be sent explicitly: the form-js viewer always
 *   submits false/true for a rendered checkbox, so only API clients notice, and a decision such
 *   as `approved` can never default silently to false. Give optional checkboxes
 *   `defaultValue: false`. (Task forms should therefore not set `validate.required` on a yes/no
 *   checkbox: form-js would refuse "no".)
 * - `defaultValue` is applied when a field is absent or null.
 * - Fields (or containers) with a `conditional.hide` expression are never required (FEEL is not
 *   evaluated here); their other rules still apply when a value is sent.
 * - Number: a JSON number (a numeric string only with `serializeToString`); `decimalDigits`
 *   (form-js keeps it on the component; also read from `validate`) 0 means integer.
 * - select/radio/checklist/taglist with static `values` accept only those values; with dynamic
 *   options (`valuesKey`, `valuesExpression`) any scalar is accepted.
 * - `group` with a `path` and `dynamiclist` nest their fields (`path.key`, `path[0].key`); dotted
 *   keys ("a.b") nest as in form-js.
 * - Messages are short and German; paths are `basePath.key` (e.g. `data.copies`).
 */
import { todayIso } from '../../workers/lib/dates';

export interface FormFieldValidate {
  required?: boolean;
  min?: number;
  max?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  validationType?: 'email' | 'phone' | string;
  decimalDigits?: number;
  [rule: string]: unknown;
}

export interface FormComponent {
  id?: string;
  type: string;
  key?: string;
  path?: string;
  label?: string;
  validate?: FormFieldValidate;
  defaultValue?: unknown;
  values?: Array<{ label?: string; value: unknown }>;
  valuesKey?: string;
  valuesExpression?: string;
  decimalDigits?: number;
  serializeToString?: boolean;
  subtype?: 'date' | 'time' | 'datetime' | string;
  disallowPassedDates?: boolean;
  conditional?: { hide?: string };
  components?: FormComponent[];
  [property: string]: unknown;
}

export interface FormSchema {
  id: string;
  components: FormComponent[];
  [property: string]: unknown;
}

export interface FormValidationError {
  path: string;
  message: string;
}

export interface FormValidationResult {
  /** the accepted data: declared fields only, defaults applied */
  value: Record<string, unknown>;
  errors: FormValidationError[];
}

/** form-js field types that carry data and are validated here. */
export const DATA_FIELD_TYPES: ReadonlySet<string> = new Set([
  'textfield',
  'textarea',
  'number',
  'checkbox',
  'checklist',
  'radio',
  'select',
  'datetime',
  'taglist',
]);

interface ObjectNode {
  kind: 'object';
  children: Map<string, ShapeNode>;
}
interface FieldNode {
  kind: 'field';
  component: FormComponent;
  /** inside (or itself) a conditionally hidden component: never required */
  conditional: boolean;
}
interface ListNode {
  kind: 'list';
  component: FormComponent;
  item: ObjectNode;
}
type ShapeNode = ObjectNode | FieldNode | ListNode;

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

function segmentsOf(formId: string, keyOrPath: string): string[] {
  const segments = keyOrPath.split('.');
  for (const s of segments) {
    if (s === '' || FORBIDDEN_SEGMENTS.has(s)) {
      throw new Error(`form "${formId}": invalid key or path "${keyOrPath}"`);
    }
  }
  return segments;
}

function objectAt(formId: string, root: ObjectNode, segments: string[]): ObjectNode {
  let node = root;
  for (const s of segments) {
    const next = node.children.get(s);
    if (!next) {
      const created: ObjectNode = { kind: 'object', children: new Map() };
      node.children.set(s, created);
      node = created;
    } else if (next.kind === 'object') {
      node = next;
    } else {
      throw new Error(`form "${formId}": "${s}" is both a field and a container path`);
    }
  }
  return node;
}

function insert(formId: string, root: ObjectNode, keyOrPath: string, node: ShapeNode): void {
  const segments = segmentsOf(formId, keyOrPath);
  const parent = objectAt(formId, root, segments.slice(0, -1));
  const last = segments[segments.length - 1]!;
  if (parent.children.has(last)) {
    throw new Error(`form "${formId}": key "${keyOrPath}" is used twice`);
  }
  parent.children.set(last, node);
}

function build(formId: string, components: unknown, into: ObjectNode, conditional: boolean): void {
  if (components === undefined) return;
  if (!Array.isArray(components)) throw new Error(`form "${formId}": components must be an array`);
  for (const c of components as FormComponent[]) {
    if (typeof c !== 'object' || c === null || typeof c.type !== 'string') {
      throw new Error(`form "${formId}": every component needs a type`);
    }
    const hidden = conditional || typeof c.conditional?.hide === 'string';
    if (DATA_FIELD_TYPES.has(c.type)) {
      if (typeof c.key !== 'string' || c.key === '') {
        throw new Error(`form "${formId}": ${c.type} field ${c.id ?? ''} has no key`);
      }
      insert(formId, into, c.key, { kind: 'field', component: c, conditional: hidden });
    } else if (c.type === 'dynamiclist' && typeof c.path === 'string' && c.path !== '') {
      const item: ObjectNode = { kind: 'object', children: new Map() };
      build(formId, c.components, item, hidden);
      insert(formId, into, c.path, { kind: 'list', component: c, item });
    } else if (c.components !== undefined) {
      const target =
        typeof c.path === 'string' && c.path !== ''
          ? objectAt(formId, into, segmentsOf(formId, c.path))
          : into;
      build(formId, c.components, target, hidden);
    }
    // anything else (text, html, image, spacer, separator, button, iframe, ...) carries no data
  }
}

const compiled = new WeakMap<object, ObjectNode>();

function compile(schema: Pick<FormSchema, 'components'> & { id?: string }): ObjectNode {
  const cached = compiled.get(schema);
  if (cached) return cached;
  const root: ObjectNode = { kind: 'object', children: new Map() };
  build(schema.id ?? '(unnamed)', schema.components, root, false);
  compiled.set(schema, root);
  return root;
}

/**
 * Checks that a form schema can be used for validation (keys present, no duplicate or
 * dangerous keys). Throws an Error naming the form otherwise. Call it when loading forms.
 */
export function assertUsableFormSchema(schema: Pick<FormSchema, 'components'> & { id?: string }): void {
  compile(schema);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function join(base: string, segment: string): string {
  return base ? `${base}.${segment}` : segment;
}

function own(obj: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

function clone<T>(value: T): T {
  return value !== null && typeof value === 'object' ? structuredClone(value) : value;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ()./-]{6,25}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,3})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?$/;
const NUMERIC_STRING = /^-?\d+(\.\d+)?$/;

function isValidDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function optionValues(c: FormComponent): unknown[] | null {
  return Array.isArray(c.values) ? c.values.map((v) => v?.value) : null;
}

function isScalar(value: unknown): boolean {
  return ['string', 'number', 'boolean'].includes(typeof value);
}

class Walker {
  readonly errors: FormValidationError[] = [];

  private error(path: string, message: string): void {
    this.errors.push({ path, message });
  }

  object(node: ObjectNode, data: Record<string, unknown>, path: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(data)) {
      if (!node.children.has(key)) this.error(join(path, key), 'Unbekanntes Feld');
    }
    for (const [segment, child] of node.children) {
      const childPath = join(path, segment);
      const raw = own(data, segment);
      let result: unknown;
      if (child.kind === 'field') {
        result = this.field(child, raw, childPath);
      } else if (child.kind === 'object') {
        if (raw === undefined || raw === null) {
          const nested = this.object(child, {}, childPath);
          result = Object.keys(nested).length > 0 ? nested : undefined;
        } else if (!isPlainObject(raw)) {
          this.error(childPath, 'Muss ein Objekt sein');
        } else {
          result = this.object(child, raw, childPath);
        }
      } else {
        result = this.list(child, raw, childPath);
      }
      if (result !== undefined) out[segment] = result;
    }
    return out;
  }

  private list(node: ListNode, raw: unknown, path: string): unknown {
    if (raw === undefined || raw === null) return undefined;
    if (!Array.isArray(raw)) {
      this.error(path, 'Muss eine Liste sein');
      return undefined;
    }
    return raw.map((item, i) => {
      const itemPath = `${path}[${i}]`;
      if (!isPlainObject(item)) {
        this.error(itemPath, 'Muss ein Objekt sein');
        return {};
      }
      return this.object(node.item, item, itemPath);
    });
  }

  private field(node: FieldNode, raw: unknown, path: string): unknown {
    const c = node.component;
    const validate: FormFieldValidate = isPlainObject(c.validate) ? c.validate : {};
    const required = validate.required === true && !node.conditional;

    let value = raw;
    if (value === undefined || value === null) {
      if (c.defaultValue !== undefined && c.defaultValue !== null) {
        value = clone(c.defaultValue);
      } else {
        if (required || (c.type === 'checkbox' && !node.conditional)) this.error(path, 'Pflichtfeld');
        return undefined;
      }
    }

    switch (c.type) {
      case 'textfield':
      case 'textarea':
        return this.text(validate, required, value, path);
      case 'number':
        return this.number(c, validate, required, value, path);
      case 'checkbox':
        if (typeof value !== 'boolean') {
          this.error(path, 'Muss true oder false sein');
          return undefined;
        }
        return value;
      case 'radio':
      case 'select':
        return this.single(c, required, value, path);
      case 'checklist':
      case 'taglist':
        return this.multiple(c, required, value, path);
      case 'datetime':
        return this.datetime(c, required, value, path);
      default:
        return undefined;
    }
  }

  private text(
    validate: FormFieldValidate,
    required: boolean,
    value: unknown,
    path: string,
  ): unknown {
    if (typeof value !== 'string') {
      this.error(path, 'Muss ein Text sein');
      return undefined;
    }
    if (value.trim() === '') {
      if (required) this.error(path, 'Pflichtfeld');
      return value;
    }
    const length = [...value].length;
    if (typeof validate.minLength === 'number' && length < validate.minLength) {
      this.error(path, `Mindestens ${validate.minLength} Zeichen`);
    }
    if (typeof validate.maxLength === 'number' && length > validate.maxLength) {
      this.error(path, `Höchstens ${validate.maxLength} Zeichen`);
    }
    if (typeof validate.pattern === 'string' && validate.pattern !== '') {
      let matches = false;
      try {
        matches = new RegExp(validate.pattern).test(value);
      } catch {
        matches = false;
      }
      if (!matches) this.error(path, 'Ungültiges Format');
    }
    if (validate.validationType === 'email' && !EMAIL.test(value.trim())) {
      this.error(path, 'Ungültige E-Mail-Adresse');
    }
    if (
      validate.validationType === 'phone' &&
      (!PHONE.test(value.trim()) || value.replace(/\D/g, '').length < 6)
    ) {
      this.error(path, 'Ungültige Telefonnummer');
    }
    return value;
  }

  private number(
    c: FormComponent,
    validate: FormFieldValidate,
    required: boolean,
    value: unknown,
    path: string,
  ): unknown {
    let n: number;
    if (typeof value === 'number') {
      n = value;
    } else if (typeof value === 'string' && c.serializeToString === true) {
      if (value.trim() === '') {
        if (required) this.error(path, 'Pflichtfeld');
        return undefined;
      }
      if (!NUMERIC_STRING.test(value.trim())) {
        this.error(path, 'Muss eine Zahl sein');
        return undefined;
      }
      n = Number(value);
    } else {
      this.error(path, 'Muss eine Zahl sein');
      return undefined;
    }
    if (!Number.isFinite(n)) {
      this.error(path, 'Muss eine Zahl sein');
      return undefined;
    }
    const digits = typeof c.decimalDigits === 'number' ? c.decimalDigits : validate.decimalDigits;
    if (digits === 0 && !Number.isInteger(n)) {
      this.error(path, 'Muss eine ganze Zahl sein');
    } else if (typeof digits === 'number' && digits > 0) {
      const text = String(n);
      const decimals = text.includes('e') ? 0 : (text.split('.')[1]?.length ?? 0);
      if (decimals > digits) this.error(path, `Höchstens ${digits} Nachkommastellen`);
    }
    if (typeof validate.min === 'number' && n < validate.min) {
      this.error(path, `Muss mindestens ${validate.min} sein`);
    }
    if (typeof validate.max === 'number' && n > validate.max) {
      this.error(path, `Darf höchstens ${validate.max} sein`);
    }
    return value;
  }

  private single(c: FormComponent, required: boolean, value: unknown, path: string): unknown {
    if (value === '') {
      if (required) this.error(path, 'Pflichtfeld');
      return undefined;
    }
    const allowed = optionValues(c);
    if (!isScalar(value) || (allowed && !allowed.includes(value))) {
      this.error(path, 'Ungültige Auswahl');
      return undefined;
    }
    return value;
  }

  private multiple(c: FormComponent, required: boolean, value: unknown, path: string): unknown {
    if (!Array.isArray(value)) {
      this.error(path, 'Muss eine Liste sein');
      return undefined;
    }
    if (value.length === 0) {
      if (required) this.error(path, 'Pflichtfeld');
      return value;
    }
    const allowed = optionValues(c);
    const seen = new Set<unknown>();
    value.forEach((item, i) => {
      if (!isScalar(item) || (allowed && !allowed.includes(item))) {
        this.error(`${path}[${i}]`, 'Ungültige Auswahl');
      } else if (seen.has(item)) {
        this.error(`${path}[${i}]`, 'Doppelte Auswahl');
      }
      seen.add(item);
    });
    return value;
  }

  private datetime(c: FormComponent, required: boolean, value: unknown, path: string): unknown {
    if (typeof value !== 'string') {
      this.error(path, 'Muss ein Text sein');
      return undefined;
    }
    if (value === '') {
      if (required) this.error(path, 'Pflichtfeld');
      return undefined;
    }
    const subtype = c.subtype ?? 'date';
    let date: string | null = null;
    if (subtype === 'time') {
      if (!TIME.test(value)) this.error(path, 'Ungültige Uhrzeit (HH:MM)');
    } else if (subtype === 'datetime') {
      const [d, t] = value.split('T');
      if (!d || !t || !isValidDate(d) || !TIME.test(t)) {
        this.error(path, 'Ungültiger Zeitpunkt (JJJJ-MM-TTTHH:MM)');
      } else {
        date = d;
      }
    } else if (!isValidDate(value)) {
      this.error(path, 'Ungültiges Datum (JJJJ-MM-TT)');
    } else {
      date = value;
    }
    if (date && c.disallowPassedDates === true && date < todayIso(new Date())) {
      this.error(path, 'Datum liegt in der Vergangenheit');
    }
    return value;
  }
}

/**
 * Validates `data` against a form-js schema. Never throws for bad data (only for an unusable
 * schema, see assertUsableFormSchema). `value` holds the declared fields with defaults applied;
 * it is meaningful only when `errors` is empty.
 */
export function validateAgainstForm(
  schema: Pick<FormSchema, 'components'> & { id?: string },
  data: unknown,
  opts: { basePath?: string } = {},
): FormValidationResult {
  const root = compile(schema);
  const basePath = opts.basePath ?? '';
  const walker = new Walker();
  if (!isPlainObject(data)) {
    return { value: {}, errors: [{ path: basePath, message: 'Muss ein Objekt sein' }] };
  }
  const value = walker.object(root, data, basePath);
  return { value, errors: walker.errors };
}
