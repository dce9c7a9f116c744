/** The impact preview before a deploy: running cases per version and waiting step, and the waiting steps a draft removes. */
import { describe, expect, it } from 'vitest';
import { applicant, call, login, submit, waitForTask } from './client';

const KEY = 'wohnsitzbestaetigung';

async function saveDraft(token: string, xml: string, forms: unknown[]) {
  const res = await call('POST', `/api/processes/${KEY}/drafts`, { token, json: { xml, forms, comment: 'Wirkung prüfen' } });
  expect(res.status).toBe(201);
  return res.body.id as number;
}

describe('impact preview before deploy', () => {
  it('counts running cases per version and waiting step, and names the waiting steps a draft removes', async () => {
    const res = await submit({ municipality: 1061, applicant: applicant({ firstName: 'Wirkung' }), data: { copies: 1 } });
    await waitForTask(await login('luzern.einwohnerdienste'), res.body.reference);
    const owner = await login('prozess.owner');
    const current = (await call('GET', `/api/processes/${KEY}`, { token: owner })).body;

    // an unchanged draft removes nothing; the waiting case is counted at "Wohnsitz prüfen"
    const same = await call('GET', `/api/processes/${KEY}/impact?draftId=${await saveDraft(owner, current.xml, current.forms)}`, { token: owner });
    expect(same.status).toBe(200);
    expect(same.body.runningCases).toBeGreaterThanOrEqual(1);
    const waiting = same.body.versions
      .flatMap((v: { waiting: Array<{ elementId: string; cases: number }> }) => v.waiting)
      .filter((w: { elementId: string }) => w.elementId === 'UserTask_WohnsitzPruefen');
    expect(waiting.reduce((n: number, w: { cases: number }) => n + w.cases, 0)).toBeGreaterThanOrEqual(1);
    expect(same.body.removedWaiting).toEqual([]);

    // a draft whose human step has another id removes the step the case waits in
    const renamed = current.xml.replaceAll('UserTask_WohnsitzPruefen', 'UserTask_WohnsitzNeuPruefen');
    const removing = await call('GET', `/api/processes/${KEY}/impact?draftId=${await saveDraft(owner, renamed, current.forms)}`, { token: owner });
    expect(removing.status).toBe(200);
    const removed = removing.body.removedWaiting.filter((r: { elementId: string }) => r.elementId === 'UserTask_WohnsitzPruefen');
    expect(removed.length).toBeGreaterThanOrEqual(1);
    // the name of the version the case waits in (the browser tests may have deployed "Wohnsitz prüfen (neu)")
    expect(removed[0].name).toMatch(/^Wohnsitz prüfen/);
    expect(removed[0].cases).toBeGreaterThanOrEqual(1);

    // bad input and access
    expect((await call('GET', `/api/processes/${KEY}/impact?draftId=abc`, { token: owner })).body.errors[0].path).toBe('draftId');
    expect((await call('GET', `/api/processes/${KEY}/impact`, { token: owner })).status).toBe(422);
    expect((await call('GET', `/api/processes/${KEY}/impact?draftId=99999999`, { token: owner })).status).toBe(404);
    expect((await call('GET', `/api/processes/${KEY}/impact?draftId=1`, { token: await login('luzern.einwohnerdienste') })).status).toBe(403);
  });
});
