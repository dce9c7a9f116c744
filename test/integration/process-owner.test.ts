/**
 * Process owners (issue 5) against the real broker: drafts, checks before deploy, deploy of a new
 * version, version history, catalogue and submission validation following the new start form,
 * a running case's task keeping the form of its version, diff and export.
 *
 * Changes betreibungsregisterauszug and restores the original content (as a new version) in
 * afterAll, so the other test files see the original process, forms and task names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unzipSync, strFromU8 } from 'fflate';
import { applicant, call, login, submitTo, waitForNamedTask } from './client';

const KEY = 'betreibungsregisterauszug';
const thirdParty = { requestType: 'third_party', subjectFirstName: 'Max', subjectLastName: 'Schuldner', subjectDateOfBirth: '1970-01-01', interestReason: 'Vermietung einer Wohnung' };

type Form = { fileName: string; schema: { id: string; components: any[] } };

let owner: string;
let original: { xml: string; forms: Form[]; version: number };

async function draft(xml: string, forms: Form[], comment: string): Promise<number> {
  const res = await call('POST', `/api/processes/${KEY}/drafts`, { token: owner, json: { xml, forms, comment } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

async function deploy(draftId: number) {
  return call('POST', `/api/processes/${KEY}/deploy`, { token: owner, json: { draftId } });
}

describe('process owners: drafts, checks, deploy, versions', () => {
  beforeAll(async () => {
    owner = await login('prozess.owner');
    const res = await call('GET', `/api/processes/${KEY}`, { token: owner });
    expect(res.status).toBe(200);
    original = { xml: res.body.xml, forms: res.body.forms, version: res.body.version };
  });

  afterAll(async () => {
    // restore the original process and forms as a new version
    const id = await draft(original.xml, original.forms, 'Test: Original wiederhergestellt');
    expect((await deploy(id)).status).toBe(201);
  });

  it('is for process owners and admins only', async () => {
    const clerk = await login('luzern.einwohnerdienste');
    expect((await call('GET', '/api/processes', { token: clerk })).status).toBe(403);
    expect((await call('GET', '/api/processes')).status).toBe(401);
    expect((await call('GET', '/api/processes', { token: await login('admin') })).status).toBe(200);
    expect((await call('GET', '/api/processes/unbekannt', { token: owner })).status).toBe(404);
  });

  it('lists every service with its deployed versions', async () => {
    const res = await call('GET', '/api/processes', { token: owner });
    expect(res.status).toBe(200);
    const service = res.body.find((s: any) => s.key === KEY);
    expect(service.versions.length).toBeGreaterThan(0);
    expect(service.versions[0]).toMatchObject({ version: original.version, deployedBy: expect.any(String), processDefinitionKey: expect.stringMatching(/^\d+$/) });
    expect(service.versions[0]).toHaveProperty('runningCases');
    expect(res.body.map((s: any) => s.key)).toContain('wohnsitzbestaetigung');
  });

  it('refuses to deploy a draft with errors: 422 with the findings by element id', async () => {
    const broken = original.xml.replace(/<zeebe:assignmentDefinition candidateGroups="betreibungsamt" \/>/, '').replace(/type="debt-extract-assess"/, 'type="kein-worker"');
    const lint = await call('POST', `/api/processes/${KEY}/lint`, { token: owner, json: { xml: broken, forms: original.forms } });
    expect(lint.status).toBe(200);
    expect(lint.body.errors).toBeGreaterThanOrEqual(2);
    const id = await draft(broken, original.forms, 'kaputt');
    const res = await deploy(id);
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors).toEqual(
      expect.arrayContaining([{ path: 'UserTask_AuszugPruefen', message: expect.stringContaining('Kandidatengruppen') }, expect.objectContaining({ message: expect.stringContaining('kein-worker') })]),
    );
    // a missing task form and a missing start form
    const noForms = original.forms.filter((f) => f.schema.id !== 'auszug-pruefen' && f.schema.id !== `${KEY}-start`);
    const res2 = await deploy(await draft(original.xml, noForms, 'ohne Formulare'));
    expect(res2.status).toBe(422);
    expect(res2.body.errors.map((e: any) => e.path)).toEqual(expect.arrayContaining(['UserTask_AuszugPruefen', KEY]));
    // a dead end
    const deadEnd = original.xml.replace(/<bpmn:outgoing>[^<]+<\/bpmn:outgoing>(\s*<\/bpmn:userTask>)/, '$1');
    const res3 = await call('POST', `/api/processes/${KEY}/lint`, { token: owner, json: { xml: deadEnd, forms: original.forms } });
    expect(res3.body.findings).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'UserTask_AuszugPruefen', rule: 'lu/dead-end' })]));
    // nothing was deployed
    const after = await call('GET', `/api/processes/${KEY}`, { token: owner });
    expect(after.body.version).toBe(original.version);
  });

  it('deploys a new version: catalogue, start-form validation and new tasks follow; a running task keeps its form', async () => {
    // a case on the current version with an open task
    const office = await login('betreibungsamt.sachbearbeitung');
    const before = await submitTo(KEY, { municipality: 1061, applicant: applicant(), data: thirdParty });
    expect(before.status).toBe(201);
    const oldTask = await waitForNamedTask(office, before.body.reference, 'Auszug prüfen');

    // new version: renamed task, a new task-form field, a new required start-form field
    const forms: Form[] = structuredClone(original.forms);
    const taskForm = forms.find((f) => f.schema.id === 'auszug-pruefen')!;
    taskForm.schema.components.push({ id: 'Field_Neu', key: 'internalNote', label: 'Interne Notiz (neu)', type: 'textfield' });
    const startForm = forms.find((f) => f.schema.id === `${KEY}-start`)!;
    startForm.schema.components.push({ id: 'Field_Purpose', key: 'purpose', label: 'Verwendungszweck', type: 'textfield', validate: { required: true } });
    const xml = original.xml.replace('name="Auszug prüfen"', 'name="Auszug prüfen (v2)"');
    const id = await draft(xml, forms, 'Aufgabe umbenannt, Verwendungszweck');

    const history = await call('GET', `/api/processes/${KEY}/drafts`, { token: owner });
    expect(history.body[0]).toMatchObject({ id, comment: 'Aufgabe umbenannt, Verwendungszweck', author: 'prozess.owner', createdAt: expect.any(String) });
    const stored = await call('GET', `/api/processes/${KEY}/drafts/${id}`, { token: owner });
    expect(stored.body.xml).toBe(xml);

    const res = await deploy(id);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    // the next version in Zeebe: other installations on the same broker (tests with a database of
    // their own) may have deployed this process id in between, so not necessarily original + 1
    expect(res.body.version).toBeGreaterThan(original.version);
    const newVersion: number = res.body.version;
    expect(res.body.deployedBy).toBe('prozess.owner');

    const list = await call('GET', '/api/processes', { token: owner });
    const service = list.body.find((s: any) => s.key === KEY);
    expect(service.versions.map((v: any) => v.version).slice(0, 2)).toEqual([newVersion, original.version]);
    expect(service.versions[1].runningCases).toBeGreaterThanOrEqual(1);

    // the catalogue and the submission contract follow the new start form
    const catalogue = await call('GET', `/api/v1/services/${KEY}`);
    expect(catalogue.body.form.components.map((c: any) => c.key)).toContain('purpose');
    const missing = await submitTo(KEY, { municipality: 1061, applicant: applicant(), data: thirdParty });
    expect(missing.status).toBe(422);
    expect(missing.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'data.purpose' })]));
    const after = await submitTo(KEY, { municipality: 1061, applicant: applicant(), data: { ...thirdParty, purpose: 'Mietvertrag' } });
    expect(after.status, JSON.stringify(after.body)).toBe(201);

    // a new case runs the new version: renamed task with the new form
    const newTask = await waitForNamedTask(office, after.body.reference, 'Auszug prüfen (v2)');
    const newDetail = await call('GET', `/api/tasks/${newTask.id}`, { token: office });
    expect(newDetail.body.form.components.map((c: any) => c.key)).toContain('internalNote');

    // the running case stays on its version and its task keeps the old form
    const oldDetail = await call('GET', `/api/tasks/${oldTask.id}`, { token: office });
    expect(oldDetail.body.name).toBe('Auszug prüfen');
    expect(oldDetail.body.form.components.map((c: any) => c.key)).not.toContain('internalNote');

    // diff between the two versions
    const diff = await call('GET', `/api/processes/${KEY}/diff?from=v${original.version}&to=v${newVersion}`, { token: owner });
    expect(diff.status).toBe(200);
    expect(diff.body.changed).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'UserTask_AuszugPruefen', attrs: expect.arrayContaining(['name']) })]));
    expect(diff.body.forms.changed).toEqual(expect.arrayContaining(['auszug-pruefen', `${KEY}-start`]));

    // export: the processes/<service>/ layout with the new content
    const zip = await call('GET', `/api/processes/${KEY}/export?version=${newVersion}`, { token: owner });
    expect(zip.status).toBe(200);
    expect(zip.headers.get('content-type')).toBe('application/zip');
    const files = unzipSync(new Uint8Array(zip.body as Buffer));
    expect(Object.keys(files).sort()).toEqual([`processes/${KEY}/auszug-pruefen.form`, `processes/${KEY}/${KEY}.bpmn`, `processes/${KEY}/start.form`].sort());
    expect(strFromU8(files[`processes/${KEY}/${KEY}.bpmn`]!)).toContain('Auszug prüfen (v2)');
    expect(JSON.parse(strFromU8(files[`processes/${KEY}/start.form`]!)).components.map((c: any) => c.key)).toContain('purpose');
  });
});
