/** hundeanmeldung on the real broker: dog tax rules, exemption decided by a person, invalid data, paid invoices. */
import { describe, expect, it } from 'vitest';
import { openTaskRows } from '../support/task-rows';
import { annaMuster, applicant, call, dogData, claimAndComplete, login, mailsMentioning, openTasksOf, statusOf, submitTo, waitFor, waitForNamedTask, waitForStatus } from './client';

const year = new Date().getFullYear();

async function register(data: Record<string, unknown>, who = annaMuster(), municipality = 1061) {
  const res = await submitTo('hundeanmeldung', { municipality, applicant: who, data: dogData(data) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { reference: string; accessToken: string };
}

describe('hundeanmeldung', () => {
  it('is in the catalogue with its fee and start form', async () => {
    const one = await call('GET', '/api/v1/services/hundeanmeldung');
    expect(one.body).toMatchObject({ key: 'hundeanmeldung', name: 'Hundeanmeldung', authority: 'municipality', fee: { amount: 120, currency: 'CHF' } });
    expect(one.body.form.components.map((c: { key?: string }) => c.key)).toEqual(expect.arrayContaining(['chipNumber', 'dogBirthDate', 'dogCategory', 'exemptionRequested']));
  });

  it('a dog reaching six months in August pays half: CHF 60, with a QR-bill and the confirmation', async () => {
    const { reference, accessToken } = await register({ dogBirthDate: `${year}-02-10` });
    const done = await waitForStatus(reference, accessToken, 'completed');
    expect(done.fee).toEqual({ amount: 60, currency: 'CHF', status: 'open' });
    expect(done.documents.map((d: { name: string }) => d.name).sort()).toEqual([`Hundeanmeldung-${reference}.pdf`, `Rechnung-${reference}.pdf`]);
    const invoicePdf = await call('GET', new URL(done.documents.find((d: { name: string }) => d.name.startsWith('Rechnung')).url).pathname, { token: accessToken });
    expect((invoicePdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    await waitFor('completion mail', async () => mailsMentioning(reference).find((m) => m.includes('CHF 60.00')));

    // the admin marks the invoice paid; a clerk may not; the citizen sees it
    const admin = await login('admin');
    const c = await call('GET', `/api/cases/${reference}`, { token: admin });
    const invoiceId = c.body.invoices[0].id;
    const clerk = await login('luzern.einwohnerdienste');
    expect((await call('POST', `/api/invoices/${invoiceId}/paid`, { token: clerk })).status).toBe(403);
    expect((await call('POST', `/api/invoices/${invoiceId}/paid`)).status).toBe(401);
    expect((await call('POST', '/api/invoices/00000000-0000-0000-0000-000000000000/paid', { token: admin })).status).toBe(404);
    const paid = await call('POST', `/api/invoices/${invoiceId}/paid`, { token: admin });
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ id: invoiceId, status: 'paid', amount: 60, caseReference: reference });
    const after = (await statusOf(reference, accessToken)).body;
    expect(after.fee).toEqual({ amount: 60, currency: 'CHF', status: 'paid' });
    expect(after.timeline.map((e: { label: string }) => e.label)).toContain('Rechnung über CHF 60.00 bezahlt');
  });

  it('a farm dog pays CHF 40; the demo endpoint marks it paid', async () => {
    const { reference, accessToken } = await register(
      { dogCategory: 'farm', dogName: 'Bäri' },
      applicant({ address: { street: 'Hof', houseNumber: '3', postalCode: '6020', town: 'Emmenbrücke' } }),
      1024,
    );
    const done = await waitForStatus(reference, accessToken, 'completed');
    expect(done.fee).toEqual({ amount: 40, currency: 'CHF', status: 'open' });
    const admin = await login('admin');
    const invoiceId = (await call('GET', `/api/cases/${reference}`, { token: admin })).body.invoices[0].id;
    expect((await call('POST', `/api/demo/invoices/${invoiceId}/paid`)).status).toBe(200);
    expect((await statusOf(reference, accessToken)).body.fee.status).toBe('paid');
  });

  it('an adult companion dog pays CHF 120', async () => {
    const { reference, accessToken } = await register({});
    expect((await waitForStatus(reference, accessToken, 'completed')).fee).toEqual({ amount: 120, currency: 'CHF', status: 'open' });
  });

  it('a guide dog exemption approved by the clerk: no tax, no invoice; after a question to the applicant', async () => {
    const { reference, accessToken } = await register({ dogCategory: 'guide', exemptionRequested: true, exemptionReason: 'Blindenführhund der Stiftung' }, applicant());
    const clerk = await login('luzern.einwohnerdienste');
    const task = await waitForNamedTask(clerk, reference, 'Steuerbefreiung prüfen');
    expect(task).toMatchObject({ candidateGroups: ['einwohnerdienste'], municipality: 1061 });
    expect(task.dueDate).toBeTruthy();
    // ask the applicant for the certificate of the guide dog school, then decide
    expect((await call('POST', `/api/tasks/${task.id}/claim`, { token: clerk })).status).toBe(200);
    expect((await call('POST', `/api/tasks/${task.id}/request-info`, { token: clerk, json: { message: 'Bitte reichen Sie den Ausweis der Blindenführhundeschule ein.' } })).status).toBe(200);
    const waiting = await waitForStatus(reference, accessToken, 'waiting_for_applicant');
    const requestId = waiting.openRequests[0].id;
    expect((await call('POST', `/api/v1/submissions/${reference}/replies`, { token: accessToken, json: { requestId, message: 'Ausweis Nr. 4711 liegt bei.' } })).status).toBe(202);
    const again = await waitFor('task back', async () => (await openTasksOf(clerk, reference)).find((t) => t.name === 'Steuerbefreiung prüfen' && t.id !== task.id));
    expect((await claimAndComplete(clerk, again.id, { exemptionApproved: true, comment: 'Ausweis geprüft' })).status).toBe(200);

    // four-eyes (BPMN property fourEyes=UserTask_BefreiungPruefen): the clerk who approved may not release
    const release = await waitForNamedTask(clerk, reference, 'Steuerbefreiung freigeben');
    const shown = await call('GET', `/api/tasks/${release.id}`, { token: clerk });
    expect(shown.body.fourEyes).toMatchObject({ earlierTask: 'Steuerbefreiung prüfen', blocked: true });
    expect(shown.body.fourEyes.message).toMatch(/^Vier-Augen-Prinzip: Lea Meier .* hat «Steuerbefreiung prüfen» erledigt/);
    const claimed = await call('POST', `/api/tasks/${release.id}/claim`, { token: clerk });
    expect(claimed.status).toBe(409);
    expect(claimed.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(claimed.body.detail).toMatch(/^Vier-Augen-Prinzip: Lea Meier .* hat «Steuerbefreiung prüfen» erledigt/);
    // nor can the team lead assign it to that clerk
    const lead = await login('luzern.teamlead');
    const assigned = await call('POST', `/api/tasks/${release.id}/assign`, { token: lead, json: { assignee: 'luzern.einwohnerdienste' } });
    expect(assigned.status).toBe(409);
    expect(assigned.body.detail).toMatch(/Vier-Augen-Prinzip/);
    // nor complete it when it reaches her anyway (an assignee written by another process, as a BPMN assignee would be)
    const rows = await openTaskRows();
    try {
      await rows.db('tasks').where({ id: release.id }).update({ assignee: 'luzern.einwohnerdienste' });
      const completed = await call('POST', `/api/tasks/${release.id}/complete`, { token: clerk, json: { variables: { exemptionReleased: true } } });
      expect(completed.status).toBe(409);
      expect(completed.body.detail).toMatch(/^Vier-Augen-Prinzip: Lea Meier .* hat «Steuerbefreiung prüfen» erledigt/);
      await rows.db('tasks').where({ id: release.id }).update({ assignee: null });
    } finally {
      await rows.close();
    }
    // another person (the team lead) releases it and the case goes on
    expect((await call('GET', `/api/tasks/${release.id}`, { token: lead })).body.fourEyes).toMatchObject({ blocked: false, message: null });
    expect((await claimAndComplete(lead, release.id, { exemptionReleased: true })).status).toBe(200);
    const done = await waitForStatus(reference, accessToken, 'completed');
    expect(done.fee).toBeNull();
    expect(done.documents.map((d: { name: string }) => d.name)).toEqual([`Hundeanmeldung-${reference}.pdf`]);
  });

  it('a release refused by the second person sends the exemption back to the first check', async () => {
    const { reference, accessToken } = await register({ dogCategory: 'service', exemptionRequested: true, exemptionReason: 'Polizeihund' }, applicant());
    const clerk = await login('luzern.einwohnerdienste');
    const lead = await login('luzern.teamlead');
    const task = await waitForNamedTask(clerk, reference, 'Steuerbefreiung prüfen');
    expect((await claimAndComplete(clerk, task.id, { exemptionApproved: true })).status).toBe(200);
    const release = await waitForNamedTask(lead, reference, 'Steuerbefreiung freigeben');
    // the reason is required when the release is refused
    expect((await claimAndComplete(lead, release.id, { exemptionReleased: false })).status).toBe(422);
    expect((await call('POST', `/api/tasks/${release.id}/complete`, { token: lead, json: { variables: { exemptionReleased: false, releaseComment: 'Einsatznachweis fehlt' } } })).status).toBe(200);
    const again = await waitFor('check again', async () => (await openTasksOf(clerk, reference)).find((t) => t.name === 'Steuerbefreiung prüfen' && t.id !== task.id));
    expect((await claimAndComplete(clerk, again.id, { exemptionApproved: false, decisionReason: 'Kein Einsatznachweis vorgelegt' })).status).toBe(200);
    expect((await waitForStatus(reference, accessToken, 'completed')).fee).toEqual({ amount: 120, currency: 'CHF', status: 'open' });
  });

  it('a refused exemption: the ordinary tax of CHF 120 is charged', async () => {
    const { reference, accessToken } = await register({ dogCategory: 'service', exemptionRequested: true }, applicant());
    const clerk = await login('luzern.einwohnerdienste');
    const task = await waitForNamedTask(clerk, reference, 'Steuerbefreiung prüfen');
    expect((await claimAndComplete(clerk, task.id, { exemptionApproved: false, decisionReason: 'Kein Einsatznachweis vorgelegt' })).status).toBe(200);
    const done = await waitForStatus(reference, accessToken, 'completed');
    expect(done.fee).toEqual({ amount: 120, currency: 'CHF', status: 'open' });
  });

  it('an invalid AHV number ends in a rejection letter (BPMN error INVALID_DATA)', async () => {
    const { reference, accessToken } = await register({ ahvNumber: '756.1234.5678.90' }, applicant());
    const done = await waitForStatus(reference, accessToken, 'rejected');
    expect(done.fee).toBeNull();
    expect(done.documents.map((d: { name: string }) => d.name)).toEqual([`Entscheid-${reference}.pdf`]);
  });
});
