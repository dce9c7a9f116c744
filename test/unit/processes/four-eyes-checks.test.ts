/**
 * Deploy check of the four-eyes rule (user task property fourEyes=<element id>): the named element
 * must exist and be a user task; the error names the element.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../server/config/config';
import { checkProcess } from '../../../server/processes/process-checks';
import { fourEyesOf } from '../../../server/processes/catalogue';
import { parseProcessXml } from '../../../server/processes/process-files';
import { workers } from '../../../workers';

const dir = path.join(projectRoot, 'processes', 'hundeanmeldung');
const bpmn = fs.readFileSync(path.join(dir, 'hundeanmeldung.bpmn'), 'utf8');
const formIds = new Set(
  fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.form'))
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')).id as string),
);
const fourEyesErrors = async (xml: string) =>
  (await checkProcess(xml, { workerTypes: new Set(Object.keys(workers)), formIds, expectedProcessId: 'hundeanmeldung' })).filter((f) => f.rule === 'lu/four-eyes');
const RULE = '<zeebe:property name="fourEyes" value="UserTask_BefreiungPruefen" />';

describe('four-eyes rule before deploy', () => {
  it('the dog registration names the exemption check for the release, and passes', async () => {
    expect(bpmn).toContain(RULE);
    expect(await fourEyesErrors(bpmn)).toEqual([]);
    const parsed = await parseProcessXml(bpmn, 'hundeanmeldung.bpmn');
    expect([...fourEyesOf(parsed)]).toEqual([['UserTask_BefreiungFreigeben', 'UserTask_BefreiungPruefen']]);
  });

  it('refuses a fourEyes naming an element that does not exist, with the element id', async () => {
    const errors = await fourEyesErrors(bpmn.replace(RULE, '<zeebe:property name="fourEyes" value="UserTask_Gibtsnicht" />'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ path: 'UserTask_BefreiungFreigeben', severity: 'error' });
    expect(errors[0]!.message).toMatch(/«UserTask_Gibtsnicht».*gibt es im Prozess nicht/);
  });

  it('refuses a fourEyes naming an element that is not a user task', async () => {
    const errors = await fourEyesErrors(bpmn.replace(RULE, '<zeebe:property name="fourEyes" value="Task_SteuerBerechnen" />'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ path: 'UserTask_BefreiungFreigeben', severity: 'error' });
    expect(errors[0]!.message).toMatch(/«Task_SteuerBerechnen», das ist keine Benutzeraufgabe/);
  });

  it('refuses an empty value, the task itself, and the property on a service task', async () => {
    expect((await fourEyesErrors(bpmn.replace(RULE, '<zeebe:property name="fourEyes" value=" " />')))[0]!.message).toMatch(/nennt keine Aufgabe/);
    expect((await fourEyesErrors(bpmn.replace(RULE, '<zeebe:property name="fourEyes" value="UserTask_BefreiungFreigeben" />')))[0]!.message).toMatch(/nicht die Aufgabe selbst/);
    const onServiceTask = bpmn.replace(
      '<zeebe:taskDefinition type="dog-tax-assess" />',
      '<zeebe:taskDefinition type="dog-tax-assess" />\n        <zeebe:properties><zeebe:property name="fourEyes" value="UserTask_BefreiungPruefen" /></zeebe:properties>',
    );
    const errors = await fourEyesErrors(onServiceTask);
    expect(errors).toEqual([expect.objectContaining({ path: 'Task_SteuerBerechnen', message: expect.stringMatching(/nur für Benutzeraufgaben/) })]);
  });
});
