import { mkdtemp, mkdir, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadProcessDefinitions, parseFormSchema, parseProcessXml, withFormsStamp } from '../../../server/processes/process-files.js';

const processesDir = fileURLToPath(new URL('../../../processes', import.meta.url));

describe('loadProcessDefinitions (real processes folder)', () => {
  it('loads the wohnsitzbestaetigung service with its forms', async () => {
    const defs = await loadProcessDefinitions(processesDir);
    const def = defs.find((d) => d.serviceKey === 'wohnsitzbestaetigung');
    expect(def).toBeDefined();
    expect(def!.processId).toBe('wohnsitzbestaetigung');
    expect(def!.processName).toBe('Wohnsitzbestätigung');
    expect(def!.bpmnPath.endsWith('wohnsitzbestaetigung.bpmn')).toBe(true);
    expect(def!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(def!.bpmnXml).toContain('<bpmndi:BPMNDiagram');
    expect(def!.warnings).toEqual([]);
    expect([...def!.forms.keys()].sort()).toEqual(['wohnsitz-pruefen', 'wohnsitzbestaetigung-start']);
    expect(def!.forms.get('wohnsitzbestaetigung-start')!.schema.components.map((c) => c.key)).toEqual(['purpose', 'copies']);
  });

  it('parses the catalogue properties', async () => {
    const [def] = (await loadProcessDefinitions(processesDir)).filter((d) => d.serviceKey === 'wohnsitzbestaetigung');
    expect(def!.properties).toMatchObject({
      'service.name': 'Wohnsitzbestätigung',
      'service.authority': 'municipality',
      'service.feeChf': '30.00',
      'service.feeIsDemo': 'true',
      'service.targetDays': '2',
      'service.startForm': 'wohnsitzbestaetigung-start',
    });
    expect(def!.properties['service.description']!.length).toBeGreaterThan(20);
  });

  it('extracts the job-worker user task and the service task types', async () => {
    const [def] = (await loadProcessDefinitions(processesDir)).filter((d) => d.serviceKey === 'wohnsitzbestaetigung');
    expect(def!.userTasks).toEqual([
      {
        id: 'UserTask_WohnsitzPruefen',
        name: 'Wohnsitz prüfen',
        formKey: 'wohnsitz-pruefen',
        formId: null,
        candidateGroups: ['einwohnerdienste'],
        candidateGroupsExpression: null,
        assignee: null,
        // the budget is in Lucerne working days (task.workingDays), not a FEEL calendar duration
        dueDate: null,
        jobWorker: true,
        properties: { 'task.workingDays': '2', infoRequest: 'allowed' },
      },
    ]);
    expect(def!.forms.has(def!.userTasks[0]!.formKey!)).toBe(true);
    expect(new Set(def!.serviceTaskTypes)).toEqual(new Set(['case-status', 'register-lookup', 'certificate-generate', 'fee-charge', 'notify-applicant', 'decision-letter', 'request-information']));
    const headers = def!.serviceTasks.filter((t) => t.type === 'case-status').map((t) => t.headers.status);
    expect(headers.sort()).toEqual(['completed', 'in_progress', 'rejected']);
    const templates = def!.serviceTasks.filter((t) => t.type === 'notify-applicant').map((t) => t.headers.template);
    expect(templates.sort()).toEqual(['completed', 'rejected']);
  });

  it('every sequence flow and flow node has a diagram element', async () => {
    const xml = await readFile(path.join(processesDir, 'wohnsitzbestaetigung/wohnsitzbestaetigung.bpmn'), 'utf8');
    const ids = [...xml.matchAll(/<bpmn:(?:startEvent|endEvent|serviceTask|userTask|exclusiveGateway|intermediateCatchEvent|sequenceFlow) id="([^"]+)"/g)].map((m) => m[1]);
    const diIds = new Set([...xml.matchAll(/bpmnElement="([^"]+)"/g)].map((m) => m[1]));
    expect(ids.length).toBeGreaterThan(20);
    for (const id of ids) expect(diIds.has(id), id).toBe(true);
  });
});

describe('loadProcessDefinitions (errors)', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('names the file of an unreadable form', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'processes-'));
    await mkdir(path.join(dir, 'svc'));
    await writeFile(path.join(dir, 'svc', 'broken.form'), '{ not json');
    await expect(loadProcessDefinitions(dir)).rejects.toThrow(/broken\.form: not valid JSON/);
  });

  it('names the file of a BPMN without an executable process', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'processes-'));
    await mkdir(path.join(dir, 'svc'));
    await writeFile(
      path.join(dir, 'svc', 'p.bpmn'),
      `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="x">
  <bpmn:process id="p" isExecutable="false" />
</bpmn:definitions>`,
    );
    await expect(loadProcessDefinitions(dir)).rejects.toThrow(/p\.bpmn: expected exactly one executable/);
  });
});

describe('parseProcessXml / parseFormSchema', () => {
  it('keeps a "__proto__" property name as an own key', async () => {
    const parsed = await parseProcessXml(
      `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="D" targetNamespace="x">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:extensionElements>
      <zeebe:properties><zeebe:property name="__proto__" value="x" /></zeebe:properties>
    </bpmn:extensionElements>
    <bpmn:userTask id="u">
      <bpmn:extensionElements>
        <zeebe:assignmentDefinition candidateGroups="=groups" />
        <zeebe:userTask />
      </bpmn:extensionElements>
    </bpmn:userTask>
  </bpmn:process>
</bpmn:definitions>`,
      'inline.bpmn',
    );
    expect(Object.hasOwn(parsed.properties, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(parsed.properties)).toBe(Object.prototype);
    expect(parsed.processName).toBe('p');
    expect(parsed.userTasks[0]).toMatchObject({
      candidateGroups: [],
      candidateGroupsExpression: '=groups',
      jobWorker: false,
    });
  });

  it('rejects a form with a dangerous or duplicate key', () => {
    expect(() => parseFormSchema(JSON.stringify({ id: 'f', components: [{ type: 'textfield', key: '__proto__' }] }), 'f.form')).toThrow(/f\.form: .*invalid key/);
    expect(() =>
      parseFormSchema(
        JSON.stringify({
          id: 'f',
          components: [
            { type: 'textfield', key: 'a' },
            { type: 'number', key: 'a' },
          ],
        }),
        'f.form',
      ),
    ).toThrow(/used twice/);
  });
});

describe('withFormsStamp', () => {
  const xml = '<?xml version="1.0"?>\n<bpmn:definitions/>\n';
  const forms = [{ fileName: 'start.form', schema: { id: 'a', components: [] } }];

  it('gives the same content the same bytes, so Zeebe answers with the same version', () => {
    expect(withFormsStamp(xml, forms)).toBe(withFormsStamp(xml, structuredClone(forms)));
  });

  it('gives new forms with an unchanged BPMN new bytes, so the deploy creates a version', () => {
    const changed = [{ fileName: 'start.form', schema: { id: 'a', components: [{ key: 'x' }] } }];
    expect(withFormsStamp(xml, changed)).not.toBe(withFormsStamp(xml, forms));
  });

  it('replaces the stamp of a deployed version instead of adding a second one', () => {
    const again = withFormsStamp(withFormsStamp(xml, forms), forms);
    expect(again).toBe(withFormsStamp(xml, forms));
    expect(again.match(/lu:forms/g)).toHaveLength(1);
  });
});

describe('caught BPMN errors per service task', () => {
  const bpmn = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="D" targetNamespace="t">
  <bpmn:error id="E_A" errorCode="A" />
  <bpmn:error id="E_B" errorCode="B" />
  <bpmn:process id="p" isExecutable="true">${body}</bpmn:process>
</bpmn:definitions>`;
  const task = (id: string) => `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="t" /></bpmn:extensionElements></bpmn:serviceTask>`;
  const caught = async (body: string) => Object.fromEntries((await parseProcessXml(bpmn(body), 'test')).serviceTasks.map((t) => [t.id, t.caughtErrors]));

  it('reads the boundary events of the task and of its subprocesses, and event subprocesses, outwards', async () => {
    expect(
      await caught(`
      ${task('Plain')}
      ${task('WithBoundary')}
      <bpmn:boundaryEvent id="BE" attachedToRef="WithBoundary"><bpmn:errorEventDefinition errorRef="E_A" /></bpmn:boundaryEvent>
      <bpmn:subProcess id="Sub">${task('Inner')}</bpmn:subProcess>
      <bpmn:boundaryEvent id="BS" attachedToRef="Sub"><bpmn:errorEventDefinition errorRef="E_B" /></bpmn:boundaryEvent>`),
    ).toEqual({ Plain: [], WithBoundary: ['A'], Inner: ['B'] });
    expect(
      await caught(`
      ${task('Any')}
      <bpmn:subProcess id="OnError" triggeredByEvent="true"><bpmn:startEvent id="S"><bpmn:errorEventDefinition errorRef="E_A" /></bpmn:startEvent></bpmn:subProcess>`),
    ).toEqual({ Any: ['A'] });
  });

  it('an error event without a code catches every code', async () => {
    expect(await caught(`${task('T')}<bpmn:boundaryEvent id="BE" attachedToRef="T"><bpmn:errorEventDefinition /></bpmn:boundaryEvent>`)).toEqual({ T: 'all' });
  });

  it('the real processes catch what their workers throw (INVALID_REQUEST at «Gesuch prüfen»)', async () => {
    const def = (await loadProcessDefinitions(processesDir)).find((d) => d.serviceKey === 'betreibungsregisterauszug')!;
    expect(def.serviceTasks.find((t) => t.id === 'Task_GesuchPruefen')!.caughtErrors).toEqual(['INVALID_REQUEST']);
  });
});
