/**
 * Inbox search and the case list on the real server (migration 008): full-text search right
 * after the projection created the task, the X-Total-Capped header, and a move (umzug) whose
 * case the second municipality sees in its case list while a third organisation does not.
 */
import { describe, expect, it } from 'vitest';
import { annaMuster, applicant, call, claimAndComplete, login, moveData, submit, submitTo, waitForNamedTask, waitForStatus, waitForTask } from './client';

const q = (filter: Record<string, unknown>, range = '[0,99]') => `?${new URLSearchParams({ filter: JSON.stringify(filter), range })}`;

describe('inbox full-text search', () => {
  it('finds a new task by reference fragment, applicant name and a word of the task name', async () => {
    const person = applicant({ firstName: 'Séverine' });
    const res = await submit({ municipality: 1061, applicant: person, data: {} });
    expect(res.status).toBe(201);
    const { reference } = res.body as { reference: string };
    const clerk = await login('luzern.einwohnerdienste');
    const task = await waitForTask(clerk, reference);

    const search = async (filter: Record<string, unknown>) => {
      const list = await call('GET', `/api/tasks${q(filter)}`, { token: clerk });
      expect(list.status).toBe(200);
      return list;
    };
    // the applicant's (unique) last name, any case, also with the first name
    const byName = await search({ q: String(person.lastName).toUpperCase() });
    expect(byName.body.map((t: { id: string }) => t.id)).toEqual([task.id]);
    expect(byName.headers.get('content-range')).toBe('tasks 0-0/1');
    expect(byName.headers.get('x-total-capped')).toBe('false');
    expect((await search({ q: `séverine ${person.lastName}`, state: 'open' })).body.map((t: { id: string }) => t.id)).toEqual([task.id]);
    // a fragment of the reference (LU-2026-000123 → "2026-00012")
    expect((await search({ q: reference.slice(3, 13) })).body.map((t: { id: string }) => t.id)).toContain(task.id);
    // a word of the task name ("Wohnsitz prüfen"), narrowed to the case
    expect((await search({ q: 'wohnsitz', caseReference: reference })).body.map((t: { id: string }) => t.id)).toEqual([task.id]);
    expect((await search({ q: 'prüfen', caseReference: reference, state: 'open' })).body.map((t: { id: string }) => t.id)).toEqual([task.id]);
    // no match, and not for another organisation
    expect((await search({ q: `${person.lastName}x` })).body).toEqual([]);
    const emmen = await login('emmen.einwohnerdienste');
    expect((await call('GET', `/api/tasks${q({ q: person.lastName })}`, { token: emmen })).body).toEqual([]);

    // completed, it is found in the completed view
    expect((await claimAndComplete(clerk, task.id, { approved: true })).status).toBe(200);
    expect((await search({ q: person.lastName, state: 'completed' })).body.map((t: { id: string }) => t.id)).toEqual([task.id]);
    expect((await search({ q: person.lastName, state: 'open' })).body).toEqual([]);
  });

  it("lists the cases closed in a week (the cockpit's throughput drill-down), and refuses a malformed day", async () => {
    const res = await submit({ municipality: 1061, applicant: annaMuster(), data: {} });
    const done = await waitForStatus(res.body.reference, res.body.accessToken, 'completed', 60_000);
    expect(done.status).toBe('completed');
    const lead = await login('luzern.teamlead');
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const references = async (filter: Record<string, unknown>) => {
      const list = await call('GET', `/api/cases${q(filter, '[0,499]')}`, { token: lead });
      expect(list.status).toBe(200);
      return list.body.map((c: { reference: string }) => c.reference);
    };
    expect(await references({ closedFrom: today, closedBefore: tomorrow })).toContain(res.body.reference);
    expect(await references({ closedFrom: tomorrow })).toEqual([]);
    expect(await references({ closedBefore: today })).not.toContain(res.body.reference);
    const bad = await call('GET', `/api/cases${q({ closedFrom: '2026-13' })}`, { token: lead });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).join()).toContain('closedFrom');
  });

  it('marks the totals of task and case lists as exact or capped', async () => {
    const admin = await login('admin');
    for (const path of ['/api/tasks?range=[0,0]', '/api/cases?range=[0,0]']) {
      const res = await call('GET', path, { token: admin });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-range')).toMatch(/^(tasks|cases) 0-0\/\d+$/);
      // the test server holds far fewer than 10 000 rows: exact
      expect(res.headers.get('x-total-capped')).toBe('false');
      expect(res.headers.get('access-control-expose-headers')).toContain('X-Total-Capped');
    }
    const counts = await call('GET', '/api/inbox/counts', { token: await login('luzern.einwohnerdienste') });
    expect(counts.body).toMatchObject({ capped: [] });
  });
});

describe('case list visibility (case_organisations)', () => {
  it('shows a move Luzern → Emmen to Emmen once its task is there, and not to a third organisation', async () => {
    const person = applicant();
    const res = await submitTo('umzug', {
      municipality: 1061,
      applicant: person,
      data: moveData(),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const { reference } = res.body as { reference: string };
    const emmen = await login('emmen.einwohnerdienste');
    const moveIn = await waitForNamedTask(emmen, reference, 'Zuzug prüfen');

    const caseRefs = async (token: string, filter: Record<string, unknown> = {}) => {
      const list = await call('GET', `/api/cases${q(filter)}`, { token });
      expect(list.status).toBe(200);
      return list.body.map((c: { reference: string }) => c.reference) as string[];
    };
    // Emmen: in the default list (newest first), filtered by status and found by search
    expect(await caseRefs(emmen)).toContain(reference);
    const status = (await call('GET', `/api/cases/${reference}`, { token: emmen })).body.status as string;
    expect(await caseRefs(emmen, { status })).toContain(reference);
    expect(await caseRefs(emmen, { q: person.lastName })).toEqual([reference]);
    // Emmen's inbox search finds its own task of the case only
    const tasks = await call('GET', `/api/tasks${q({ q: person.lastName })}`, { token: emmen });
    expect(tasks.body.map((t: { id: string }) => t.id)).toEqual([moveIn.id]);

    // Luzern owns it
    const luzern = await login('luzern.einwohnerdienste');
    expect(await caseRefs(luzern, { q: person.lastName })).toEqual([reference]);
    expect(await caseRefs(luzern)).toContain(reference);

    // a third organisation: not in the list, not found, not readable
    const steuern = await login('steuern.sachbearbeitung');
    expect(await caseRefs(steuern)).not.toContain(reference);
    expect(await caseRefs(steuern, { q: person.lastName })).toEqual([]);
    expect(await caseRefs(steuern, { status })).not.toContain(reference);
    expect((await call('GET', `/api/cases/${reference}`, { token: steuern })).status).toBe(404);

    // the admin sees it once
    const admin = await login('admin');
    expect(await caseRefs(admin, { q: person.lastName })).toEqual([reference]);
  });
});
