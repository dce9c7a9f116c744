/**
 * Deputies (Stellvertretung, issue 17 item 4) on the real broker and database: an absent clerk's
 * task goes to the deputy's "Meine Aufgaben" marked with the absent person, the deputy completes
 * it; a new assignment to the absent clerk goes to the deputy; the end of the absence (deleted, or
 * the window running out) hands unfinished tasks back; the timeline records each move; bad input
 * answers problem+json with paths.
 */
import path from 'node:path';
import pino from 'pino';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { projectRoot } from '../../server/config/config';
import { AbsenceService } from '../../server/domain/absences';
import { TaskService } from '../../server/domain/tasks';
import type { Engine } from '../../server/engine/zeebe';
import { Catalogue } from '../../server/processes/catalogue';
import { createRepositories } from '../../server/repositories';
import { call, claimAndComplete, login, submitGuideDog, waitFor, waitForNamedTask } from './client';
import { openTestDatabase } from './server-process';
import { openTaskRows } from '../support/task-rows';

const run = Date.now().toString(36);
const LUZERN = 'municipality:1061';
const absentName = `dep.absent.${run}`;
const deputyName = `dep.deputy.${run}`;
const colleagueName = `dep.colleague.${run}`;
const tokens: Record<string, string> = {};

async function createClerk(username: string, displayName: string, roles: string[] = ['clerk']): Promise<string> {
  const created = await call('POST', '/api/admin/users', {
    token: tokens.admin,
    json: { username, displayName, email: null, roles, groups: roles.includes('clerk') ? ['einwohnerdienste'] : [], organisations: [LUZERN], initialPassword: 'Start-Passwort-1' },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const changed = await call('POST', '/api/auth/password', { json: { username, password: 'Start-Passwort-1', newPassword: 'Deputy-Passwort-1' } });
  expect(changed.status).toBe(200);
  return changed.body.token;
}

/** a guide dog case whose «Steuerbefreiung prüfen» the absent clerk has claimed */
async function claimedTask(): Promise<{ reference: string; id: string }> {
  const { reference } = await submitGuideDog('Stellvertretung');
  const task = await waitForNamedTask(tokens.absent!, reference, 'Steuerbefreiung prüfen');
  expect((await call('POST', `/api/tasks/${task.id}/claim`, { token: tokens.absent })).status).toBe(200);
  return { reference, id: task.id };
}

const taskOf = async (id: string, token = tokens.lead) => (await call('GET', `/api/tasks/${id}`, { token })).body;
const myTasks = async (token: string, username: string) =>
  (await call('GET', `/api/tasks?filter=${encodeURIComponent(JSON.stringify({ assignee: username, state: 'open' }))}&range=[0,99]`, { token })).body as any[];
const timelineOf = async (reference: string) => ((await call('GET', `/api/cases/${reference}`, { token: tokens.lead })).body.timeline as Array<{ label: string }>).map((e) => e.label);
const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

describe('deputies (Stellvertretung)', () => {
  beforeAll(async () => {
    tokens.admin = await login('admin');
    tokens.lead = await login('luzern.teamlead');
    tokens.absent = await createClerk(absentName, `Anna Abwesend ${run}`);
    tokens.deputy = await createClerk(deputyName, `Dora Vertretung ${run}`);
    tokens.colleague = await createClerk(colleagueName, `Carl Kollege ${run}`);
  }, 60_000);

  it('refuses bad input with problem+json and field paths, and callers without the right', async () => {
    const post = (json: unknown, token = tokens.absent) => call('POST', '/api/absences', { token, json });
    const valid = { deputy: deputyName, from: inMinutes(-1), to: inMinutes(60) };
    const pathsOf = (res: { status: number; body: any; headers: Headers }) => {
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      return (res.body.errors as Array<{ path: string }>).map((e) => e.path);
    };
    expect(pathsOf(await post({ from: valid.from, to: valid.to }))).toContain('deputy');
    expect(pathsOf(await post({ ...valid, from: '24.12.2026' }))).toContain('from');
    expect(pathsOf(await post({ ...valid, to: '2026-02-30T25:00:00Z' }))).toContain('to');
    expect(pathsOf(await post({ ...valid, extra: 1 }))).toEqual(['(body)']);
    expect(pathsOf(await post({ ...valid, to: inMinutes(-2) }))).toEqual(['to']); // before the start
    expect(pathsOf(await post({ ...valid, from: inMinutes(-120), to: inMinutes(-60) }))).toEqual(['to']); // over already
    expect(pathsOf(await post({ ...valid, to: inMinutes(60 * 24 * 400) }))).toEqual(['to']); // longer than a year
    expect(pathsOf(await post({ ...valid, deputy: absentName }))).toEqual(['deputy']); // oneself
    expect(pathsOf(await post({ ...valid, deputy: 'gibt.es.nicht' }))).toEqual(['deputy']);
    expect(pathsOf(await post({ ...valid, deputy: 'emmen.einwohnerdienste' }))).toEqual(['deputy']); // another organisation
    expect(pathsOf(await post({ ...valid, deputy: 'prozess.owner' }))).toEqual(['deputy']); // no case work
    expect(pathsOf(await post({ ...valid, organisationId: 'municipality:1024' }))).toEqual(['organisationId']);
    expect(pathsOf(await post({ ...valid, username: 'emmen.einwohnerdienste' }))).toEqual(['username']);
    // a clerk does not set a colleague's absence; a process owner has no absences; no session: 401
    expect((await post({ ...valid, username: colleagueName })).status).toBe(403);
    expect((await post(valid, await login('prozess.owner'))).status).toBe(403);
    expect((await call('GET', '/api/absences', { token: await login('prozess.owner') })).status).toBe(403);
    expect((await call('POST', '/api/absences', { json: valid })).status).toBe(401);
    expect((await call('GET', '/api/absences')).status).toBe(401);
    expect((await call('DELETE', '/api/absences/abc', { token: tokens.absent })).status).toBe(422);
    expect((await call('DELETE', '/api/absences/2147483647', { token: tokens.absent })).status).toBe(404);
    expect(await call('GET', '/api/absences', { token: tokens.absent }).then((r) => r.body)).toEqual([]);
  });

  it("an absent clerk's task goes to the deputy, who completes it; a new assignment goes to the deputy; deleting the absence hands the rest back", async () => {
    const first = await claimedTask();
    const second = await claimedTask();
    const third = await waitForNamedTask(tokens.lead!, (await submitGuideDog('Zuweisung')).reference, 'Steuerbefreiung prüfen');

    // the team lead sets the absence of the clerk (running now) with a deputy
    const created = await call('POST', '/api/absences', { token: tokens.lead, json: { username: absentName, deputy: deputyName, from: inMinutes(-1), to: inMinutes(60), note: 'Ferien' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      username: absentName,
      organisationId: LUZERN,
      deputy: deputyName,
      deputyName: `Dora Vertretung ${run}`,
      active: true,
      deletable: true,
      createdBy: 'luzern.teamlead',
    });
    // overlapping windows of the same person are refused
    const overlap = await call('POST', '/api/absences', { token: tokens.absent, json: { deputy: colleagueName, from: inMinutes(30), to: inMinutes(90) } });
    expect(overlap.status).toBe(422);
    expect(overlap.body.errors.map((e: { path: string }) => e.path)).toEqual(['from']);
    // no chains: the deputy does not go away meanwhile, nor is an absent person named deputy
    const chain = await call('POST', '/api/absences', { token: tokens.deputy, json: { deputy: colleagueName, from: inMinutes(10), to: inMinutes(20) } });
    expect(chain.status).toBe(422);
    expect(chain.body.errors.map((e: { path: string }) => e.path)).toEqual(['from']);
    const toAbsent = await call('POST', '/api/absences', { token: tokens.colleague, json: { deputy: absentName, from: inMinutes(10), to: inMinutes(20) } });
    expect(toAbsent.status).toBe(422);
    expect(toAbsent.body.errors.map((e: { path: string }) => e.path)).toEqual(['deputy']);

    // the absent clerk's claimed tasks are now in the deputy's "Meine Aufgaben", marked
    const mine = await myTasks(tokens.deputy!, deputyName);
    for (const task of [first, second]) {
      expect(mine.find((t) => t.id === task.id)).toMatchObject({ assignee: deputyName, deputyFor: absentName, deputyForName: `Anna Abwesend ${run}` });
    }
    expect(await myTasks(tokens.absent!, absentName)).toEqual([]);
    expect(await timelineOf(first.reference)).toContainEqual(
      expect.stringMatching(new RegExp(`^Aufgabe «Steuerbefreiung prüfen» an Stellvertretung Dora Vertretung ${run} weitergeleitet \\(Anna Abwesend ${run} abwesend bis \\d\\d\\.\\d\\d\\.\\d{4}`)),
    );
    // every side sees the absence: the absent clerk and the lead may end it, the deputy not
    const seenByDeputy = (await call('GET', '/api/absences', { token: tokens.deputy })).body;
    expect(seenByDeputy).toEqual([expect.objectContaining({ id: created.body.id, deletable: false })]);
    expect((await call('GET', '/api/absences', { token: tokens.lead })).body).toContainEqual(expect.objectContaining({ id: created.body.id, deletable: true }));
    expect((await call('GET', '/api/absences', { token: tokens.colleague })).body).toEqual([]);
    expect((await call('DELETE', `/api/absences/${created.body.id}`, { token: tokens.deputy })).status).toBe(403);
    expect((await call('DELETE', `/api/absences/${created.body.id}`, { token: tokens.colleague })).status).toBe(404);
    expect((await call('DELETE', `/api/absences/${created.body.id}`, { token: await login('emmen.teamlead') })).status).toBe(404);

    // the deputy completes the first task
    const done = await call('POST', `/api/tasks/${first.id}/complete`, { token: tokens.deputy, json: { variables: { exemptionApproved: false, decisionReason: 'Kein Ausweis vorgelegt' } } });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.completedBy).toBe(deputyName);
    // the absent clerk cannot complete what now lies with the deputy
    expect((await call('POST', `/api/tasks/${second.id}/complete`, { token: tokens.absent, json: { variables: { exemptionApproved: false, decisionReason: 'Kein Ausweis vorgelegt' } } })).status).toBe(
      409,
    );

    // the team lead assigns a new task to the absent clerk: it goes to the deputy
    const assigned = await call('POST', `/api/tasks/${third.id}/assign`, { token: tokens.lead, json: { assignee: absentName } });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
    expect(assigned.body).toMatchObject({ assignee: deputyName, deputyFor: absentName });

    // the absent clerk comes back early: deleting the absence hands the unfinished tasks back
    const ended = await call('DELETE', `/api/absences/${created.body.id}`, { token: tokens.absent });
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ id: created.body.id, username: absentName });
    for (const id of [second.id, third.id]) expect(await taskOf(id)).toMatchObject({ assignee: absentName, deputyFor: null, deputyForName: null });
    expect(await taskOf(first.id)).toMatchObject({ state: 'completed', completedBy: deputyName });
    expect(await timelineOf(second.reference)).toContain(`Aufgabe «Steuerbefreiung prüfen» an Anna Abwesend ${run} zurückgegeben (Stellvertretung durch Dora Vertretung ${run} beendet)`);
    expect((await call('GET', '/api/absences', { token: tokens.absent })).body).toEqual([]);
    // the clerk completes the task handed back
    expect((await call('POST', `/api/tasks/${second.id}/complete`, { token: tokens.absent, json: { variables: { exemptionApproved: false, decisionReason: 'Kein Ausweis vorgelegt' } } })).status).toBe(
      200,
    );
    expect((await claimAndComplete(tokens.absent!, third.id, { exemptionApproved: false, decisionReason: 'Kein Ausweis vorgelegt' })).status).toBe(200);
  });

  it("an organisation admin manages the absences of their organisation's people, not of another's", async () => {
    const orgAdmin = async (username: string, organisation: string) => {
      const created = await call('POST', '/api/admin/users', {
        token: tokens.admin,
        json: { username, displayName: username, email: null, roles: ['org_admin'], groups: [], organisations: [organisation], initialPassword: 'Start-Passwort-1' },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      return (await call('POST', '/api/auth/password', { json: { username, password: 'Start-Passwort-1', newPassword: 'Deputy-Passwort-1' } })).body.token as string;
    };
    const luzernAdmin = await orgAdmin(`dep.orgadmin.lu.${run}`, LUZERN);
    const emmenAdmin = await orgAdmin(`dep.orgadmin.em.${run}`, 'municipality:1024');
    const window = { username: absentName, deputy: deputyName, from: inMinutes(60 * 24 * 10), to: inMinutes(60 * 24 * 11) };
    // an organisation admin has no absence of their own (no tasks)
    expect((await call('POST', '/api/absences', { token: luzernAdmin, json: { deputy: deputyName, from: window.from, to: window.to } })).status).toBe(422);
    const foreign = await call('POST', '/api/absences', { token: emmenAdmin, json: window });
    expect(foreign.status).toBe(422);
    expect(foreign.body.errors.map((e: { path: string }) => e.path)).toEqual(['username']);
    const created = await call('POST', '/api/absences', { token: luzernAdmin, json: window });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ username: absentName, deputy: deputyName, active: false, deletable: true });
    expect((await call('GET', '/api/absences', { token: emmenAdmin })).body).toEqual([]);
    expect((await call('DELETE', `/api/absences/${created.body.id}`, { token: emmenAdmin })).status).toBe(404);
    expect((await call('DELETE', `/api/absences/${created.body.id}`, { token: luzernAdmin })).status).toBe(200);
  });

  it('a window that runs out hands the tasks back by itself, and a future window waits for its start', async () => {
    const task = await claimedTask();
    // a window in the future changes nothing yet
    const later = await call('POST', '/api/absences', { token: tokens.absent, json: { deputy: deputyName, from: inMinutes(60), to: inMinutes(120) } });
    expect(later.status).toBe(201);
    expect(later.body.active).toBe(false);
    expect(await taskOf(task.id)).toMatchObject({ assignee: absentName, deputyFor: null });
    // a window ending in a few seconds: the task goes to the deputy, then comes back (sweep, ABSENCE_SWEEP_MS)
    const short = await call('POST', '/api/absences', { token: tokens.absent, json: { deputy: colleagueName, from: inMinutes(-1), to: new Date(Date.now() + 4000).toISOString() } });
    expect(short.status, JSON.stringify(short.body)).toBe(201);
    expect(await taskOf(task.id)).toMatchObject({ assignee: colleagueName, deputyFor: absentName });
    const back = await waitFor('the task back after the window', async () => {
      const t = await taskOf(task.id);
      return t.assignee === absentName ? t : undefined;
    });
    expect(back.deputyFor).toBeNull();
    expect(await timelineOf(task.reference)).toContain(`Aufgabe «Steuerbefreiung prüfen» an Anna Abwesend ${run} zurückgegeben (Stellvertretung durch Carl Kollege ${run} beendet)`);
    expect((await call('DELETE', `/api/absences/${later.body.id}`, { token: tokens.lead })).status).toBe(200);
    expect((await claimAndComplete(tokens.absent!, task.id, { exemptionApproved: false, decisionReason: 'Kein Ausweis vorgelegt' })).status).toBe(200);
  });

  it('a new task the process assigns to an absent clerk (BPMN assignee) goes to the deputy at once', async () => {
    const rows = await openTaskRows();
    try {
      const repos = createRepositories(rows.db);
      const tasks = new TaskService(repos, await Catalogue.load(path.join(projectRoot, 'processes')), {} as Engine, pino({ level: 'silent' }));
      // an absence in ten days (the server's sweep, at the real time, leaves it alone); the task seen then
      const from = inMinutes(60 * 24 * 10);
      const to = inMinutes(60 * 24 * 11);
      const absence = await repos.absences.create({ username: absentName, organisationId: LUZERN, deputy: deputyName, from, to, note: null, createdBy: 'test' });
      const c = await rows.addCase(1061, { firstName: 'Bpmn', lastName: `Assignee${run}` });
      const id = await rows.addTask(c, 1061, 'Zugewiesene Aufgabe');
      expect(await repos.tasks.setAssignee(id, null, absentName)).toBe(true);
      await tasks.routeToDeputy(id, new Date(Date.parse(from) + 60_000));
      const label = (await timelineOf(c.reference)).find((l) => l.includes('weitergeleitet'));
      expect(label).toMatch(new RegExp(`^Aufgabe «Zugewiesene Aufgabe» an Stellvertretung Dora Vertretung ${run} weitergeleitet \\(Anna Abwesend ${run} abwesend bis`));
      // not absent at that time: nothing moves
      const other = await rows.addTask(c, 1061, 'Andere Aufgabe');
      expect(await repos.tasks.setAssignee(other, null, absentName)).toBe(true);
      await tasks.routeToDeputy(other, new Date(Date.parse(to) + 60_000));
      expect(await repos.tasks.get(other)).toMatchObject({ assignee: absentName, delegatedFrom: null });
      await repos.absences.delete(absence.id);
      // the sweep hands the first task back (its absence is not running now)
      await waitFor('the task back', async () => ((await repos.tasks.get(id))?.assignee === absentName ? true : undefined));
      for (const t of [id, other]) await repos.tasks.markCancelled(t);
    } finally {
      await rows.close();
    }
  });

  it('several processes applying the absences at once move each task once, with one timeline entry each', async () => {
    // two more "processes" on the server's database (their own connections), beside the server's own sweep
    const catalogue = await Catalogue.load(path.join(projectRoot, 'processes'));
    const log = pino({ level: 'silent' });
    const dbs = [await openTestDatabase(inject('dataDir')), await openTestDatabase(inject('dataDir'))];
    try {
      const services = dbs.map((db) => {
        const repos = createRepositories(db);
        return { repos, absences: new AbsenceService(repos, new TaskService(repos, catalogue, {} as Engine, log), log) };
      });
      const tasks = [await claimedTask(), await claimedTask(), await claimedTask()];
      // written straight into the database: no process has applied it yet
      const absence = await services[0]!.repos.absences.create({
        username: absentName,
        organisationId: LUZERN,
        deputy: deputyName,
        from: inMinutes(-1),
        to: inMinutes(60),
        note: null,
        createdBy: 'test',
      });
      await Promise.all([services[0]!.absences.reconcile(), services[1]!.absences.reconcile(), services[0]!.absences.reconcile(), services[1]!.absences.reconcile()]);
      for (const task of tasks) {
        expect(await taskOf(task.id)).toMatchObject({ assignee: deputyName, deputyFor: absentName });
        expect((await timelineOf(task.reference)).filter((l) => l.includes('weitergeleitet'))).toHaveLength(1);
      }
      await services[1]!.repos.absences.delete(absence.id);
      await Promise.all([services[0]!.absences.reconcile(), services[1]!.absences.reconcile(), services[0]!.absences.reconcile(), services[1]!.absences.reconcile()]);
      for (const task of tasks) {
        expect(await taskOf(task.id)).toMatchObject({ assignee: absentName, deputyFor: null });
        expect((await timelineOf(task.reference)).filter((l) => l.includes('zurückgegeben'))).toHaveLength(1);
        expect((await claimAndComplete(tokens.absent!, task.id, { exemptionApproved: false, decisionReason: 'Kein Ausweis vorgelegt' })).status).toBe(200);
      }
    } finally {
      for (const db of dbs) await db.destroy();
    }
  });
});
