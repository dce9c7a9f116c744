/**
 * Deploy checks for identity levels (DESIGN.md §6): every service declares service.identity and
 * service.category, and a process that releases register data automatically must be `verified`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../server/config/config';
import { checkProcess } from '../../../server/processes/process-checks';
import { workers } from '../../../workers';

const bpmn = (key: string) => fs.readFileSync(path.join(projectRoot, 'processes', key, `${key}.bpmn`), 'utf8');
const formIds = (key: string) =>
  new Set(
    fs
      .readdirSync(path.join(projectRoot, 'processes', key))
      .filter((f) => f.endsWith('.form'))
      .map((f) => JSON.parse(fs.readFileSync(path.join(projectRoot, 'processes', key, f), 'utf8')).id as string),
  );
const check = (key: string, xml = bpmn(key)) => checkProcess(xml, { workerTypes: new Set(Object.keys(workers)), formIds: formIds(key), expectedProcessId: key });
const identityErrors = async (key: string, xml?: string) => (await check(key, xml)).filter((f) => f.rule === 'lu/identity' || f.message.includes('service.category'));

describe('identity level checks before deploy', () => {
  it('the eight services pass with their declared levels', async () => {
    for (const key of ['wohnsitzbestaetigung', 'betreibungsregisterauszug', 'anwohnerparkkarte', 'umzug', 'hundeanmeldung', 'fristerstreckung-steuern', 'adressauskunft', 'datensperre']) {
      expect(await identityErrors(key), key).toEqual([]);
    }
  });

  it('refuses a certificate process lowered to "login": the register lookup would release data to an unverified person', async () => {
    const lowered = bpmn('wohnsitzbestaetigung').replace('name="service.identity" value="verified"', 'name="service.identity" value="login"');
    const errors = await identityErrors('wohnsitzbestaetigung', lowered);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ path: 'Task_RegisterLookup', severity: 'error' });
    expect(errors[0]!.message).toMatch(/register-lookup.*verified/);
  });

  it('adressauskunft and datensperre pass every deploy check (bpmnlint camunda-cloud-8-5 and the project rules)', async () => {
    for (const key of ['adressauskunft', 'datensperre'])
      expect(
        (await check(key)).filter((f) => f.severity === 'error'),
        key,
      ).toEqual([]);
  });

  it('refuses an address inquiry lowered to "none": the address of another person only to a known requester', async () => {
    const lowered = bpmn('adressauskunft').replace('name="service.identity" value="login"', 'name="service.identity" value="none"');
    const errors = await identityErrors('adressauskunft', lowered);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ path: 'Task_PersonSuchen', severity: 'error' });
    expect(errors[0]!.message).toMatch(/address-inquiry-assess.*«login» oder «verified»/);
    // `verified` is allowed too (stricter), `login` is the declared level
    const raised = bpmn('adressauskunft').replace('name="service.identity" value="login"', 'name="service.identity" value="verified"');
    expect(await identityErrors('adressauskunft', raised)).toEqual([]);
  });

  it('refuses a data lock process lowered to "login": only the verified person may lock their own record automatically', async () => {
    const lowered = bpmn('datensperre').replace('name="service.identity" value="verified"', 'name="service.identity" value="login"');
    const errors = await identityErrors('datensperre', lowered);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ path: 'Task_PersonSuchen', severity: 'error' });
    expect(errors[0]!.message).toMatch(/data-lock-assess.*verified/);
  });

  it('refuses a missing or unknown level and a missing category', async () => {
    const missing = bpmn('hundeanmeldung').replace(/\s*<zeebe:property name="service.identity" value="none" \/>/, '');
    expect((await identityErrors('hundeanmeldung', missing)).map((e) => e.message).join()).toMatch(/service.identity .*fehlt/);
    const unknown = bpmn('hundeanmeldung').replace('name="service.identity" value="none"', 'name="service.identity" value="anonymous"');
    expect((await identityErrors('hundeanmeldung', unknown)).map((e) => e.message).join()).toMatch(/«anonymous» ist ungültig/);
    const noCategory = bpmn('hundeanmeldung').replace(/\s*<zeebe:property name="service.category" value="tiere" \/>/, '');
    expect((await identityErrors('hundeanmeldung', noCategory)).map((e) => e.message).join()).toMatch(/service.category/);
  });
});
