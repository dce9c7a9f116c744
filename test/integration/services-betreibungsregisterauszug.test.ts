/** betreibungsregisterauszug on the real broker: own extract automatic (CHF 18), third-party requests checked by the Betreibungsamt. */
import { describe, expect, it } from 'vitest';
import { annaMuster, applicant, claimAndComplete, login, openTasksOf, submitTo, waitForNamedTask, waitForStatus } from './client';

async function order(data: Record<string, unknown>, who = annaMuster()) {
  const res = await submitTo('betreibungsregisterauszug', { municipality: 1061, applicant: who, data });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { reference: string; accessToken: string };
}
const thirdParty = { requestType: 'third_party', subjectFirstName: 'Max', subjectLastName: 'Schuldner', subjectDateOfBirth: '1970-01-01', interestReason: 'Vermietung einer Wohnung' };

describe('betreibungsregisterauszug', () => {
  it('own extract with the identity confirmed by the register: automatic, CHF 18', async () => {
    const { reference, accessToken } = await order({ requestType: 'own' });
    const done = await waitForStatus(reference, accessToken, 'completed');
    expect(done.fee).toEqual({ amount: 18, currency: 'CHF', status: 'open' });
    expect(done.documents.map((d: { name: string }) => d.name).sort()).toEqual([`Betreibungsregisterauszug-${reference}.pdf`, `Rechnung-${reference}.pdf`]);
  });

  it('a third party request refused by the Betreibungsamt', async () => {
    const { reference, accessToken } = await order(thirdParty, applicant());
    const office = await login('betreibungsamt.sachbearbeitung');
    const task = await waitForNamedTask(office, reference, 'Auszug prüfen');
    expect(task).toMatchObject({ candidateGroups: ['betreibungsamt'], organisationId: 'betreibungsamt:1061' });
    expect(await openTasksOf(await login('luzern.einwohnerdienste'), reference)).toEqual([]);
    expect((await claimAndComplete(office, task.id, { approved: false, decisionReason: 'Kein Interesse glaubhaft gemacht' })).status).toBe(200);
    const done = await waitForStatus(reference, accessToken, 'rejected');
    expect(done.fee).toBeNull();
    expect(done.documents.map((d: { name: string }) => d.name)).toEqual([`Entscheid-${reference}.pdf`]);
  });

  it('a third party request approved: extract and CHF 18', async () => {
    const { reference, accessToken } = await order(thirdParty, applicant());
    const office = await login('betreibungsamt.sachbearbeitung');
    const task = await waitForNamedTask(office, reference, 'Auszug prüfen');
    expect((await claimAndComplete(office, task.id, { approved: true, comment: 'Mietvertragsentwurf liegt vor' })).status).toBe(200);
    expect((await waitForStatus(reference, accessToken, 'completed')).fee).toEqual({ amount: 18, currency: 'CHF', status: 'open' });
  });

  it('an own extract whose identity is not in the register goes to a person', async () => {
    const { reference, accessToken } = await order({ requestType: 'own' }, applicant());
    const office = await login('betreibungsamt.sachbearbeitung');
    const task = await waitForNamedTask(office, reference, 'Auszug prüfen');
    expect((await claimAndComplete(office, task.id, { approved: true, comment: 'Ausweiskopie geprüft' })).status).toBe(200);
    await waitForStatus(reference, accessToken, 'completed');
  });

  it('a third party request without the person concerned is rejected (BPMN error INVALID_REQUEST)', async () => {
    const { reference, accessToken } = await order({ requestType: 'third_party' }, applicant());
    expect((await waitForStatus(reference, accessToken, 'rejected')).fee).toBeNull();
  });
});
