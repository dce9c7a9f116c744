/**
 * Issue 16 on the real broker: due dates in Lucerne working days, the clock paused by a Rückfrage,
 * routing by postcode and locality, the responsible offices, and the rule fixes.
 */
import { describe, expect, it } from 'vitest';
import {
  annaMuster,
  applicant,
  call,
  caseCount,
  documentText,
  dogData,
  emmenApplicant,
  uniqueChip,
  guideDogWaitingForAnswer,
  login,
  mailsMentioning,
  openTasksOf,
  submitTo,
  waitFor,
  waitForStatus,
} from './client';
import { dueAfterWorkingDays, isWorkingDay } from '../../model/working-days';
import { todayIso } from '../../model/dates';

describe('due dates in working days', () => {
  it('a task falls due after its budget in Lucerne working days, and the task after the answer keeps that date', async () => {
    const { reference, accessToken, clerk, task, requestId } = await guideDogWaitingForAnswer();
    // «Steuerbefreiung prüfen» has task.workingDays = 10
    const expected = dueAfterWorkingDays(new Date(task.createdAt), 10).toISOString();
    expect(task.dueDate).toBe(expected);
    expect(isWorkingDay(todayIso(new Date(task.dueDate)))).toBe(true);

    const answered = await call('POST', `/api/v1/submissions/${reference}/replies`, { token: accessToken, json: { requestId, message: 'Ausweis liegt bei.' } });
    expect(answered.status).toBe(202);
    await waitForStatus(reference, accessToken, 'in_progress');
    const again = await waitFor('the task after the answer', async () => (await openTasksOf(clerk, reference)).find((t) => t.id !== task.id && t.name === 'Steuerbefreiung prüfen'));
    // the clock counts from the first task and only moves on by whole working days waited (none
    // today): a restarted clock would give a later instant
    expect(again.dueDate).toBe(expected);
  });
});

/** The 422 errors of a municipality the address (or place) cannot lie in: the message names the place, the candidates follow. */
function refusedMunicipality(place: string, candidates: Array<[bfsNumber: number, name: string]>) {
  return [{ path: 'municipality', message: expect.stringContaining(place), candidates: candidates.map(([bfsNumber, name]) => ({ bfsNumber, name })) }];
}

describe('routing by postcode and locality', () => {
  const at = (postalCode: string, town: string) => applicant({ address: { street: 'Teststrasse', houseNumber: '1', postalCode, town } });
  const register = (municipality: number, who: ReturnType<typeof applicant>) => submitTo('hundeanmeldung', { municipality, applicant: who, data: dogData() });
  const candidates = async (postalCode: string, locality: string) =>
    (await call('GET', `/api/v1/municipalities?postalCode=${postalCode}&locality=${encodeURIComponent(locality)}`)).body.map((m: { bfsNumber: number }) => m.bfsNumber);

  it('the portal asks: 6005 Luzern can be Luzern, Kriens or Horw (Luzern first); 6005 St. Niklausen only Horw; 6003 only Luzern', async () => {
    expect(await candidates('6005', 'Luzern')).toEqual([1061, 1059, 1058]);
    expect(await candidates('6005', 'St. Niklausen')).toEqual([1058]);
    expect(await candidates('6003', 'Luzern')).toEqual([1061]);
    expect(await candidates('6280', 'Urswil')).toEqual([1031, 1039]);
    expect(await candidates('8001', 'Zürich')).toEqual([]);
    const bad = await call('GET', '/api/v1/municipalities?postalCode=60');
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].path).toBe('postalCode');
  });

  it('6005 Luzern with Luzern (or Kriens) chosen is accepted and stays with it; Emmen is refused with the candidates, nothing stored', async () => {
    const luzern = await register(1061, at('6005', 'Luzern'));
    expect(luzern.status, JSON.stringify(luzern.body)).toBe(201);
    const admin = await login('admin');
    expect((await call('GET', `/api/cases/${luzern.body.reference}`, { token: admin })).body.municipality).toBe(1061);
    expect((await register(1059, at('6005', 'Luzern'))).status).toBe(201);

    const before = await caseCount();
    const wrong = await register(1024, at('6005', 'Luzern'));
    expect(wrong.status).toBe(422);
    expect(wrong.headers.get('content-type')).toContain('application/problem+json');
    expect(wrong.body.errors).toEqual(
      refusedMunicipality('6005 Luzern', [
        [1061, 'Luzern'],
        [1059, 'Kriens'],
        [1058, 'Horw'],
      ]),
    );
    expect(await caseCount()).toBe(before);
  });

  it('a dog kept away from the owner’s home is registered and taxed where it is kept (Hundegesetz § 5), and the letter names the place', async () => {
    const kept = { keptElsewhere: true, keepingPlace: { street: 'Hofweg', houseNumber: '4', postalCode: '6032', town: 'Emmen' } };
    const owner = at('6003', 'Luzern');
    // the owner's municipality is not the keeping one: refused with the keeping place's candidates
    const atHome = await submitTo('hundeanmeldung', { municipality: 1061, applicant: owner, data: dogData(kept) });
    expect(atHome.status).toBe(422);
    expect(atHome.body.errors).toEqual(
      refusedMunicipality('Der angegebene Ort (6032 Emmen)', [
        [1024, 'Emmen'],
        [1054, 'Ebikon'],
      ]),
    );
    // a keeping place outside the canton: the field of the place is named
    const outside = await submitTo('hundeanmeldung', {
      municipality: 1024,
      applicant: owner,
      data: dogData({ keptElsewhere: true, keepingPlace: { street: 'Hofweg', postalCode: '8001', town: 'Zürich' } }),
    });
    expect(outside.body.errors).toEqual([{ path: 'data.keepingPlace.postalCode', message: expect.stringContaining('nicht im Kanton Luzern') }]);
    const emmen = await submitTo('hundeanmeldung', { municipality: 1024, applicant: owner, data: dogData(kept) });
    expect(emmen.status, JSON.stringify(emmen.body)).toBe(201);
    const done = await waitForStatus(emmen.body.reference, emmen.body.accessToken, 'completed');
    const confirmation = done.documents.find((d: { name: string }) => d.name.startsWith('Hundeanmeldung-'));
    const text = await documentText(confirmation, emmen.body.accessToken);
    expect(text).toContain('Gemeinde Emmen');
    expect(text).toMatch(/Haltungsort ?Hofweg 4, 6032 Emmen/);
  });

  it('other shared postcodes: 6020 Emmenbrücke may not be routed to Kriens; 6162 Finsterwald goes to Entlebuch or Hasle', async () => {
    const wrong = await register(1059, at('6020', 'Emmenbrücke'));
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors[0].candidates.map((c: { bfsNumber: number }) => c.bfsNumber)).toEqual([1024, 1054, 1061]);
    expect((await register(1005, at('6162', 'Finsterwald b. Entlebuch'))).status).toBe(201);
    expect((await register(1001, at('6162', 'Finsterwald b. Entlebuch'))).status).toBe(422);
  });

  it('a residence-bound service refuses an address outside the canton', async () => {
    const res = await register(1061, at('8001', 'Zürich'));
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain('applicant.address.postalCode');
  });
});

describe('the responsible office', () => {
  it('a debt-register extract in Schüpfheim goes to the regional Betreibungsamt Entlebuch, not to Luzern', async () => {
    const res = await submitTo('betreibungsregisterauszug', {
      municipality: 1008,
      applicant: applicant({ address: { street: 'Hauptstrasse', houseNumber: '1', postalCode: '6170', town: 'Schüpfheim' } }),
      data: { requestType: 'third_party', subjectFirstName: 'Max', subjectLastName: 'Schuldner', subjectDateOfBirth: '1970-01-01', interestReason: 'Vermietung' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const entlebuch = await login('entlebuch.betreibungsamt');
    const task = await waitFor('task in Entlebuch', async () => (await openTasksOf(entlebuch, res.body.reference))[0]);
    expect(task).toMatchObject({ name: 'Auszug prüfen', organisationId: 'betreibungsamt:region-entlebuch' });
    expect(await openTasksOf(await login('betreibungsamt.sachbearbeitung'), res.body.reference)).toEqual([]);
  });
});

describe('rule fixes on the real broker', () => {
  it('a companion dog asking for the exemption goes to a person instead of being charged CHF 120', async () => {
    const res = await submitTo('hundeanmeldung', { municipality: 1061, applicant: applicant(), data: dogData({ exemptionRequested: true, exemptionReason: 'Therapiehund' }) });
    expect(res.status).toBe(201);
    const clerk = await login('luzern.einwohnerdienste');
    const task = await waitFor('exemption task', async () => (await openTasksOf(clerk, res.body.reference)).find((t) => t.name === 'Steuerbefreiung prüfen'));
    expect(task).toBeTruthy();
    expect((await call('GET', `/api/v1/submissions/${res.body.reference}`, { token: res.body.accessToken })).body.fee).toBeNull();
  });

  it('the same chip registered twice: the second registration is refused', async () => {
    const chipNumber = uniqueChip();
    const first = await submitTo('hundeanmeldung', { municipality: 1061, applicant: applicant(), data: dogData({ chipNumber }) });
    await waitForStatus(first.body.reference, first.body.accessToken, 'completed');
    const second = await submitTo('hundeanmeldung', { municipality: 1061, applicant: applicant(), data: dogData({ chipNumber }) });
    expect(second.status).toBe(201);
    const done = await waitForStatus(second.body.reference, second.body.accessToken, 'rejected');
    expect(done.fee).toBeNull();
    // the letter says why: the chip, not a generic "invalid data"
    expect(await documentText(done.documents[0], second.body.accessToken)).toContain('Ein Hund mit dieser Mikrochip-Nummer ist bereits angemeldet.');
  });

  it('a dog born in the future is refused', async () => {
    const res = await submitTo('hundeanmeldung', { municipality: 1061, applicant: applicant(), data: dogData({ dogBirthDate: `${new Date().getFullYear() + 1}-01-15` }) });
    expect(res.status).toBe(201);
    const done = await waitForStatus(res.body.reference, res.body.accessToken, 'rejected');
    expect(done.fee).toBeNull();
  });

  it('a parking permit for a car with a Zürich plate is checked by the parking office, not issued automatically', async () => {
    const res = await submitTo('anwohnerparkkarte', { municipality: 1061, applicant: annaMuster(), data: { licencePlate: 'ZH 123456', vehicleHolder: 'own', months: 11 } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const office = await login('luzern.parkkarten');
    const task = await waitFor('parking check', async () => (await openTasksOf(office, res.body.reference))[0]);
    expect(task.name).toBe('Parkkarte prüfen');
    const detail = await call('GET', `/api/tasks/${task.id}`, { token: office });
    expect(detail.body.variables).toMatchObject({ needsReview: true, feeCents: 66_000 });
  });

  it('a tax extension to a past date is declined with a letter, not granted', async () => {
    const year = new Date().getFullYear();
    const res = await submitTo('fristerstreckung-steuern', {
      municipality: 1024,
      applicant: emmenApplicant(),
      data: { ahvNumber: '756.9217.0769.85', taxYear: year - 1, taxpayerType: 'employed', represented: false, requestedUntil: `${year - 1}-12-31` },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const done = await waitForStatus(res.body.reference, res.body.accessToken, 'rejected');
    expect(done.documents.map((d: { name: string }) => d.name)).toEqual([`Entscheid-${res.body.reference}.pdf`]);
    // the letter and the mail give the check's own reason, not the path's general one (the AHV number)
    const text = await documentText(done.documents[0], res.body.accessToken);
    expect(text).toMatch(/Begründung .*(Vergangenheit|nicht mehr)/);
    expect(text).not.toContain('AHV-Nummer');
    expect(text).toContain('Rechtsmittelbelehrung');
    const mail = await waitFor('decline mail', async () => mailsMentioning(res.body.reference).find((m) => m.includes('Entscheid:')));
    expect(mail.replace(/\s+/g, ' ')).toMatch(/Begründung: .*(Vergangenheit|nicht mehr)/);
  });
});
