/**
 * The resident register rules of umzug on the real broker and database (issue 16 item 3; RHG SR
 * 431.02 Art. 6 lit. q–s): a future move waits for its date (timer), a past one registers at
 * once, each family member is a person of the register, a move-out keeps the person with date
 * and destination, and a move from abroad keeps the eCH-0010 foreign previous address.
 */
import { describe, expect, inject, it } from 'vitest';
import { addDays, todayIso } from '../../model/dates';
import { applicant, call, claimAndComplete, login, moveData, statusOf, submit, submitTo, waitFor, waitForNamedTask, waitForStatus } from './client';
import { openTestDatabase } from './server-process';

const luzernAddress = { street: 'Pilatusstrasse', houseNumber: '30', postalCode: '6003', town: 'Luzern' };
const toLuzern = { moveType: 'zuzug', newStreet: 'Pilatusstrasse', newHouseNumber: '30', newPostalCode: '6003', newTown: 'Luzern' };

async function report(person: ReturnType<typeof applicant>, data: Record<string, unknown>) {
  const res = await submitTo('umzug', { municipality: 1061, applicant: person, data: moveData({ householdMembers: [], ...data }) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { reference: string; accessToken: string };
}

async function registerRows(lastName: string) {
  const db = await openTestDatabase(inject('dataDir'));
  try {
    return await db('residents')
      .where({ last_name: lastName })
      .orderBy('id')
      .select('bfs_number', 'first_name', 'date_of_birth', 'street', 'moved_in_on', 'moved_out_on', 'moved_out_to', 'arrived_from');
  } finally {
    await db.destroy();
  }
}

describe('umzug: the resident register', () => {
  it('a past move-in from abroad registers each family member as a person with the foreign previous address; a move-out keeps them with date and destination', async () => {
    const person = applicant({ address: luzernAddress });
    const yesterday = addDays(todayIso(new Date()), -1);
    const members = [
      { firstName: 'Lia', lastName: person.lastName, dateOfBirth: '2018-04-01' },
      { firstName: 'Noah', lastName: person.lastName, dateOfBirth: '2021-02-03' },
    ];
    const moveIn = await report(person, {
      ...toLuzern,
      movingDate: yesterday,
      previousCountry: 'DE',
      previousStreet: 'Unter den Linden',
      previousHouseNumber: '5',
      previousPostalCode: '10117',
      previousTown: 'Berlin',
      householdMembers: members,
    });
    const luzern = await login('luzern.einwohnerdienste');
    expect((await claimAndComplete(luzern, (await waitForNamedTask(luzern, moveIn.reference, 'Zuzug prüfen')).id, { comment: 'Pass geprüft' })).status).toBe(200);
    const done = await waitForStatus(moveIn.reference, moveIn.accessToken, 'completed');
    expect(done.timeline.map((e: { label: string }) => e.label).join('|')).not.toContain('geplant');

    const foreign = { country: 'DE', town: 'Berlin', postalCode: '10117', street: 'Unter den Linden', houseNumber: '5' };
    const rows = await registerRows(person.lastName);
    expect(rows.map((r) => [r.first_name, r.date_of_birth, r.bfs_number, r.street, r.moved_in_on, r.moved_out_on])).toEqual([
      ['Testperson', '1990-05-17', 1061, 'Pilatusstrasse', yesterday, null],
      ['Lia', '2018-04-01', 1061, 'Pilatusstrasse', yesterday, null],
      ['Noah', '2021-02-03', 1061, 'Pilatusstrasse', yesterday, null],
    ]);
    for (const r of rows) expect(JSON.parse(r.arrived_from)).toEqual(foreign);

    // the family leaves the canton today: the persons stay in Luzern's register with date and destination
    const today = todayIso(new Date());
    const moveOut = await report(person, {
      moveType: 'wegzug',
      movingDate: today,
      newStreet: 'Bahnhofstrasse',
      newHouseNumber: '1',
      newPostalCode: '8001',
      newTown: 'Zürich',
      householdMembers: members,
    });
    expect((await claimAndComplete(luzern, (await waitForNamedTask(luzern, moveOut.reference, 'Wegzug prüfen')).id, {})).status).toBe(200);
    await waitForStatus(moveOut.reference, moveOut.accessToken, 'completed');
    const after = await registerRows(person.lastName);
    expect(after).toHaveLength(3);
    expect(after.map((r) => [r.first_name, r.moved_out_on, r.moved_out_to])).toEqual(['Testperson', 'Lia', 'Noah'].map((n) => [n, today, 'Bahnhofstrasse 1, 8001 Zürich (CH)']));

    // moved out is not resident: a residence certificate for Luzern is no longer automatic
    const cert = await submit({ municipality: 1061, applicant: person, data: { copies: 1 } });
    expect(cert.status, JSON.stringify(cert.body)).toBe(201);
    await waitForNamedTask(luzern, cert.body.reference, 'Wohnsitz prüfen');
    expect((await statusOf(cert.body.reference, cert.body.accessToken)).body.status).not.toBe('completed');
  });

  it('a future move waits for its date (register unchanged, timeline says scheduled) and is registered when the timer fires', async () => {
    const person = applicant({ address: { street: 'Bahnhofstrasse', houseNumber: '1', postalCode: '8001', town: 'Zürich' } });
    const tomorrow = addDays(todayIso(new Date()), 1);
    const { reference, accessToken } = await report(person, { ...toLuzern, movingDate: tomorrow, householdMembers: [{ firstName: 'Mia', lastName: person.lastName, dateOfBirth: '2015-07-07' }] });
    const luzern = await login('luzern.einwohnerdienste');
    expect((await claimAndComplete(luzern, (await waitForNamedTask(luzern, reference, 'Zuzug prüfen')).id, {})).status).toBe(200);

    const [d, m, y] = [tomorrow.slice(8, 10), tomorrow.slice(5, 7), tomorrow.slice(0, 4)];
    const scheduled = `Registeränderung geplant auf ${d}.${m}.${y} (Umzugsdatum)`;
    await waitFor('scheduled in the timeline', async () => {
      const s = (await statusOf(reference, accessToken)).body;
      return s.timeline.some((e: { label: string }) => e.label === scheduled) ? s : undefined;
    });
    await new Promise((r) => setTimeout(r, 2000));
    const waiting = (await statusOf(reference, accessToken)).body;
    expect(waiting.status).toBe('in_progress');
    expect(waiting.documents).toEqual([]);
    expect(await registerRows(person.lastName), 'the register is unchanged before the moving date').toEqual([]);

    // the timer at 00:00 of the moving date, brought forward: a second token at the timer with registerAt in 2 s
    const { ZBClient } = await import('zeebe-node');
    const admin = await login('admin');
    const c = await call('GET', `/api/cases/${reference}`, { token: admin });
    const zbc = new ZBClient(inject('zeebeAddress'), { useTLS: false, loglevel: 'NONE' } as any);
    try {
      const soon = new Date(Date.now() + 2000).toISOString();
      await zbc.modifyProcessInstance({
        processInstanceKey: c.body.processInstanceKey,
        activateInstructions: [
          { elementId: 'Event_UmzugsdatumErreicht', ancestorElementInstanceKey: '-1', variableInstructions: [{ variables: { registerAt: soon }, scopeId: 'Event_UmzugsdatumErreicht' }] },
        ],
      });
    } finally {
      await zbc.close();
    }
    await waitForStatus(reference, accessToken, 'completed');
    const rows = await registerRows(person.lastName);
    expect(rows.map((r) => [r.first_name, r.bfs_number, r.moved_in_on, r.moved_out_on, r.arrived_from])).toEqual([
      ['Testperson', 1061, tomorrow, null, '8001 Zürich (CH)'],
      ['Mia', 1061, tomorrow, null, '8001 Zürich (CH)'],
    ]);
  });

  it('refuses a family member without birth date and a malformed country code (field paths)', async () => {
    const res = await submitTo('umzug', {
      municipality: 1061,
      applicant: applicant({ address: luzernAddress }),
      data: moveData({ ...toLuzern, previousCountry: 'Deutschland', previousTown: 'Berlin', householdMembers: [{ firstName: 'Lia', lastName: 'X' }] }),
    });
    expect(res.status).toBe(422);
    const paths = (res.body.errors as Array<{ path: string }>).map((e) => e.path).sort();
    expect(paths).toEqual(['data.householdMembers[0].dateOfBirth', 'data.previousCountry']);
  });
});
