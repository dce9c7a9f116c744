import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { type FormSchema, validateAgainstForm } from '../../../server/processes/form-validation.js';

const dir = fileURLToPath(new URL('../../../processes/wohnsitzbestaetigung/', import.meta.url));
let startForm: FormSchema;
let taskForm: FormSchema;

beforeAll(async () => {
  startForm = JSON.parse(await readFile(`${dir}start.form`, 'utf8')) as FormSchema;
  taskForm = JSON.parse(await readFile(`${dir}wohnsitz-pruefen.form`, 'utf8')) as FormSchema;
});

const opts = { basePath: 'data' };

describe('start form of wohnsitzbestaetigung', () => {
  it('accepts valid data', () => {
    const r = validateAgainstForm(startForm, { purpose: 'Wohnungsmiete', copies: 2 }, opts);
    expect(r.errors).toEqual([]);
    expect(r.value).toEqual({ purpose: 'Wohnungsmiete', copies: 2 });
  });

  it('applies the default for copies and leaves the optional purpose out', () => {
    const r = validateAgainstForm(startForm, {}, opts);
    expect(r.errors).toEqual([]);
    expect(r.value).toEqual({ copies: 1 });
  });

  it('treats null as a cleared field, as form-js does: no default, so a required number is missing', () => {
    // form-js applies defaultValue only to absent keys; null is the value of a cleared number
    expect(validateAgainstForm(startForm, { copies: null }, opts)).toEqual({
      value: {},
      errors: [{ path: 'data.copies', message: 'Pflichtfeld' }],
    });
    expect(validateAgainstForm(startForm, { copies: 1, purpose: null }, opts)).toEqual({ value: { copies: 1 }, errors: [] });
  });

  it.each([
    [0, 'Muss mindestens 1 sein'],
    [6, 'Darf höchstens 5 sein'],
    [2.5, 'Muss eine ganze Zahl sein'],
    ['2', 'Muss eine Zahl sein'],
    [true, 'Muss eine Zahl sein'],
  ])('rejects copies = %j', (copies, message) => {
    const r = validateAgainstForm(startForm, { copies }, opts);
    expect(r.errors).toEqual([{ path: 'data.copies', message }]);
  });

  it('rejects a too long or non-string purpose', () => {
    expect(validateAgainstForm(startForm, { purpose: 'x'.repeat(201) }, opts).errors).toEqual([{ path: 'data.purpose', message: 'Höchstens 200 Zeichen' }]);
    expect(validateAgainstForm(startForm, { purpose: 42 }, opts).errors).toEqual([{ path: 'data.purpose', message: 'Muss ein Text sein' }]);
  });

  it('rejects unknown fields', () => {
    const r = validateAgainstForm(startForm, { copies: 1, iban: 'CH00' }, opts);
    expect(r.errors).toEqual([{ path: 'data.iban', message: 'Unbekanntes Feld' }]);
    expect(r.value).toEqual({ copies: 1 });
  });

  it('treats an own __proto__ key as unknown and never pollutes', () => {
    const data = JSON.parse('{"copies":1,"__proto__":{"polluted":true},"constructor":{"x":1}}');
    const r = validateAgainstForm(startForm, data, opts);
    expect(r.errors).toEqual([
      { path: 'data.__proto__', message: 'Unbekanntes Feld' },
      { path: 'data.constructor', message: 'Unbekanntes Feld' },
    ]);
    expect(Object.getPrototypeOf(r.value)).toBe(Object.prototype);
    expect((r.value as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('does not read inherited properties', () => {
    const data = Object.create({ purpose: 'geerbt', copies: 9 }) as Record<string, unknown>;
    const r = validateAgainstForm(startForm, data, opts);
    expect(r.errors).toEqual([]);
    expect(r.value).toEqual({ copies: 1 });
  });

  it('answers one error at basePath for non-object data', () => {
    for (const data of [null, 'x', 3, [], undefined]) {
      expect(validateAgainstForm(startForm, data, opts).errors).toEqual([{ path: 'data', message: 'Muss ein Objekt sein' }]);
    }
    expect(validateAgainstForm(startForm, [], {}).errors).toEqual([{ path: '', message: 'Muss ein Objekt sein' }]);
  });
});

describe('task form wohnsitz-pruefen', () => {
  it('accepts approved = false (a rejection) with a reason', () => {
    const r = validateAgainstForm(taskForm, { approved: false, decisionReason: 'Nicht im Register gemeldet', comment: 'Register geprüft' });
    expect(r.errors).toEqual([]);
    expect(r.value).toEqual({ approved: false, decisionReason: 'Nicht im Register gemeldet', comment: 'Register geprüft' });
  });

  it('requires a reason for a rejection, and ignores one for an approval (hidden field)', () => {
    expect(validateAgainstForm(taskForm, { approved: false }).errors).toEqual([{ path: 'decisionReason', message: 'Pflichtfeld' }]);
    expect(validateAgainstForm(taskForm, { approved: false, decisionReason: 'kurz' }).errors).toEqual([{ path: 'decisionReason', message: 'Mindestens 10 Zeichen' }]);
    expect(validateAgainstForm(taskForm, { approved: true, decisionReason: 'wird ignoriert' })).toEqual({ value: { approved: true }, errors: [] });
  });

  it('accepts approved = true without a comment', () => {
    expect(validateAgainstForm(taskForm, { approved: true })).toEqual({ value: { approved: true }, errors: [] });
  });

  it('rejects a missing or non-boolean approved', () => {
    expect(validateAgainstForm(taskForm, { comment: 'x' }).errors).toEqual([{ path: 'approved', message: 'Pflichtfeld' }]);
    expect(validateAgainstForm(taskForm, { approved: 'true' }).errors).toEqual([{ path: 'approved', message: 'Ungültige Auswahl' }]);
  });

  it('limits the comment to 1000 characters', () => {
    expect(validateAgainstForm(taskForm, { approved: true, comment: 'x'.repeat(1001) }).errors).toEqual([{ path: 'comment', message: 'Höchstens 1000 Zeichen' }]);
  });
});

describe('validateAgainstForm rules', () => {
  const form: FormSchema = {
    id: 'rules',
    components: [
      { type: 'textfield', key: 'name', validate: { required: true, minLength: 2, pattern: '^[A-Z]' } },
      { type: 'textfield', key: 'email', validate: { validationType: 'email' } },
      { type: 'textfield', key: 'phone', validate: { validationType: 'phone' } },
      { type: 'checkbox', key: 'terms', validate: { required: true } },
      { type: 'checkbox', key: 'newsletter', defaultValue: false },
      {
        type: 'select',
        key: 'kind',
        validate: { required: true },
        values: [
          { label: 'A', value: 'a' },
          { label: 'B', value: 'b' },
        ],
      },
      {
        type: 'checklist',
        key: 'tags',
        values: [
          { label: 'X', value: 'x' },
          { label: 'Y', value: 'y' },
        ],
      },
      { type: 'radio', key: 'dynamic', valuesKey: 'options' },
      { type: 'datetime', key: 'birth', subtype: 'date' },
      { type: 'datetime', key: 'at', subtype: 'datetime' },
      { type: 'number', key: 'amount', decimalDigits: 2, serializeToString: true },
      { type: 'text', text: 'Hinweis' },
      {
        type: 'group',
        path: 'address',
        components: [
          { type: 'textfield', key: 'street', validate: { required: true } },
          { type: 'textfield', key: 'zip', validate: { pattern: '^\\d{4}$' } },
        ],
      },
      {
        type: 'group',
        components: [{ type: 'textarea', key: 'note', conditional: { hide: '=true' }, validate: { required: true } }],
      },
      {
        type: 'dynamiclist',
        path: 'children',
        isRepeating: true,
        components: [{ type: 'textfield', key: 'firstName', validate: { required: true } }],
      },
      { type: 'taglist', key: 'labels', validate: { required: true }, values: [{ label: 'L', value: 'l' }] },
    ],
  };
  const valid = {
    name: 'Anna',
    terms: true,
    kind: 'a',
    address: { street: 'Pilatusstrasse 12' },
    labels: ['l'],
  };

  it('accepts a minimal valid object and applies defaults', () => {
    const r = validateAgainstForm(form, valid);
    expect(r.errors).toEqual([]);
    expect(r.value).toEqual({ ...valid, newsletter: false });
  });

  it('reports each rule with a German message and a path', () => {
    const r = validateAgainstForm(
      form,
      {
        name: 'a',
        email: 'anna@',
        phone: 'abc',
        terms: 'yes',
        kind: 'c',
        tags: ['x', 'z', 'x'],
        dynamic: { a: 1 },
        birth: '2023-02-30',
        at: '2024-01-01 10:00',
        amount: '1.234',
        address: { zip: '60030', extra: 1 },
        children: [{ firstName: 'Lia' }, {}, 'x'],
        labels: [],
      },
      { basePath: 'data' },
    );
    expect(r.errors).toEqual(
      expect.arrayContaining([
        { path: 'data.name', message: 'Mindestens 2 Zeichen' },
        { path: 'data.name', message: 'Ungültiges Format' },
        { path: 'data.email', message: 'Ungültige E-Mail-Adresse' },
        { path: 'data.phone', message: 'Ungültige Telefonnummer' },
        { path: 'data.terms', message: 'Muss true oder false sein' },
        { path: 'data.kind', message: 'Ungültige Auswahl' },
        { path: 'data.tags[1]', message: 'Ungültige Auswahl' },
        { path: 'data.tags[2]', message: 'Doppelte Auswahl' },
        { path: 'data.dynamic', message: 'Ungültige Auswahl' },
        { path: 'data.birth', message: 'Ungültiges Datum (JJJJ-MM-TT)' },
        { path: 'data.at', message: 'Ungültiger Zeitpunkt (JJJJ-MM-TTTHH:MM)' },
        { path: 'data.amount', message: 'Höchstens 2 Nachkommastellen' },
        { path: 'data.address.extra', message: 'Unbekanntes Feld' },
        { path: 'data.address.street', message: 'Pflichtfeld' },
        { path: 'data.address.zip', message: 'Ungültiges Format' },
        { path: 'data.children[1].firstName', message: 'Pflichtfeld' },
        { path: 'data.children[2]', message: 'Muss ein Objekt sein' },
        { path: 'data.labels', message: 'Pflichtfeld' },
      ]),
    );
    expect(r.errors).toHaveLength(18);
    // conditionally hidden field: not required
    expect(r.errors.some((e) => e.path === 'data.note')).toBe(false);
  });

  it('requires a required checkbox to be ticked, as form-js does', () => {
    const { terms: _t, ...withoutTerms } = valid;
    expect(validateAgainstForm(form, withoutTerms).errors).toEqual([{ path: 'terms', message: 'Pflichtfeld' }]);
    expect(validateAgainstForm(form, { ...valid, terms: false }).errors).toEqual([{ path: 'terms', message: 'Pflichtfeld' }]);
    expect(validateAgainstForm(form, { ...valid, terms: 'true' }).errors).toEqual([{ path: 'terms', message: 'Muss true oder false sein' }]);
    expect(validateAgainstForm(form, { ...valid, terms: true }).errors).toEqual([]);
  });

  it('requires address fields even when the group object is absent', () => {
    const { address: _a, ...withoutAddress } = valid;
    expect(validateAgainstForm(form, withoutAddress).errors).toEqual([{ path: 'address.street', message: 'Pflichtfeld' }]);
    expect(validateAgainstForm(form, { ...valid, address: 'Luzern' }).errors).toEqual([{ path: 'address', message: 'Muss ein Objekt sein' }]);
  });

  it('accepts valid values of every type', () => {
    const r = validateAgainstForm(form, {
      ...valid,
      email: 'anna.muster@example.ch',
      phone: '+41412088111', // form-js: international, no blanks
      tags: ['x', 'y'],
      dynamic: 'whatever',
      birth: '1985-04-12',
      at: '2024-01-01T10:00',
      amount: '12.50',
      note: 'sichtbar',
      children: [{ firstName: 'Lia' }],
    });
    expect(r.errors).toEqual([]);
    expect(r.value.amount).toBe('12.50');
  });

  it('measures a whitespace-only text trimmed and matches its pattern untrimmed, as form-js does', () => {
    // form-js: '   ' satisfies `required`, but its trimmed length (0) fails minLength 2
    expect(validateAgainstForm(form, { ...valid, name: '   ' }).errors).toEqual([
      { path: 'name', message: 'Ungültiges Format' },
      { path: 'name', message: 'Mindestens 2 Zeichen' },
    ]);
    expect(validateAgainstForm(form, { ...valid, name: '' }).errors).toEqual([{ path: 'name', message: 'Pflichtfeld' }]);
    expect(validateAgainstForm(form, { ...valid, name: ' A ' }).errors).toEqual([
      { path: 'name', message: 'Ungültiges Format' },
      { path: 'name', message: 'Mindestens 2 Zeichen' },
    ]);
  });
});

describe('form-js parity: conditions and FEEL', () => {
  const processes = fileURLToPath(new URL('../../../processes/', import.meta.url));
  const load = async (file: string) => JSON.parse(await readFile(`${processes}${file}`, 'utf8')) as FormSchema;

  it('ignores a field hidden by conditional.hide: not validated, left out of the value', async () => {
    const dogs = await load('hundeanmeldung/start.form');
    const base = {
      ahvNumber: '756.1234.5678.97',
      dogName: 'Bello',
      breed: 'Labrador',
      dogBirthDate: '2022-03-01',
      chipNumber: '756098100123456',
    };
    // exemptionRequested defaults to false: the reason is hidden, even when too long
    const hidden = validateAgainstForm(dogs, { ...base, exemptionReason: 'x'.repeat(1001) }, opts);
    expect(hidden.errors).toEqual([]);
    expect(hidden.value).toEqual({ ...base, dogCategory: 'companion', exemptionRequested: false, keptElsewhere: false });
    // ticked: the reason is shown, so its rules apply and it is kept
    const shown = validateAgainstForm(dogs, { ...base, exemptionRequested: true, exemptionReason: 'x'.repeat(1001) }, opts);
    expect(shown.errors).toEqual([{ path: 'data.exemptionReason', message: 'Höchstens 1000 Zeichen' }]);
    expect(validateAgainstForm(dogs, { ...base, exemptionRequested: true, exemptionReason: 'Blindenhund' }, opts).value).toMatchObject({
      exemptionReason: 'Blindenhund',
    });
  });

  it('a hidden group is neither validated nor filled; shown, its required fields apply under its path', async () => {
    const dogs = await load('hundeanmeldung/start.form');
    const base = { ahvNumber: '756.1234.5678.97', dogName: 'Bello', breed: 'Labrador', dogBirthDate: '2022-03-01', chipNumber: '756098100123456' };
    const hidden = validateAgainstForm(dogs, { ...base, keepingPlace: { postalCode: 'x' } }, opts);
    expect(hidden.errors).toEqual([]);
    expect(hidden.value.keepingPlace ?? {}).toEqual({});
    const shown = validateAgainstForm(dogs, { ...base, keptElsewhere: true, keepingPlace: { street: 'Hofweg', postalCode: '60', town: 'Emmen' } }, opts);
    expect(shown.errors.map((e) => e.path)).toEqual(['data.keepingPlace.postalCode']);
    const kept = { street: 'Hofweg', houseNumber: '4', postalCode: '6032', town: 'Emmen' };
    expect(validateAgainstForm(dogs, { ...base, keptElsewhere: true, keepingPlace: kept }, opts).value).toMatchObject({ keptElsewhere: true, keepingPlace: kept });
  });

  it('evaluates conditions against defaults and empty values as the viewer holds them', async () => {
    const extract = await load('betreibungsregisterauszug/start.form');
    // requestType defaults to "own": the third-party fields are hidden
    expect(validateAgainstForm(extract, { subjectFirstName: 'Max' })).toEqual({ value: { requestType: 'own' }, errors: [] });
    expect(validateAgainstForm(extract, { requestType: 'third_party', subjectFirstName: 'Max' }).value).toEqual({
      requestType: 'third_party',
      subjectFirstName: 'Max',
    });
    // a cleared select (null) is not "company": the proof stays hidden, the select is required
    const parking = await load('anwohnerparkkarte/start.form');
    const r = validateAgainstForm(parking, { licencePlate: 'LU 12345', vehicleHolder: null, companyProof: 'x'.repeat(2000) });
    expect(r.errors).toEqual([{ path: 'vehicleHolder', message: 'Pflichtfeld' }]);
  });

  it('evaluates =-valued min/max/minLength/maxLength in the form data, and drops a limit that is null', () => {
    const form: FormSchema = {
      id: 'feel',
      components: [
        { type: 'number', key: 'lower' },
        { type: 'number', key: 'upper', validate: { min: '=lower', max: '=lower * 2' } },
        { type: 'textfield', key: 'code', validate: { minLength: '=if long then 5 else 2', maxLength: '=7' } },
        { type: 'checkbox', key: 'long', defaultValue: false },
      ],
    };
    expect(validateAgainstForm(form, { lower: 10, upper: 9 }).errors).toEqual([{ path: 'upper', message: 'Muss mindestens 10 sein' }]);
    expect(validateAgainstForm(form, { lower: 10, upper: 21 }).errors).toEqual([{ path: 'upper', message: 'Darf höchstens 20 sein' }]);
    expect(validateAgainstForm(form, { lower: 10, upper: 20 }).errors).toEqual([]);
    // lower absent: both limits evaluate to null and are not applied (form-js drops them)
    expect(validateAgainstForm(form, { upper: -5 }).errors).toEqual([]);
    expect(validateAgainstForm(form, { code: 'abc', long: true }).errors).toEqual([{ path: 'code', message: 'Mindestens 5 Zeichen' }]);
    expect(validateAgainstForm(form, { code: 'abc' }).errors).toEqual([]);
    expect(validateAgainstForm(form, { code: 'abcdefgh' }).errors).toEqual([{ path: 'code', message: 'Höchstens 7 Zeichen' }]);
  });

  it('uses the form-js e-mail and phone patterns and counts trimmed UTF-16 length', () => {
    const form: FormSchema = {
      id: 'contact',
      components: [
        { type: 'textfield', key: 'email', validate: { validationType: 'email' } },
        { type: 'textfield', key: 'phone', validate: { validationType: 'phone' } },
        { type: 'textfield', key: 'nick', validate: { maxLength: 3 } },
      ],
    };
    const errorsOf = (data: Record<string, unknown>) => validateAgainstForm(form, data).errors.map((e) => e.path);
    expect(errorsOf({ email: 'anna@example' })).toEqual([]); // form-js accepts a host without a dot
    expect(errorsOf({ email: ' anna@example.ch' })).toEqual(['email']); // but no blank
    expect(errorsOf({ phone: '0041412088111' })).toEqual([]);
    expect(errorsOf({ phone: '041 208 81 11' })).toEqual(['phone']);
    expect(errorsOf({ nick: '  abc  ' })).toEqual([]);
    expect(errorsOf({ nick: 'ab😀' })).toEqual(['nick']); // 4 UTF-16 units, as form-js counts
  });

  it('checks decimalDigits and increment exactly, and skips disabled fields', () => {
    const form: FormSchema = {
      id: 'numbers',
      components: [
        { type: 'number', key: 'price', decimalDigits: 2, increment: '0.05' },
        { type: 'textfield', key: 'fixed', disabled: true, validate: { required: true } },
      ],
    };
    expect(validateAgainstForm(form, { price: 0.3 }).errors).toEqual([]); // 0.3 is a multiple of 0.05 (no float error)
    expect(validateAgainstForm(form, { price: 1.23 }).errors).toEqual([{ path: 'price', message: 'Ungültiger Wert; die nächsten gültigen Werte sind 1.2 und 1.25' }]);
    expect(validateAgainstForm(form, { price: 1.234 }).errors.map((e) => e.message)).toContain('Höchstens 2 Nachkommastellen');
    expect(validateAgainstForm(form, { price: 1, fixed: 'x' })).toEqual({ value: { price: 1 }, errors: [] });
  });

  it('sees further variables (e.g. process variables of a task) in conditions', () => {
    const form: FormSchema = {
      id: 'task',
      components: [{ type: 'textarea', key: 'note', validate: { required: true }, conditional: { hide: '=exemptionRequested != true' } }],
    };
    expect(validateAgainstForm(form, {}).errors).toEqual([]);
    expect(validateAgainstForm(form, {}, { context: { exemptionRequested: true } }).errors).toEqual([{ path: 'note', message: 'Pflichtfeld' }]);
  });

  it('evaluates conditions inside a dynamic list per item (this, parent)', () => {
    const form: FormSchema = {
      id: 'list',
      components: [
        { type: 'checkbox', key: 'withPets', defaultValue: false },
        {
          type: 'dynamiclist',
          path: 'people',
          components: [
            { type: 'checkbox', key: 'child', defaultValue: false },
            { type: 'datetime', key: 'birth', subtype: 'date', validate: { required: true }, conditional: { hide: '=this.child != true' } },
            { type: 'textfield', key: 'pet', validate: { required: true }, conditional: { hide: '=parent.withPets != true' } },
          ],
        },
      ],
    };
    const r = validateAgainstForm(form, { people: [{ child: true }, { child: false, birth: 'kein Datum' }] });
    expect(r.errors).toEqual([{ path: 'people[0].birth', message: 'Pflichtfeld' }]);
    expect(r.value).toEqual({ withPets: false, people: [{ child: true }, { child: false }] });
    expect(validateAgainstForm(form, { withPets: true, people: [{}] }).errors).toEqual([{ path: 'people[0].pet', message: 'Pflichtfeld' }]);
  });
});
