/** anwohnerparkkarte on the real broker: automatic with main residence, company car checked, refused, outside Luzern. */
import { describe, expect, it } from 'vitest';
import { annaMuster, applicant, call, emmenApplicant, claimAndComplete, login, openTasksOf, submitTo, waitForNamedTask, waitForStatus } from './client';

async function apply(data: Record<string, unknown>, who = annaMuster(), municipality = 1061) {
  const res = await submitTo('anwohnerparkkarte', { municipality, applicant: who, data: { licencePlate: 'LU 123456', vehicleHolder: 'own', months: 3, ...data } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { reference: string; accessToken: string };
}

describe('anwohnerparkkarte', () => {
  // a period of its own: other files' cases give Anna permits from today (one car per person)
  const validFrom = `${new Date().getUTCFullYear() + 3}-01-01`;

  it('main residence in Luzern and own car: issued automatically, 3 months CHF 180', async () => {
    const { reference, accessToken } = await apply({ validFrom });
    const done = await waitForStatus(reference, accessToken, 'completed');
    expect(done.fee).toEqual({ amount: 180, currency: 'CHF', status: 'open' });
    expect(done.documents.map((d: { name: string }) => d.name).sort()).toEqual([`Anwohnerparkkarte-${reference}.pdf`, `Rechnung-${reference}.pdf`]);
  });

  it('a second permit for the same person and period is not issued automatically: a person checks it (Art. 3 Parkkartenreglement)', async () => {
    const { reference } = await apply({ validFrom, licencePlate: 'LU 654321' });
    const clerk = await login('luzern.parkkarten');
    const task = await waitForNamedTask(clerk, reference, 'Parkkarte prüfen');
    // the clerk sees why: the reasons of the check, with the reference of the first permit
    const detail = await call('GET', `/api/tasks/${task.id}`, { token: clerk });
    expect(detail.body.variables.reviewReasons).toMatch(/Bereits eine Parkkarte für ein eigenes Fahrzeug im selben Zeitraum \(\w+-\d{4}-\d+\): höchstens eine pro Person/);
  });

  it('a company car needs a human check; approved for a year: CHF 600', async () => {
    const { reference, accessToken } = await apply({ vehicleHolder: 'company', months: 12, companyProof: 'Bestätigung der Arbeitgeberin' });
    // decided by Stadt Luzern's parking office (Stadtraum und Veranstaltungen), not the Einwohnerdienste
    const clerk = await login('luzern.parkkarten');
    const task = await waitForNamedTask(clerk, reference, 'Parkkarte prüfen');
    expect(task).toMatchObject({ candidateGroups: ['parkkarten'], organisationId: 'stadt-luzern:stadtraum-veranstaltungen' });
    expect(await openTasksOf(await login('luzern.einwohnerdienste'), reference)).toEqual([]);
    expect((await claimAndComplete(clerk, task.id, { approved: true, comment: 'Nachweis liegt vor' })).status).toBe(200);
    expect((await waitForStatus(reference, accessToken, 'completed')).fee).toEqual({ amount: 600, currency: 'CHF', status: 'open' });
  });

  it('no main residence found: the clerk refuses, no fee', async () => {
    const { reference, accessToken } = await apply({}, applicant());
    const clerk = await login('luzern.parkkarten');
    const task = await waitForNamedTask(clerk, reference, 'Parkkarte prüfen');
    expect((await claimAndComplete(clerk, task.id, { approved: false, decisionReason: 'Kein Wohnsitz in Luzern' })).status).toBe(200);
    const done = await waitForStatus(reference, accessToken, 'rejected');
    expect(done.fee).toBeNull();
    expect(done.documents.map((d: { name: string }) => d.name)).toEqual([`Entscheid-${reference}.pdf`]);
  });

  it('outside the Stadt Luzern it is rejected (BPMN error NOT_OFFERED)', async () => {
    const { reference, accessToken } = await apply({}, emmenApplicant(), 1024);
    expect((await waitForStatus(reference, accessToken, 'rejected')).fee).toBeNull();
  });
});
