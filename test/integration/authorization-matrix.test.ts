/**
 * The authorization matrix (issue 17, item 2): every staff route of the OpenAPI document (which is
 * generated from the route declarations, so a new route is walked without being listed here) ×
 * {no session → 401, the right user → 2xx (or a documented 4xx for a resource-specific reason),
 * a user of another organisation → 404, every user of a wrong role → 403}. The roles of each
 * route come from the document (`x-roles`). A staff route without a fixture below (path
 * parameters or a body to send) fails the test, as does any cell with another status.
 *
 * The cells that must be refused run before the right user's call, so a refusal that wrongly
 * went through would show as the right user's call failing too.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { annaMuster, applicant, baseUrl, call, dogData, login, submit, submitTo, waitForNamedTask, waitForStatus } from './client';
import { caseWithFailingStep, openIncidentOf } from '../support/incidents';

interface Operation {
  method: string;
  /** OpenAPI path, e.g. /api/tasks/{id} */
  path: string;
  roles: string[];
}

interface Fixture {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  /** the right user's answer when it is not 2xx, and why */
  expect?: { status: number; why: string };
  /** a session of its own for the right user (logout ends it) */
  ownSession?: boolean;
  /** no "other organisation" cell: the resource belongs to no organisation (e.g. a process) */
  noOrganisation?: true;
}

const run = Date.now().toString(36);
const LUZERN = 'municipality:1061';
const EMMEN = 'municipality:1024';
const SERVICE = 'fristerstreckung-steuern';

/** the signed-in users of the matrix: role → token */
const users: Record<string, string> = {};
/** the right user of each audience (the first role of x-roles it has decides) */
const rightUserOf = (roles: string[]): string => {
  const key = roles.join(',');
  const byAudience: Record<string, string> = {
    'clerk,teamlead,process_owner,org_admin,admin': 'clerk',
    'clerk,teamlead,admin': 'teamlead',
    'clerk,teamlead,org_admin,admin': 'teamlead',
    'process_owner,admin': 'processOwner',
    'org_admin,admin': 'orgAdmin',
    admin: 'admin',
  };
  const user = byAudience[key];
  if (!user) throw new Error(`no right user for roles ${key}`);
  return user;
};
/** the roles each matrix user holds */
const rolesOf: Record<string, string[]> = {
  clerk: ['clerk'],
  teamlead: ['teamlead', 'clerk'],
  processOwner: ['process_owner'],
  orgAdmin: ['org_admin'],
  admin: ['admin'],
};
/** a user of another organisation with the same roles as the right one */
const otherOrganisationUserOf: Record<string, string> = { teamlead: 'emmenTeamlead', orgAdmin: 'emmenOrgAdmin' };

let fixtures: Record<string, Fixture> = {};

async function guideDogTask(): Promise<{ reference: string; taskId: string }> {
  const res = await submitTo('hundeanmeldung', { municipality: 1061, applicant: applicant(), data: dogData({ dogCategory: 'guide', exemptionRequested: true, exemptionReason: 'Blindenführhund' }) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const task = await waitForNamedTask(users.teamlead!, res.body.reference, 'Steuerbefreiung prüfen');
  return { reference: res.body.reference, taskId: task.id };
}

async function createOrgAdmin(username: string, organisation: string): Promise<string> {
  const res = await call('POST', '/api/admin/users', {
    token: users.admin,
    json: { username, displayName: username, email: null, roles: ['org_admin'], groups: [], organisations: [organisation], initialPassword: 'Start-Passwort-1' },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const changed = await call('POST', '/api/auth/password', { json: { username, password: 'Start-Passwort-1', newPassword: 'Matrix-Passwort-1' } });
  expect(changed.status).toBe(200);
  return changed.body.token;
}

async function prepare(): Promise<Record<string, Fixture>> {
  for (const [key, username] of Object.entries({ clerk: 'luzern.einwohnerdienste', teamlead: 'luzern.teamlead', processOwner: 'prozess.owner', admin: 'admin', emmenTeamlead: 'emmen.teamlead' })) {
    users[key] = await login(username);
  }
  users.orgAdmin = await createOrgAdmin(`matrix.orgadmin.luzern.${run}`, LUZERN);
  users.emmenOrgAdmin = await createOrgAdmin(`matrix.orgadmin.emmen.${run}`, EMMEN);

  // cases of Luzern: one task per changing task route, a certificate with its PDF and invoice, an incident
  const certificate = await submit({ municipality: 1061, applicant: annaMuster(), data: { copies: 1 } });
  expect(certificate.status, JSON.stringify(certificate.body)).toBe(201);
  const [read, claim, unclaim, assign, complete, requestInfo, incidentCase] = await Promise.all([
    guideDogTask(),
    guideDogTask(),
    guideDogTask(),
    guideDogTask(),
    guideDogTask(),
    guideDogTask(),
    caseWithFailingStep(`Matrix${run}`),
  ]);
  for (const task of [unclaim, complete, requestInfo]) expect((await call('POST', `/api/tasks/${task.taskId}/claim`, { token: users.teamlead })).status).toBe(200);
  await waitForStatus(certificate.body.reference, certificate.body.accessToken, 'completed');
  const dossier = (await call('GET', `/api/cases/${certificate.body.reference}`, { token: users.admin })).body;
  const document = dossier.documents[0];
  const invoice = dossier.invoices[0];
  expect(document && invoice, 'the certificate case has a document and an invoice').toBeTruthy();
  const note = await call('POST', `/api/cases/${read.reference}/notes`, { token: users.teamlead, json: { body: 'Notiz zum Löschen' } });
  expect(note.status).toBe(201);
  const incident = await openIncidentOf(users.processOwner!, incidentCase.reference);

  const process = (await call('GET', `/api/processes/${SERVICE}`, { token: users.processOwner })).body;
  const content = { xml: process.xml, forms: process.forms };
  const draft = await call('POST', `/api/processes/${SERVICE}/drafts`, { token: users.processOwner, json: { ...content, comment: 'Matrix' } });
  expect(draft.status).toBe(201);

  const luzernClerk = await call('POST', '/api/admin/users', {
    token: users.admin,
    json: { username: `matrix.clerk.${run}`, displayName: 'Matrix Clerk', email: null, roles: ['clerk'], groups: ['einwohnerdienste'], organisations: [LUZERN], initialPassword: 'Start-Passwort-1' },
  });
  expect(luzernClerk.status).toBe(201);
  const userId = String(luzernClerk.body.id);
  const luzern = (await call('GET', `/api/admin/organisations/${encodeURIComponent(LUZERN)}`, { token: users.admin })).body;
  // absences of the matrix clerk in the future (no task moves): one to delete, one window for the create call
  const days = (n: number) => new Date(Date.now() + n * 24 * 3600_000).toISOString();
  const absence = await call('POST', '/api/absences', { token: users.teamlead, json: { username: `matrix.clerk.${run}`, deputy: 'luzern.einwohnerdienste', from: days(3), to: days(4) } });
  expect(absence.status, JSON.stringify(absence.body)).toBe(201);

  const ref = { reference: read.reference };
  const processFixture = (extra: Fixture = {}): Fixture => ({ params: { key: SERVICE }, noOrganisation: true, ...extra });
  return {
    'POST /api/auth/logout': { ownSession: true },
    'GET /api/tasks/{id}': { params: { id: read.taskId } },
    'POST /api/tasks/{id}/claim': { params: { id: claim.taskId } },
    'POST /api/tasks/{id}/unclaim': { params: { id: unclaim.taskId } },
    'POST /api/tasks/{id}/assign': { params: { id: assign.taskId }, body: { assignee: 'luzern.einwohnerdienste' } },
    'POST /api/tasks/{id}/complete': { params: { id: complete.taskId }, body: { variables: { exemptionApproved: false, decisionReason: 'Kein Nachweis' } } },
    'POST /api/tasks/{id}/request-info': { params: { id: requestInfo.taskId }, body: { message: 'Bitte den Ausweis senden.' } },
    'GET /api/cases/{reference}': { params: ref },
    'GET /api/cases/{reference}/documents/{id}': { params: { reference: certificate.body.reference, id: document.id } },
    'GET /api/cases/{reference}/diagram': { params: ref },
    'GET /api/cases/{reference}/notes': { params: ref },
    'POST /api/cases/{reference}/notes': { params: ref, body: { body: 'Matrix-Notiz' } },
    'DELETE /api/cases/{reference}/notes/{id}': { params: { ...ref, id: String(note.body.id) } },
    'POST /api/invoices/{id}/paid': { params: { id: invoice.id }, noOrganisation: true },
    'GET /api/processes/{key}': processFixture(),
    'GET /api/processes/{key}/versions/{version}': processFixture({ params: { key: SERVICE, version: String(process.version) } }),
    'POST /api/processes/{key}/drafts': processFixture({ body: { ...content, comment: 'Matrix 2' } }),
    'GET /api/processes/{key}/drafts': processFixture(),
    'GET /api/processes/{key}/drafts/{id}': processFixture({ params: { key: SERVICE, id: String(draft.body.id) } }),
    'POST /api/processes/{key}/lint': processFixture({ body: content }),
    'GET /api/processes/{key}/impact': processFixture({ query: { draftId: String(draft.body.id) } }),
    'POST /api/processes/{key}/deploy': processFixture({ body: { draftId: draft.body.id } }),
    'GET /api/processes/{key}/diff': processFixture({ query: { from: `v${process.version}` } }),
    'GET /api/processes/{key}/export': processFixture(),
    'GET /api/incidents/{id}': { params: { id: String(incident.id) }, noOrganisation: true },
    'POST /api/incidents/{id}/retry': { params: { id: String(incident.id) }, noOrganisation: true },
    'POST /api/incidents/{id}/cancel-case': { params: { id: String(incident.id) }, body: { reason: 'Matrix-Test' }, noOrganisation: true },
    'PUT /api/admin/portal-clients/{clientId}': { params: { clientId: `matrix-${run}` }, body: { name: 'Matrix' }, noOrganisation: true },
    'POST /api/admin/status-callbacks/{id}/retry': {
      params: { id: '2147483647' },
      noOrganisation: true,
      expect: { status: 404, why: 'no dead callback event exists here; retrying one is covered by status-callbacks.test.ts' },
    },
    'GET /api/admin/organisations/{id}': { params: { id: LUZERN } },
    'POST /api/admin/organisations': { body: { kind: 'canton', key: `matrix-${run}`, name: 'Matrix-Amt', inboxGroups: [] } },
    'PUT /api/admin/organisations/{id}': { params: { id: LUZERN }, body: { name: luzern.name, inboxGroups: luzern.inboxGroups }, noOrganisation: true },
    'GET /api/admin/users/{id}': { params: { id: userId } },
    'POST /api/admin/users': {
      body: { username: `matrix.neu.${run}`, displayName: 'Matrix Neu', email: null, roles: ['clerk'], groups: [], organisations: [LUZERN], initialPassword: 'Start-Passwort-1' },
    },
    'PUT /api/admin/users/{id}': {
      params: { id: userId },
      body: { displayName: 'Matrix Clerk 2', email: null, roles: ['clerk'], groups: ['einwohnerdienste'], organisations: [LUZERN], active: true },
    },
    'POST /api/admin/users/{id}/password': { params: { id: userId }, body: { initialPassword: 'Neues-Start-1' } },
    'POST /api/absences': { body: { username: `matrix.clerk.${run}`, deputy: 'luzern.einwohnerdienste', from: days(1), to: days(2) } },
    'DELETE /api/absences/{id}': { params: { id: String(absence.body.id) } },
  };
}

function staffOperations(doc: { paths: Record<string, Record<string, any>> }): { operations: Operation[]; unmarked: string[] } {
  const operations: Operation[] = [];
  const unmarked: string[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const staff = (op.security ?? []).some((s: Record<string, unknown>) => 'bearer' in s);
      if (!staff) continue;
      if (!Array.isArray(op['x-roles'])) unmarked.push(`${method.toUpperCase()} ${path}`);
      else operations.push({ method: method.toUpperCase(), path, roles: op['x-roles'] });
    }
  }
  return { operations, unmarked };
}

/** The status of one call; an event stream is not read (it never ends). */
async function statusOf(op: Operation, fixture: Fixture, token: string | undefined): Promise<number> {
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = fixture.params?.[name];
    if (value === undefined) throw new Error(`${op.method} ${op.path}: the fixture has no parameter ${name}`);
    return encodeURIComponent(value);
  });
  const query = fixture.query ? `?${new URLSearchParams(fixture.query)}` : '';
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (fixture.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl()}${path}${query}`, { method: op.method, headers, body: fixture.body === undefined ? undefined : JSON.stringify(fixture.body) });
  await res.body?.cancel();
  return res.status;
}

interface Cell {
  route: string;
  who: string;
  expected: string;
  status: number;
}

describe('authorization matrix: every staff route × no session, right user, other organisation, wrong role', () => {
  beforeAll(async () => {
    fixtures = await prepare();
  }, 240_000);

  it('answers 401 / 2xx / 404 / 403 in every cell', { timeout: 300_000 }, async () => {
    const doc = (await call('GET', '/api/openapi.json')).body;
    const { operations, unmarked } = staffOperations(doc);
    expect(unmarked, 'staff routes without x-roles (every staff route names its audience)').toEqual([]);
    expect(operations.length).toBeGreaterThan(40);

    const cells: Cell[] = [];
    const mismatches: Cell[] = [];
    const check = (op: Operation, who: string, expected: string, status: number, ok: boolean) => {
      const cell = { route: `${op.method} ${op.path}`, who, expected, status };
      cells.push(cell);
      if (!ok) mismatches.push(cell);
    };
    const missingFixtures: string[] = [];
    for (const op of operations) {
      const key = `${op.method} ${op.path}`;
      const needsFixture = op.path.includes('{') || doc.paths[op.path][op.method.toLowerCase()].requestBody;
      const fixture = fixtures[key] ?? (needsFixture ? undefined : {});
      if (!fixture) {
        missingFixtures.push(key);
        continue;
      }
      const right = rightUserOf(op.roles);
      // 1. no session
      const anonymous = await statusOf(op, fixture, undefined);
      check(op, 'no session', '401', anonymous, anonymous === 401);
      // 2. every matrix user without a role of the route
      for (const [who, roles] of Object.entries(rolesOf)) {
        if (roles.some((r) => op.roles.includes(r))) continue;
        const status = await statusOf(op, fixture, users[who]);
        check(op, who, '403', status, status === 403);
      }
      // 3. the right role in another organisation, for a resource of an organisation
      const other = otherOrganisationUserOf[right];
      if (other && op.path.includes('{') && !fixture.noOrganisation) {
        const status = await statusOf(op, fixture, users[other]);
        check(op, other, '404', status, status === 404);
      }
      // 4. the right user, last: their call may change the resource
      const token = fixture.ownSession ? await login('luzern.einwohnerdienste') : users[right];
      const status = await statusOf(op, fixture, token);
      const expected = fixture.expect ? `${fixture.expect.status} (${fixture.expect.why})` : '2xx';
      check(op, right, expected, status, fixture.expect ? status === fixture.expect.status : status >= 200 && status < 300);
    }

    const byExpectation = (expected: string) => cells.filter((c) => c.expected === expected).length;
    console.log(
      `matrix: ${operations.length} staff routes, ${cells.length} calls, ${cells.length - mismatches.length} as expected ` +
        `(401: ${byExpectation('401')}, 2xx: ${byExpectation('2xx')}, documented 4xx: ${cells.filter((c) => c.expected.includes('(')).length}, 404 other organisation: ${byExpectation('404')}, 403 wrong role: ${byExpectation('403')})`,
    );
    if (mismatches.length > 0) console.log('mismatches', mismatches);
    expect(missingFixtures, 'staff routes that need a fixture (path parameters or a body) in authorization-matrix.test.ts').toEqual([]);
    expect(mismatches).toEqual([]);
  });
});
