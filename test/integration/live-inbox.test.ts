/**
 * Issue 18: the live inbox's event stream (GET /api/tasks/events) and the search that folds ß and
 * umlauts. Tasks are written into the server's database by this test process, i.e. by another
 * process than the server, as a second server process would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, call, login, waitFor } from './client';
import { openTaskRows, type TaskRows } from '../support/task-rows';

let rows: TaskRows;
beforeAll(async () => {
  rows = await openTaskRows();
});
afterAll(async () => {
  await rows?.close();
});

/** An open event stream of one user: the task ids of every `tasks` event so far. */
async function openStream(username: string) {
  const controller = new AbortController();
  const res = await fetch(`${baseUrl()}/api/tasks/events`, { headers: { authorization: `Bearer ${await login(username)}` }, signal: controller.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const ids = new Set<string>();
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^event: tasks\ndata: (.*)$/m.exec(event)?.[1];
          if (data) for (const id of (JSON.parse(data) as { ids: string[] }).ids) ids.add(id);
        }
      }
    } catch {
      // aborted at the end of the test
    }
  })();
  return { ids, close: () => controller.abort() };
}

describe('live inbox: server-sent events', () => {
  it('a task written by another process reaches the streams of those who may see it: organisation and candidate groups filtered on the server', async () => {
    const streams = {
      luzernClerk: await openStream('luzern.einwohnerdienste'),
      luzernLead: await openStream('luzern.teamlead'),
      emmenClerk: await openStream('emmen.einwohnerdienste'),
    };
    try {
      // let each process's feed take its starting point (its first poll) before writing
      await new Promise((r) => setTimeout(r, 1000));
      const luzernCase = await rows.addCase(1061);
      const emmenCase = await rows.addCase(1024);
      const luzernGroup = await rows.addTask(luzernCase, 1061, 'Live: Luzern Einwohnerdienste');
      const luzernOtherGroup = await rows.addTask(luzernCase, 1061, 'Live: Luzern Steuern', ['steuern']);
      const emmenGroup = await rows.addTask(emmenCase, 1024, 'Live: Emmen Einwohnerdienste');
      // last, seen by all three: once it arrived, every earlier change was fanned out
      const markers = [await rows.addTask(luzernCase, 1061, 'Live: Marke Luzern'), await rows.addTask(emmenCase, 1024, 'Live: Marke Emmen')];

      const arrived = (s: { ids: Set<string> }, id: string) => waitFor(`event for ${id}`, async () => (s.ids.has(id) ? true : undefined), 15_000);
      await arrived(streams.luzernClerk, markers[0]!);
      await arrived(streams.luzernLead, markers[0]!);
      await arrived(streams.emmenClerk, markers[1]!);

      expect(streams.luzernClerk.ids.has(luzernGroup)).toBe(true);
      expect(streams.luzernClerk.ids.has(luzernOtherGroup)).toBe(false); // not in the clerk's groups
      expect(streams.luzernClerk.ids.has(emmenGroup)).toBe(false); // another municipality
      expect(streams.luzernLead.ids.has(luzernOtherGroup)).toBe(true); // team leads see the organisation
      expect(streams.luzernLead.ids.has(emmenGroup)).toBe(false);
      expect(streams.emmenClerk.ids.has(emmenGroup)).toBe(true);
      for (const id of [luzernGroup, luzernOtherGroup, markers[0]!]) expect(streams.emmenClerk.ids.has(id)).toBe(false);

      // a change of a task (claimed) is an event too
      const token = await login('luzern.einwohnerdienste');
      expect((await call('POST', `/api/tasks/${luzernGroup}/claim`, { token })).status).toBe(200);
      streams.luzernLead.ids.delete(luzernGroup);
      await arrived(streams.luzernLead, luzernGroup);
    } finally {
      for (const s of Object.values(streams)) s.close();
    }
  });

  it('the stream needs a staff session', async () => {
    const res = await fetch(`${baseUrl()}/api/tasks/events`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
  });
});

describe('search folds ß and umlauts', () => {
  it('"Weiss" finds "Weiß", "Mueller" finds "Müller" and the other way round, in the inbox and the dossier list', async () => {
    const tag = `${Date.now()}`.slice(-6);
    const weiss = await rows.addCase(1061, { firstName: `Jürg${tag}`, lastName: 'Weiß' });
    const mueller = await rows.addCase(1061, { firstName: `Hans${tag}`, lastName: 'Mueller' });
    const weissTask = await rows.addTask(weiss, 1061, 'Wohnsitz prüfen', ['einwohnerdienste'], `Jürg${tag} Weiß`);
    const muellerTask = await rows.addTask(mueller, 1061, 'Wohnsitz prüfen', ['einwohnerdienste'], `Hans${tag} Mueller`);
    const token = await login('luzern.teamlead');
    const tasksFound = async (q: string) => ((await call('GET', `/api/tasks?filter=${encodeURIComponent(JSON.stringify({ q }))}`, { token })).body as Array<{ id: string }>).map((t) => t.id);
    const casesFound = async (q: string) =>
      ((await call('GET', `/api/cases?filter=${encodeURIComponent(JSON.stringify({ q }))}`, { token })).body as Array<{ reference: string }>).map((c) => c.reference);

    expect(await tasksFound(`juerg${tag} weiss`)).toEqual([weissTask]);
    expect(await tasksFound(`Jürg${tag} Weiß`)).toEqual([weissTask]);
    expect(await tasksFound(`Hans${tag} Müller`)).toEqual([muellerTask]);
    expect(await tasksFound(`hans${tag} mueller`)).toEqual([muellerTask]);
    expect(await casesFound(`Juerg${tag} WEISS`)).toEqual([weiss.reference]);
    expect(await casesFound(`jürg${tag} weiß`)).toEqual([weiss.reference]);
    expect(await casesFound(`Hans${tag} Müller`)).toEqual([mueller.reference]);
    // the folding does not make everything match
    expect(await tasksFound(`juerg${tag} weis `)).toEqual([]);
  });
});
