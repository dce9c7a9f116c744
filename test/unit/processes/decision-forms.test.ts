/**
 * Every decision form of the services (issue 16 item 4, issue 18 item 2): the decision is
 * required, a negative decision requires a written reason (at least 10 characters), a positive
 * one does not ask for it. Read from the process files, so a new or edited form is covered.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type FormSchema, validateAgainstForm } from '../../../server/processes/form-validation.js';

const processes = fileURLToPath(new URL('../../../processes/', import.meta.url));
const decisionKeys = ['approved', 'exemptionApproved'];

const decisionForms = readdirSync(processes).flatMap((service) =>
  readdirSync(path.join(processes, service))
    .filter((f) => f.endsWith('.form'))
    .map((f) => ({ name: `${service}/${f}`, form: JSON.parse(readFileSync(path.join(processes, service, f), 'utf8')) as FormSchema }))
    .filter(({ form }) => form.components.some((c) => decisionKeys.includes(String((c as { key?: string }).key)))),
);

describe('decision forms', () => {
  it('are the seven of the six services with a human decision', () => {
    expect(decisionForms.map((f) => f.name).sort()).toEqual([
      'adressauskunft/adressauskunft-pruefen.form',
      'anwohnerparkkarte/parkkarte-pruefen.form',
      'betreibungsregisterauszug/auszug-pruefen.form',
      'datensperre/datensperre-pruefen.form',
      'fristerstreckung-steuern/fristerstreckung-entscheiden.form',
      'hundeanmeldung/steuerbefreiung-pruefen.form',
      'wohnsitzbestaetigung/wohnsitz-pruefen.form',
    ]);
  });

  for (const { name, form } of decisionForms) {
    const key = decisionKeys.find((k) => form.components.some((c) => (c as { key?: string }).key === k))!;
    const opts = { basePath: 'variables', context: { requestedUntil: '2027-09-30' } };
    it(`${name}: the decision is required, a refusal needs a reason of at least 10 characters, an approval none`, () => {
      expect(validateAgainstForm(form, {}, opts).errors).toContainEqual({ path: `variables.${key}`, message: 'Pflichtfeld' });
      expect(validateAgainstForm(form, { [key]: false }, opts).errors).toEqual([{ path: 'variables.decisionReason', message: 'Pflichtfeld' }]);
      expect(validateAgainstForm(form, { [key]: false, decisionReason: 'zu kurz' }, opts).errors.map((e) => e.path)).toEqual(['variables.decisionReason']);
      expect(validateAgainstForm(form, { [key]: false, decisionReason: 'Der Nachweis fehlt trotz Rückfrage.' }, opts).errors).toEqual([]);
      // an approval may need fields of its own (the address to release), never a reason
      expect(validateAgainstForm(form, { [key]: true }, opts).errors.map((e) => e.path)).not.toContain('variables.decisionReason');
    });
  }
});
