// @vitest-environment happy-dom
/**
 * Differential test: the server's form validator against form-js's own validation.
 *
 * For every form of every service (processes/<service>/*.form) and for a synthetic form with the
 * rules process owners can set in the form editor but our forms do not use yet, fast-check
 * generates data as the form-js viewer can hold it (valid and invalid values, values that show
 * and hide conditional fields, absent keys). Each sample goes through
 *   - the form-js viewer itself, rendered under happy-dom: `importSchema(schema, data)`, then
 *     `submit()`, which validates every rendered field and returns the data it would post;
 *   - validateAgainstForm on the same data, and on the data form-js would post.
 * Both must refuse the same fields, and the server's value must be what form-js posts (hidden
 * fields left out, defaults applied).
 *
 * The domain is "what the viewer can hold", so the server's extra API checks never fire here:
 * types (a number is a number), option values (a select holds one of its options or null),
 * past dates with disallowPassedDates (the date picker offers no past day), text fields without
 * line breaks (the viewer replaces them). One server rule is about absence and is left out on
 * purpose: a checkbox without defaultValue must be sent (the viewer always posts false/true);
 * those keys are always present in the samples and the rule has its own unit test.
 *
 * Not generated: dynamic lists (no service form has one). form-js gives an absent list one empty
 * repetition (`defaultRepetitions`) and validates it, the server validates only items it is sent;
 * conditions inside list items (this/parent scopes) are unit-tested in form-validation.test.ts.
 * Everything form-js renders ran headless under happy-dom (flatpickr included), nothing skipped.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { todayIso } from '../../../model/dates';
import { type FormComponent, type FormSchema, validateAgainstForm } from '../../../server/processes/form-validation';

/** Runs per form; FORM_PARITY_RUNS=1000 for a longer hunt. */
const RUNS = Number(process.env.FORM_PARITY_RUNS ?? 30);

interface FormJsResult {
  data: Record<string, unknown>;
  errors: Record<string, unknown>;
}
interface FormJs {
  importSchema(schema: unknown, data?: unknown): Promise<unknown>;
  submit(): FormJsResult;
  destroy(): void;
}
// imported by name so tsc does not pull form-js's DOM typings into the node program
const viewerModule = '@bpmn-io/form-js-viewer';
const { Form } = (await import(/* @vite-ignore */ viewerModule)) as { Form: new () => FormJs };

/** form-js under happy-dom: a fresh Form per sample (a reused one keeps field state across imports). */
async function formJs(schema: FormSchema, data: Record<string, unknown>): Promise<FormJsResult> {
  const form = new Form();
  try {
    await form.importSchema(structuredClone(schema), structuredClone(data));
    for (let i = 0; i < 3; i++) await Promise.resolve(); // let preact render the fields
    return form.submit();
  } finally {
    form.destroy();
  }
}

afterAll(async () => {
  // flatpickr (date fields) cleans up on a timer; let it run before the DOM is torn down
  await new Promise((resolve) => setTimeout(resolve, 200));
});

// ---------------------------------------------------------------------------------------------
// schema walking

interface Field {
  component: FormComponent;
  /** dotted value path (group paths and the key) */
  path: string;
}

/** Fields outside dynamic lists (a list's item fields: listsOf). */
function fieldsOf(components: FormComponent[] = [], prefix = ''): Field[] {
  return components.flatMap((c) => {
    if (c.type === 'dynamiclist') return [];
    if (c.key && c.type !== 'button') return [{ component: c, path: `${prefix}${c.key}` }];
    if (c.components) return fieldsOf(c.components, c.path ? `${prefix}${c.path}.` : prefix);
    return [];
  });
}

interface List {
  /** dotted value path of the list */
  path: string;
  /** the item fields, with paths relative to an item */
  items: Field[];
}

/** Dynamic lists (not nested in one another; the item fields flat or in path-less groups). */
function listsOf(components: FormComponent[] = [], prefix = ''): List[] {
  return components.flatMap((c) => {
    if (c.type === 'dynamiclist') return [{ path: `${prefix}${c.path}`, items: fieldsOf(c.components) }];
    if (c.components) return listsOf(c.components, c.path ? `${prefix}${c.path}.` : prefix);
    return [];
  });
}

function byId(schema: FormSchema): Map<string, string> {
  const ids = new Map<string, string>();
  for (const { component, path } of fieldsOf(schema.components)) ids.set(component.id!, path);
  return ids;
}

function getPath(data: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), data);
}

function setPath(data: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let o = data;
  for (const k of keys.slice(0, -1)) o = (o[k] ??= {}) as Record<string, unknown>;
  o[keys[keys.length - 1]!] = value;
}

// ---------------------------------------------------------------------------------------------
// values the viewer can hold

const dayOffset = (days: number) => {
  const d = new Date(`${todayIso(new Date())}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

const letters = fc.string({ unit: fc.constantFrom(...'abcXYZ äöü-.'.split('')), maxLength: 12 });

function lengthAround(limit: number): fc.Arbitrary<string> {
  const n = Math.max(0, limit);
  return fc.oneof(fc.constantFrom('a'.repeat(n), 'a'.repeat(n + 1), `  ${'a'.repeat(n)}  `, `${'a'.repeat(Math.max(0, n - 1))}😀`), fc.constant('a'.repeat(Math.max(0, n - 1))));
}

function feelNumber(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

function textValues(c: FormComponent): fc.Arbitrary<string> {
  const v = c.validate ?? {};
  const options: Array<fc.Arbitrary<string>> = [fc.constantFrom('', ' ', '   '), letters, fc.string({ unit: 'binary', maxLength: 8 })];
  const max = feelNumber(v.maxLength);
  const min = feelNumber(v.minLength);
  if (max !== undefined) options.push(lengthAround(max));
  if (min !== undefined) options.push(lengthAround(min), lengthAround(min - 1));
  if (typeof v.pattern === 'string') {
    const pattern = new RegExp(v.pattern);
    options.push(
      fc.stringMatching(pattern),
      fc.stringMatching(pattern).map((s) => ` ${s}`),
      fc.stringMatching(pattern).map((s) => s.toLowerCase()),
    );
  }
  if (v.validationType === 'email') {
    options.push(fc.emailAddress(), fc.constantFrom('anna@', 'anna muster@example.ch', 'anna@example', 'a@b.ch', ' a@b.ch'));
  }
  if (v.validationType === 'phone') {
    options.push(fc.constantFrom('+41412088111', '0041791234567', '+41 41 208 81 11', '041 208 81 11', '+4930664040900', 'abc'));
  }
  const arb = fc.oneof(...options);
  // the viewer's text field replaces line breaks and tabs; a text area keeps them
  return c.type === 'textfield' ? arb.filter((s) => !/[\r\n\t]/.test(s)) : arb;
}

function numberValues(c: FormComponent): fc.Arbitrary<number | string | null> {
  const v = c.validate ?? {};
  const lo = (feelNumber(v.min) ?? -5) - 3;
  const hi = (feelNumber(v.max) ?? 100) + 3;
  const n = fc.oneof(
    fc.integer({ min: lo, max: hi }),
    fc.tuple(fc.integer({ min: lo * 1000, max: hi * 1000 }), fc.constantFrom(10, 100, 1000)).map(([x, d]) => x / d),
    fc.constant(0),
  );
  const value = c.serializeToString ? n.map(String) : n;
  return fc.oneof(value, fc.constant(null));
}

function dateValues(c: FormComponent): fc.Arbitrary<string | null> {
  // the picker offers no past day with disallowPassedDates (offset 0 would race midnight)
  const from = c.disallowPassedDates ? 1 : -800;
  return fc.oneof(fc.integer({ min: from, max: 800 }).map(dayOffset), fc.constant(null));
}

function valuesOf(c: FormComponent): fc.Arbitrary<unknown> {
  const options = (c.values ?? []).map((o) => o.value);
  switch (c.type) {
    case 'textfield':
    case 'textarea':
      return textValues(c);
    case 'number':
      return numberValues(c);
    case 'checkbox':
      return fc.boolean();
    case 'select':
    case 'radio':
      return fc.constantFrom(...options, null);
    case 'checklist':
    case 'taglist':
      return fc.subarray(options);
    case 'datetime':
      return dateValues(c);
    default:
      throw new Error(`no generator for ${c.type}`);
  }
}

/** Data as the viewer can hold it; keys may be absent except checkboxes without default. */
function samples(schema: FormSchema): fc.Arbitrary<Record<string, unknown>> {
  const fields = fieldsOf(schema.components);
  const lists = listsOf(schema.components);
  const item = (list: List) =>
    fc.tuple(...list.items.map(({ component }) => fc.option(valuesOf(component), { nil: undefined, freq: 4 }))).map((values) => {
      const o: Record<string, unknown> = {};
      values.forEach((value, i) => {
        if (value !== undefined) setPath(o, list.items[i]!.path, value);
      });
      return o;
    });
  const withLists = (data: Record<string, unknown>) =>
    fc.tuple(...lists.map((l) => fc.option(fc.array(item(l), { maxLength: 3 }), { nil: undefined, freq: 3 }))).map((arrays) => {
      arrays.forEach((a, i) => {
        if (a !== undefined) setPath(data, lists[i]!.path, a);
      });
      return data;
    });
  return fc
    .tuple(
      ...fields.map(({ component }) => {
        const mustSend = component.type === 'checkbox' && component.defaultValue === undefined;
        return mustSend ? valuesOf(component) : fc.option(valuesOf(component), { nil: undefined, freq: 4 });
      }),
    )
    .map((values) => {
      const data: Record<string, unknown> = {};
      values.forEach((value, i) => {
        if (value !== undefined) setPath(data, fields[i]!.path, value);
      });
      return data;
    })
    .chain((data) => (lists.length > 0 ? withLists(data) : fc.constant(data)));
}

// ---------------------------------------------------------------------------------------------
// comparison

/** Field paths in error per form-js (errors are keyed by component id). */
function formJsErrorPaths(schema: FormSchema, errors: Record<string, unknown>): string[] {
  const ids = byId(schema);
  const listFields = new Map(listsOf(schema.components).flatMap((l) => l.items.map((f) => [f.component.id!, { list: l.path, path: f.path }] as const)));
  return Object.entries(errors)
    .flatMap(([id, e]) => {
      const inList = listFields.get(id);
      if (!inList) return [ids.get(id) ?? `?${id}`];
      // a repeated field's errors are keyed by its index
      return Object.entries(e as Record<string, unknown>)
        .filter(([, v]) => Array.isArray(v) && v.length > 0)
        .map(([i]) => `${inList.list}[${i}].${inList.path}`);
    })
    .sort();
}

/** Field paths in error per the server (list item suffixes dropped; a dynamic list's item index kept). */
function serverErrorPaths(errors: Array<{ path: string }>): string[] {
  return [...new Set(errors.map((e) => e.path.replace(/\[\d+\]$/, '')))].sort();
}

/** '', null, [] and absent are all "no value" in the viewer's posted data. */
function normalised(value: unknown): unknown {
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) return undefined;
  return value;
}

/** Samples form-js accepted and refused, over all forms. */
const tally = { valid: 0, invalid: 0 };

async function compare(schema: FormSchema, data: Record<string, unknown>): Promise<void> {
  const fjs = await formJs(schema, data);
  // rendered: the viewer posts every visible field, and every form has one that is always visible
  expect(Object.keys(fjs.data).length).toBeGreaterThan(0);
  const expected = formJsErrorPaths(schema, fjs.errors);
  if (expected.length > 0) tally.invalid += 1;
  else tally.valid += 1;
  const server = validateAgainstForm(schema, data);
  expect(serverErrorPaths(server.errors), `data ${JSON.stringify(data)}: ${JSON.stringify(server.errors)} vs ${JSON.stringify(fjs.errors)}`).toEqual(expected);

  // the data form-js posts (hidden fields already left out) gives the same verdict
  const posted = validateAgainstForm(schema, fjs.data);
  expect(serverErrorPaths(posted.errors), `posted ${JSON.stringify(fjs.data)}`).toEqual(expected);

  if (server.errors.length === 0) {
    for (const { path } of fieldsOf(schema.components)) {
      expect(normalised(getPath(server.value, path)), `value of ${path} for ${JSON.stringify(data)}`).toEqual(normalised(getPath(fjs.data, path)));
    }
    for (const list of listsOf(schema.components)) {
      const ours = (getPath(server.value, list.path) ?? []) as unknown[];
      const theirs = (getPath(fjs.data, list.path) ?? []) as unknown[];
      expect(ours.length, `items of ${list.path} for ${JSON.stringify(data)}`).toBe(theirs.length);
      ours.forEach((o, i) => {
        for (const { path } of list.items) {
          expect(normalised(getPath(o, path)), `value of ${list.path}[${i}].${path} for ${JSON.stringify(data)}`).toEqual(normalised(getPath(theirs[i], path)));
        }
      });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// the forms

// happy-dom replaces the global URL, so paths are built from the file path
const here = dirname(fileURLToPath(import.meta.url));
const processesDir = join(here, '../../../processes/');
const serviceForms = readdirSync(processesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    readdirSync(`${processesDir}${d.name}`)
      .filter((f) => f.endsWith('.form'))
      .map((f) => `${d.name}/${f}`),
  )
  .sort();

/** Rules the editor offers that our forms do not use yet: FEEL limits, e-mail, phone, increment, ... */
const editorRules: FormSchema = {
  id: 'editor-rules',
  type: 'default',
  components: [
    { id: 'f_kind', type: 'radio', key: 'kind', values: [{ value: 'private' }, { value: 'company' }], validate: { required: true } },
    { id: 'f_email', type: 'textfield', key: 'email', validate: { required: true, validationType: 'email' } },
    { id: 'f_phone', type: 'textfield', key: 'phone', validate: { validationType: 'phone' } },
    { id: 'f_name', type: 'textfield', key: 'name', validate: { minLength: '=2', maxLength: '=if kind = "company" then 10 else 20' } },
    { id: 'f_lower', type: 'number', key: 'lower', decimalDigits: 2, validate: { min: 0, max: 50 } },
    {
      id: 'f_upper',
      type: 'number',
      key: 'upper',
      increment: '0.5',
      validate: { min: '=if lower = null then 0 else lower', max: '=lower * 2 + 10' },
    },
    { id: 'f_terms', type: 'checkbox', key: 'terms', validate: { required: true } },
    { id: 'f_topics', type: 'checklist', key: 'topics', values: [{ value: 'a' }, { value: 'b' }], validate: { required: true } },
    { id: 'f_note', type: 'textarea', key: 'note', validate: { maxLength: 5, pattern: '^[a-z ]*$' } },
    {
      id: 'f_company',
      type: 'group',
      path: 'company',
      conditional: { hide: '=kind != "company"' },
      components: [
        { id: 'f_uid', type: 'textfield', key: 'uid', validate: { required: true, pattern: '^CHE-\\d{3}\\.\\d{3}\\.\\d{3}$' } },
        { id: 'f_since', type: 'datetime', key: 'since', subtype: 'date', validate: { required: true } },
        { id: 'f_staff', type: 'number', key: 'staff', conditional: { hide: '=company.since = null' }, validate: { required: true, min: 1 } },
      ],
    },
    { id: 'f_fixed', type: 'textfield', key: 'fixed', disabled: true, validate: { required: true } },
  ],
};

function loadForm(file: string): FormSchema {
  return JSON.parse(readFileSync(`${processesDir}${file}`, 'utf8')) as FormSchema;
}

describe('server validator and form-js agree', () => {
  it('finds the forms of every service', () => {
    expect(serviceForms.length).toBeGreaterThanOrEqual(13);
  });

  async function check(schema: FormSchema, numRuns: number): Promise<void> {
    await fc.assert(
      fc.asyncProperty(samples(schema), (data) => compare(schema, data)),
      { numRuns },
    );
  }

  it.each(serviceForms)(
    '%s',
    async (file) => {
      await check(loadForm(file), RUNS);
    },
    300_000,
  );

  it('a synthetic form with the editor rules our forms do not use yet', async () => {
    await check(editorRules, RUNS * 2);
  }, 300_000);

  it('compared accepted and refused samples (runs after the forms above)', () => {
    expect(tally.valid).toBeGreaterThan(RUNS);
    expect(tally.invalid).toBeGreaterThan(RUNS);
  });
});

describe('form-js in the bundle', () => {
  it('ships one @bpmn-io/form-js-viewer version, the one the editor uses', () => {
    const lock = JSON.parse(readFileSync(join(here, '../../../package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string; dependencies?: Record<string, string> }>;
    };
    const viewers = Object.entries(lock.packages).filter(([path]) => path.endsWith('node_modules/@bpmn-io/form-js-viewer'));
    expect(viewers.map(([path]) => path)).toEqual(['node_modules/@bpmn-io/form-js-viewer']);
    const editor = lock.packages['node_modules/@bpmn-io/form-js-editor'];
    expect(editor?.dependencies?.['@bpmn-io/form-js-viewer']).toBe(viewers[0]![1].version);
  });
});
