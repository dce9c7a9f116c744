/** fristerstreckung-steuern on the real broker: routine extensions, a person's decision in the cantonal tax office, invalid AHV. */
import { describe, expect, it } from 'vitest';
import { activateElement, documentText, emmenApplicant, call, claimAndComplete, login, mailsMentioning, openTasksOf, submitTo, waitFor, waitForNamedTask, waitForStatus } from './client';

const taxYear = new Date().getFullYear();
const next = taxYear + 1;

async function ask(data: Record<string, unknown>) {
  const res = await submitTo('fristerstreckung-steuern', {
    municipality: 1024,
    applicant: emmenApplicant(),
    data: { ahvNumber: '756.9217.0769.85', taxYear, taxpayerType: 'employed', represented: false, ...data },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { reference: string; accessToken: string };
}

describe('fristerstreckung-steuern', () => {
  it('two months are granted by the rules, without a fee', async () => {
    const { reference, accessToken } = await ask({ requestedUntil: `${next}-05-31` });
    const done = await waitForStatus(reference, accessToken, 'completed');
    expect(done.fee).toBeNull();
    expect(done.documents.map((d: { name: string }) => d.name)).toEqual([`Fristerstreckung-${reference}.pdf`]);
    await waitFor('granted mail', async () => mailsMentioning(reference).find((m) => m.includes(`31.05.${next}`)));
  });

  it('self-employed: up to 31 August by the rules', async () => {
    const { reference, accessToken } = await ask({ taxpayerType: 'self_employed', requestedUntil: `${next}-08-31` });
    await waitForStatus(reference, accessToken, 'completed');
  });

  it('an employed person: a longer extension is decided by the tax office of the municipality (Emmen), not by the canton', async () => {
    const { reference, accessToken } = await ask({ requestedUntil: `${next}-09-30`, reason: 'Spitalaufenthalt' });
    const tax = await login('emmen.steueramt');
    const task = await waitForNamedTask(tax, reference, 'Fristerstreckung entscheiden');
    expect(task).toMatchObject({ candidateGroups: ['steuern'], organisationId: 'steueramt:1024' });
    expect(await openTasksOf(await login('steuern.sachbearbeitung'), reference)).toEqual([]);
    expect(await openTasksOf(await login('emmen.einwohnerdienste'), reference)).toEqual([]);
    await activateElement(reference, 'Task_EskalationFristEntscheiden');
    await waitFor('escalation mail', async () => mailsMentioning(reference).find((m) => m.includes('emmen.steueramt.teamlead@demo.lu.ch')));
    const admin = await login('admin');
    const timeline = (await call('GET', `/api/cases/${reference}`, { token: admin })).body.timeline.map((e: { label: string }) => e.label);
    expect(timeline).toContain('Frist für «Fristerstreckung entscheiden» überschritten: an die Teamleitung eskaliert (1 benachrichtigt)');
    // a shorter deadline than asked is a partial decision: it needs reasons (issue 16 item 4)
    const shorter = { approved: true, grantedUntil: `${next}-08-31`, comment: 'Ausnahmsweise bis Ende August' };
    const withoutReason = await claimAndComplete(tax, task.id, shorter);
    expect(withoutReason.status).toBe(422);
    expect(withoutReason.body.errors).toEqual([{ path: 'variables.decisionReason', message: 'Pflichtfeld' }]);
    const reason = 'Ein Spitalaufenthalt im Frühling rechtfertigt eine Frist bis Ende August.';
    expect((await call('POST', `/api/tasks/${task.id}/complete`, { token: tax, json: { variables: { ...shorter, decisionReason: reason } } })).status).toBe(200);
    const done = await waitForStatus(reference, accessToken, 'completed');
    expect(done.fee).toBeNull();
    const text = await documentText(done.documents[0], accessToken);
    expect(text).toContain(`bis am 31.08.${next} erstreckt`);
    expect(text).toContain(reason);
    expect(text).toContain('Rechtsmittelbelehrung');
    await waitFor('granted mail', async () => mailsMentioning(reference).find((m) => m.includes(`31.08.${next}`)));
  });

  it('a self-employed person: a longer extension is refused by the cantonal Dienststelle Steuern', async () => {
    const { reference, accessToken } = await ask({ taxpayerType: 'self_employed', requestedUntil: `${next}-12-31` });
    const tax = await login('steuern.sachbearbeitung');
    const task = await waitForNamedTask(tax, reference, 'Fristerstreckung entscheiden');
    expect(task.organisationId).toBe('canton:steuerverwaltung');
    expect((await claimAndComplete(tax, task.id, { approved: false, decisionReason: 'Keine Begründung für die lange Frist' })).status).toBe(200);
    const done = await waitForStatus(reference, accessToken, 'rejected');
    expect(done.documents.map((d: { name: string }) => d.name)).toEqual([`Entscheid-${reference}.pdf`]);
  });

  it('an invalid AHV number is rejected (BPMN error INVALID_DATA)', async () => {
    const { reference, accessToken } = await ask({ ahvNumber: '756.9217.0769.84', requestedUntil: `${next}-05-31` });
    await waitForStatus(reference, accessToken, 'rejected');
    const admin = await login('admin');
    const c = await call('GET', `/api/cases/${reference}`, { token: admin });
    expect(c.body.timeline.map((e: { label: string }) => e.label).join('\n')).toContain('AHV-Nummer ist ungültig');
  });
});
