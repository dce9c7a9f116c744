/**
 * Server-side validation of submitted data against a Camunda Form (form-js JSON schema).
 *
 * The start form of a service is its submission contract, and a task form is the contract of a
 * task completion; this module enforces both without a browser. For every value the form-js
 * viewer can produce, it refuses exactly the fields form-js refuses (test/unit/processes/
 * form-parity.test.ts runs both): the rules are form-js's own (form-rules.ts), `=`-valued limits
 * and `conditional.hide` are evaluated with FEEL as there (form-feel.ts), and a hidden field is
 * ignored as form-js ignores it: not required, not validated, left out of the value.
 * On top of that, because API clients can send anything a browser form cannot:
 *
 * - Only fields the form declares are accepted: any other key is an error ("Unbekanntes Feld"),
 *   so nothing unexpected is stored. Only own keys are read; `__proto__`/`constructor` in the
 *   data are unknown fields, and form keys of that kind are refused when the schema is compiled.
 * - Types: text is a string, a number a JSON number (a numeric string only with
 *   `serializeToString`), a checkbox a boolean, select/radio/checklist/taglist values come from
 *   the static `values` (any scalar with `valuesKey`/`valuesExpression`), no duplicates in a list,
 *   dates are valid ISO dates (YYYY-MM-DD, HH:MM, YYYY-MM-DDTHH:MM) and, with
 *   `disallowPassedDates`, not in the past (the form's date picker offers no past day).
 * - A checkbox without `defaultValue` must be sent: the viewer always submits false/true for a
 *   visible checkbox, so only API clients notice, and a decision such as `approved` can never
 *   default silently to false. `validate.required` on a checkbox means "must be ticked", as in
 *   form-js (so a yes/no decision must not be required).
 * - `defaultValue` is applied when a field is absent (as form-js does on import); null is an
 *   empty value (the viewer's value of a cleared number, select or date).
 * - `disabled` fields are neither validated nor kept, as form-js leaves them out of its submit.
 * - `group` with a `path` and `dynamiclist` nest their fields (`path.key`, `path[0].key`); dotted
 *   keys ("a.b") nest as in form-js.
 * - Messages are short and German; paths are `basePath.key` (e.g. `data.copies`).
 */
import { todayIso } from '../../model/dates';
import { expressionContext, type FeelScope, isHiddenBy } from './form-feel';
import { evaluatedRules, numberRuleErrors, presetRuleErrors } from './form-rules';

export interface FormFieldValidate {
  required?: boolean;
  /** a number, or a FEEL expression ("=...") evaluated in the field's context */
  min?: number | string;
  max?: number | string;
  minLength?: number | string;
  maxLength?: number | string;
  pattern?: string;
  patternErrorMessage?: string;
  validationType?: 'email' | 'phone' | string;
  /** not read by form-js (it reads the component's `decimalDigits`), so not read here either */
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
  increment?: number | string;
  serializeToString?: boolean;
  subtype?: 'date' | 'time' | 'datetime' | string;
  disallowPassedDates?: boolean;
  disabled?: boolean;
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
  /** the accepted data: declared, visible fields only, defaults applied */
  value: Record<string, unknown>;
  errors: FormValidationError[];
}

export interface FormValidationOptions {
  /** prefix of error paths, e.g. "data" */
  basePath?: string;
  /**
   * Further variables the form's FEEL sees besides its own fields (form-js imports a task form
   * with the process variables, so its conditions may refer to them). The data wins on a clash.
   */
  context?: Record<string, unknown>;
}

/** form-js field types that carry data and are validated here. */
export const DATA_FIELD_TYPES: ReadonlySet<string> = new Set(['textfield', 'textarea', 'number', 'checkbox', 'checklist', 'radio', 'select', 'datetime', 'taglist']);

/** form-js `emptyValue` of each field type: a field's value before anyone filled it in. */
const EMPTY_VALUE: Record<string, unknown> = {
  textfield: '',
  textarea: '',
  number: null,
  checkbox: false,
  checklist: [],
  taglist: [],
  radio: null,
  select: null,
  datetime: null,
};

interface ObjectNode {
  kind: 'object';
  children: Map<string, ShapeNode>;
}
interface FieldNode {
  kind: 'field';
  component: FormComponent;
  /** `conditional.hide` of the component and its containers within the same repetition scope */
  hides: string[];
}
interface ListNode {
  kind: 'list';
  component: FormComponent;
  item: ObjectNode;
  hides: string[];
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

function build(formId: string, components: unknown, into: ObjectNode, inheritedHides: string[]): void {
  if (components === undefined) return;
  if (!Array.isArray(components)) throw new Error(`form "${formId}": components must be an array`);
  for (const c of components as FormComponent[]) {
    if (typeof c !== 'object' || c === null || typeof c.type !== 'string') {
      throw new Error(`form "${formId}": every component needs a type`);
    }
    const hide = c.conditional?.hide;
    const hides = typeof hide === 'string' && hide !== '' ? [...inheritedHides, hide] : inheritedHides;
    if (DATA_FIELD_TYPES.has(c.type)) {
      if (typeof c.key !== 'string' || c.key === '') {
        throw new Error(`form "${formId}": ${c.type} field ${c.id ?? ''} has no key`);
      }
      insert(formId, into, c.key, { kind: 'field', component: c, hides });
    } else if (c.type === 'dynamiclist' && typeof c.path === 'string' && c.path !== '') {
      // each repetition is a new FEEL scope: the list's own conditions stay with the list
      const item: ObjectNode = { kind: 'object', children: new Map() };
      build(formId, c.components, item, []);
      insert(formId, into, c.path, { kind: 'list', component: c, item, hides });
    } else if (c.components !== undefined) {
      const target = typeof c.path === 'string' && c.path !== '' ? objectAt(formId, into, segmentsOf(formId, c.path)) : into;
      build(formId, c.components, target, hides);
    }
    // anything else (text, html, image, spacer, separator, button, iframe, ...) carries no data
  }
}

const compiled = new WeakMap<object, ObjectNode>();

function compile(schema: Pick<FormSchema, 'components'> & { id?: string }): ObjectNode {
  const cached = compiled.get(schema);
  if (cached) return cached;
  const root: ObjectNode = { kind: 'object', children: new Map() };
  build(schema.id ?? '(unnamed)', schema.components, root, []);
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

function own(obj: unknown, key: string): unknown {
  return isPlainObject(obj) && Object.hasOwn(obj, key) ? obj[key] : undefined;
}

function clone<T>(value: T): T {
  return value !== null && typeof value === 'object' ? structuredClone(value) : value;
}

/** A shallow copy without keys that could reach a prototype (they are unknown fields anyway). */
function safeCopy(value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!isPlainObject(value)) return out;
  for (const key of Object.keys(value)) {
    if (!FORBIDDEN_SEGMENTS.has(key)) out[key] = value[key];
  }
  return out;
}

/**
 * The data as the form-js viewer holds it after importing `raw` (Form._getInitializedFieldData):
 * every field has its value, else its default, else its type's empty value. FEEL is evaluated
 * against this, so a condition sees the same `null`/`""`/`false` as in the browser.
 */
function initialise(node: ObjectNode, raw: unknown): Record<string, unknown> {
  const out = safeCopy(raw);
  for (const [segment, child] of node.children) {
    const value = own(raw, segment);
    if (child.kind === 'field') {
      const c = child.component;
      out[segment] = value !== undefined ? value : c.defaultValue !== undefined ? c.defaultValue : EMPTY_VALUE[c.type];
    } else if (child.kind === 'object') {
      out[segment] = initialise(child, value);
    } else {
      const repetitions = child.component.defaultRepetitions;
      const items = Array.isArray(value) ? value : Array.from({ length: typeof repetitions === 'number' ? repetitions : 1 }, () => ({}));
      out[segment] = items.map((item) => initialise(child.item, isPlainObject(item) ? item : {}));
    }
  }
  return out;
}

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

/**
 * One repetition scope: the FEEL scope, its (lazily built) expression context and the result of
 * each `conditional.hide` evaluated in it (a group's condition is shared by all its fields, and
 * several fields often repeat one condition; each FEEL evaluation parses the expression anew).
 */
class Scope {
  private context: Record<string, unknown> | undefined;
  private readonly hiddenBy = new Map<string, boolean>();
  constructor(
    private readonly data: Record<string, unknown>,
    readonly feel: FeelScope,
  ) {}

  get expressionContext(): Record<string, unknown> {
    this.context ??= expressionContext(this.data, this.feel);
    return this.context;
  }

  hidden(hides: string[]): boolean {
    return hides.some((hide) => {
      let result = this.hiddenBy.get(hide);
      if (result === undefined) {
        result = isHiddenBy(hide, this.expressionContext);
        this.hiddenBy.set(hide, result);
      }
      return result;
    });
  }

  child(item: unknown, index: number): Scope {
    return new Scope(this.data, { this: item, parent: this.feel.this, i: [...this.feel.i, index + 1] });
  }
}

class Walker {
  readonly errors: FormValidationError[] = [];

  private error(path: string, message: string): void {
    this.errors.push({ path, message });
  }

  object(node: ObjectNode, data: Record<string, unknown>, init: Record<string, unknown>, path: string, scope: Scope): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(data)) {
      if (!node.children.has(key)) this.error(join(path, key), 'Unbekanntes Feld');
    }
    for (const [segment, child] of node.children) {
      const childPath = join(path, segment);
      const raw = own(data, segment);
      const childInit = own(init, segment);
      let result: unknown;
      if (child.kind === 'field') {
        result = this.field(child, raw, childPath, scope);
      } else if (child.kind === 'object') {
        const nestedInit = isPlainObject(childInit) ? childInit : {};
        if (raw === undefined || raw === null) {
          const nested = this.object(child, {}, nestedInit, childPath, scope);
          result = Object.keys(nested).length > 0 ? nested : undefined;
        } else if (!isPlainObject(raw)) {
          this.error(childPath, 'Muss ein Objekt sein');
        } else {
          result = this.object(child, raw, nestedInit, childPath, scope);
        }
      } else {
        result = this.list(child, raw, Array.isArray(childInit) ? childInit : [], childPath, scope);
      }
      if (result !== undefined) out[segment] = result;
    }
    return out;
  }

  private list(node: ListNode, raw: unknown, init: unknown[], path: string, scope: Scope): unknown {
    if (scope.hidden(node.hides)) return undefined;
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
      const itemInit = isPlainObject(init[i]) ? (init[i] as Record<string, unknown>) : {};
      return this.object(node.item, item, itemInit, itemPath, scope.child(itemInit, i));
    });
  }

  private field(node: FieldNode, raw: unknown, path: string, scope: Scope): unknown {
    const c = node.component;
    // form-js neither validates nor submits disabled or hidden fields
    if (c.disabled === true || scope.hidden(node.hides)) return undefined;

    const rules = evaluatedRules(c.validate, scope.expressionContext);
    let value = raw;
    if (value === undefined || (value === null && c.type === 'checkbox')) {
      if (c.defaultValue !== undefined) {
        value = clone(c.defaultValue);
      } else if (c.type === 'checkbox') {
        this.error(path, 'Pflichtfeld');
        return undefined;
      }
    }
    if (value === undefined || value === null) {
      if (rules.required) this.error(path, 'Pflichtfeld');
      return undefined;
    }
    if (!this.typed(c, value, path)) return undefined;
    for (const message of [...(c.type === 'number' ? numberRuleErrors(c, value) : []), ...presetRuleErrors(c.type, rules, value)]) {
      this.error(path, message);
    }
    const empty = value === '' || (Array.isArray(value) && value.length === 0);
    if (!empty) this.options(c, value, path);
    // an empty choice, date or number string is no value
    if (value === '' && c.type !== 'textfield' && c.type !== 'textarea') return undefined;
    return value;
  }

  /** Server-only type checks (an API client can send what a form cannot); false after an error. */
  private typed(c: FormComponent, value: unknown, path: string): boolean {
    const check = (ok: boolean, message: string) => {
      if (!ok) this.error(path, message);
      return ok;
    };
    switch (c.type) {
      case 'textfield':
      case 'textarea':
      case 'datetime':
        return check(typeof value === 'string', 'Muss ein Text sein');
      case 'number': {
        const numeric = typeof value === 'number' ? Number.isFinite(value) : typeof value === 'string' && c.serializeToString === true && (value === '' || NUMERIC_STRING.test(value));
        return check(numeric, 'Muss eine Zahl sein');
      }
      case 'checkbox':
        return check(typeof value === 'boolean', 'Muss true oder false sein');
      case 'radio':
      case 'select':
        return check(value === '' || isScalar(value), 'Ungültige Auswahl');
      case 'checklist':
      case 'taglist':
        return check(Array.isArray(value), 'Muss eine Liste sein');
      default:
        return true;
    }
  }

  /** Server-only checks of a non-empty value: choices from the options, valid dates. */
  private options(c: FormComponent, value: unknown, path: string): void {
    switch (c.type) {
      case 'radio':
      case 'select': {
        const allowed = optionValues(c);
        if (allowed && !allowed.includes(value)) this.error(path, 'Ungültige Auswahl');
        return;
      }
      case 'checklist':
      case 'taglist': {
        const allowed = optionValues(c);
        const seen = new Set<unknown>();
        (value as unknown[]).forEach((item, i) => {
          if (!isScalar(item) || (allowed && !allowed.includes(item))) {
            this.error(`${path}[${i}]`, 'Ungültige Auswahl');
          } else if (seen.has(item)) {
            this.error(`${path}[${i}]`, 'Doppelte Auswahl');
          }
          seen.add(item);
        });
        return;
      }
      case 'datetime':
        this.datetime(c, value as string, path);
        return;
    }
  }

  private datetime(c: FormComponent, value: string, path: string): void {
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
  }
}

/**
 * Validates `data` against a form-js schema. Never throws for bad data (only for an unusable
 * schema, see assertUsableFormSchema). `value` holds the declared, visible fields with defaults
 * applied; it is meaningful only when `errors` is empty.
 */
export function validateAgainstForm(schema: Pick<FormSchema, 'components'> & { id?: string }, data: unknown, opts: FormValidationOptions = {}): FormValidationResult {
  const root = compile(schema);
  const basePath = opts.basePath ?? '';
  const walker = new Walker();
  if (!isPlainObject(data)) {
    return { value: {}, errors: [{ path: basePath, message: 'Muss ein Objekt sein' }] };
  }
  const init = { ...safeCopy(opts.context), ...initialise(root, data) };
  const scope = new Scope(init, { this: init, parent: null, i: [] });
  const value = walker.object(root, data, init, basePath, scope);
  return { value, errors: walker.errors };
}
