/** umzug on the real broker: a move between two municipalities with a check task in each inbox, move-out, move-in, move within, and a wrong address. */
import { describe, expect, it } from 'vitest';
import { activateElement, applicant, call, mailsMentioning, claimAndComplete, login, moveData, openTasksOf, submit, submitTo, waitFor, waitForNamedTask, waitForStatus } from './client';

async function report(person: ReturnType<typeof applicant>, municipality: number, data: Record<string, unknown>) {
  const res = await submitTo('umzug', { municipality, applicant: person, data: moveData(data) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { reference: string; accessToken: string };
}

describe('umzug', () => {
  it('Luzern → Emmen: Luzern checks the move-out, Emmen the move-in, each in its own inbox; the register follows', async () => {
    const person = applicant();
    const { reference, accessToken } = await report(person, 1061, {});
    const luzern = await login('luzern.einwohnerdienste');
    const emmen = await login('emmen.einwohnerdienste');
    const moveOut = await waitForNamedTask(luzern, reference, 'Wegzug prüfen');
    const moveIn = await waitForNamedTask(emmen, reference, 'Zuzug prüfen');
    expect(moveOut).toMatchObject({ municipality: 1061, candidateGroups: ['einwohnerdienste'] });
    expect(moveIn).toMatchObject({ municipality: 1024, candidateGroups: ['einwohnerdienste'] });
    // each sees only its own task
    expect((await openTasksOf(luzern, reference)).map((t) => t.name)).toEqual(['Wegzug prüfen']);
    expect((await openTasksOf(emmen, reference)).map((t) => t.name)).toEqual(['Zuzug prüfen']);
    expect((await call('GET', `/api/tasks/${moveIn.id}`, { token: luzern })).status).toBe(404);
    expect((await call('GET', `/api/tasks/${moveOut.id}`, { token: emmen })).status).toBe(404);
    // a move-out cannot be rejected: its form has no decision field
    const detail = await call('GET', `/api/tasks/${moveOut.id}`, { token: luzern });
    expect(detail.body.form.components.map((c: { key?: string }) => c.key).filter(Boolean)).toEqual(['comment']);

    // past the target time the move-in escalates to Emmen's team lead (timer path, started directly)
    await activateElement(reference, 'Task_EskalationZuzugPruefen');
    const escalation = await waitFor('escalation mail', async () => mailsMentioning(reference).find((m) => m.includes('emmen.teamlead@demo.lu.ch')));
    expect(escalation).toContain('Zuzug prüfen');
    expect((await openTasksOf(emmen, reference)).map((t) => t.id)).toEqual([moveIn.id]);

    // Emmen asks for the rental contract first; the move-out is released meanwhile
    await call('POST', `/api/tasks/${moveIn.id}/claim`, { token: emmen });
    expect((await call('POST', `/api/tasks/${moveIn.id}/request-info`, { token: emmen, json: { message: 'Bitte senden Sie den Mietvertrag.' } })).status).toBe(200);
    const waiting = await waitForStatus(reference, accessToken, 'waiting_for_applicant');
    expect((await claimAndComplete(luzern, moveOut.id, { comment: 'Keine offenen Gebühren' })).status).toBe(200);
    expect((await call('POST', `/api/v1/submissions/${reference}/replies`, { token: accessToken, json: { requestId: waiting.openRequests[0].id, message: 'Mietvertrag beigelegt' } })).status).toBe(
      202,
    );
    const again = await waitFor('move-in task back', async () => (await openTasksOf(emmen, reference)).find((t) => t.name === 'Zuzug prüfen' && t.id !== moveIn.id));
    expect(again.municipality).toBe(1024);
    expect((await claimAndComplete(emmen, again.id, { comment: 'Mietvertrag geprüft' })).status).toBe(200);

    const done = await waitForStatus(reference, accessToken, 'completed');
    expect(done.fee).toBeNull();
    expect(done.documents.map((d: { name: string }) => d.name)).toEqual([`Umzugsbestaetigung-${reference}.pdf`]);

    // the register moved the person to Emmen: a residence certificate there is now automatic
    const cert = await submitTo('wohnsitzbestaetigung', {
      municipality: 1024,
      applicant: { ...person, address: { street: 'Gerliswilstrasse', houseNumber: '71', postalCode: '6020', town: 'Emmenbrücke' } },
      data: { copies: 1 },
    });
    expect((await waitForStatus(cert.body.reference, cert.body.accessToken, 'completed')).documents).toHaveLength(1);
  });

  it('a move-out abroad: only Luzern checks, and it is never rejected', async () => {
    const { reference, accessToken } = await report(applicant(), 1061, {
      moveType: 'wegzug',
      newStreet: 'Unter den Linden',
      newHouseNumber: '5',
      newPostalCode: '10117',
      newTown: 'Berlin',
      newCountry: 'DE',
    });
    const luzern = await login('luzern.einwohnerdienste');
    const task = await waitForNamedTask(luzern, reference, 'Wegzug prüfen');
    const emmen = await login('emmen.einwohnerdienste');
    expect(await openTasksOf(emmen, reference)).toEqual([]);
    expect((await claimAndComplete(luzern, task.id, {})).status).toBe(200);
    await waitForStatus(reference, accessToken, 'completed');
  });

  it('a move-in from another canton is checked by the municipality; a later move within it is automatic', async () => {
    const person = applicant({ address: { street: 'Bahnhofstrasse', houseNumber: '1', postalCode: '8001', town: 'Zürich' } });
    const first = await report(person, 1061, { moveType: 'zuzug', newStreet: 'Pilatusstrasse', newHouseNumber: '30', newPostalCode: '6003', newTown: 'Luzern' });
    const luzern = await login('luzern.einwohnerdienste');
    const task = await waitForNamedTask(luzern, first.reference, 'Zuzug prüfen');
    expect((await claimAndComplete(luzern, task.id, { comment: 'Mietvertrag vorhanden' })).status).toBe(200);
    await waitForStatus(first.reference, first.accessToken, 'completed');

    const within = await report({ ...person, address: { street: 'Pilatusstrasse', houseNumber: '30', postalCode: '6003', town: 'Luzern' } }, 1061, {
      newStreet: 'Haldenstrasse',
      newHouseNumber: '4',
      newPostalCode: '6006',
      newTown: 'Luzern',
    });
    const done = await waitForStatus(within.reference, within.accessToken, 'completed');
    expect(done.documents).toHaveLength(1);
    expect(await openTasksOf(luzern, within.reference)).toEqual([]);
    const admin = await login('admin');
    const c = await call('GET', `/api/cases/${within.reference}`, { token: admin });
    expect(c.body.tasks ?? []).toEqual([]);
    // the register has the new address: the certificate states it (asked from there: the
    // certificate is residence-bound, the old Zürich address would be refused)
    const cert = await submit({ municipality: 1061, applicant: { ...person, address: { street: 'Haldenstrasse', houseNumber: '4', postalCode: '6006', town: 'Luzern' } }, data: { copies: 1 } });
    expect((await waitForStatus(cert.body.reference, cert.body.accessToken, 'completed')).documents).toHaveLength(1);
  });

  it('a move-in with an address outside the chosen municipality is rejected (BPMN error ADDRESS_MISMATCH)', async () => {
    // 6010 Kriens lies wholly in Kriens (6020 Emmenbrücke would not do: 0.9 % of its addresses are in Luzern)
    const { reference, accessToken } = await report(applicant(), 1061, { moveType: 'zuzug', newStreet: 'Luzernerstrasse', newHouseNumber: '1', newPostalCode: '6010', newTown: 'Kriens' });
    const done = await waitForStatus(reference, accessToken, 'rejected');
    expect(done.documents.map((d: { name: string }) => d.name)).toEqual([`Entscheid-${reference}.pdf`]);
  });
});
