/**
 * adressauskunft and datensperre on the real broker, the real provider and the real database
 * (SQLite, and PostgreSQL with TEST_DB=postgres): an address inquiry about a resident gives name
 * and address only, a resident with a data lock is refused with the reason, a lock set through
 * datensperre by the verified person turns a later inquiry into a refusal, anonymous requests
 * answer 401, bad input 422 problem+json with field paths.
 */
import { describe, expect, it } from 'vitest';
import { applicant, call, claimAndComplete, documentText, login, mailsMentioning, submitTo, waitFor, waitForNamedTask, waitForStatus } from './client';
import { signInCitizen } from './oidc';

const INQUIRY = '/api/v1/services/adressauskunft/submissions';
const LOCK = '/api/v1/services/datensperre/submissions';
const interest = { interestReason: 'Rückgabe der Mietkaution aus dem früheren Mietverhältnis' };

async function inquire(subject: Record<string, unknown>, municipality = 1061) {
  const res = await submitTo('adressauskunft', { municipality, applicant: applicant(), data: { ...interest, ...subject } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { reference: string; accessToken: string };
}

describe('adressauskunft', () => {
  it('about a resident without a data lock: name and current address, nothing else, and the municipality demo fee', async () => {
    const { reference, accessToken } = await inquire({ identifiedBy: 'birthDate', subjectFirstName: 'Daniel', subjectLastName: 'Steiner', subjectDateOfBirth: '1990-01-30' });
    const done = await waitForStatus(reference, accessToken, 'completed');
    // Luzern's demo fee for the address inquiry (service_fees), not the catalogue default
    expect(done.fee).toEqual({ amount: 15, currency: 'CHF', status: 'open' });
    expect(done.documents.map((d: { name: string }) => d.name)).toEqual([`Adressauskunft-${reference}.pdf`]);
    const text = await documentText(done.documents[0], accessToken);
    expect(text).toContain('Daniel Steiner');
    expect(text).toContain('Baselstrasse 17, 6003 Luzern');
    expect(text).not.toContain('30.01.1990');
    expect(text).not.toContain('2018');
  });

  it('about beat.zimmermann, who has a data lock: refused with the reason, the address never shown', async () => {
    const { reference, accessToken } = await inquire({ identifiedBy: 'birthDate', subjectFirstName: 'Beat', subjectLastName: 'Zimmermann', subjectDateOfBirth: '1972-11-03' });
    const done = await waitForStatus(reference, accessToken, 'rejected');
    expect(done.fee).toBeNull();
    expect(done.documents.map((d: { name: string }) => d.name)).toEqual([`Entscheid-${reference}.pdf`]);
    const text = await documentText(done.documents[0], accessToken);
    expect(text).toContain('Datensperre');
    expect(text).not.toContain('Haldenstrasse');
    const mail = await waitFor('rejection mail', async () => mailsMentioning(reference).find((m) => m.includes('Begründung')));
    expect(mail.replace(/\s+/g, ' ')).toContain('Datensperre');
    expect(mail).not.toContain('Haldenstrasse');
  });

  it('a person not found in the register goes to the Einwohnerdienste, who release the address they found', async () => {
    const { reference, accessToken } = await inquire({ identifiedBy: 'lastAddress', subjectFirstName: 'Daniela', subjectLastName: 'Steinmann', subjectLastKnownStreet: 'Baselstrasse' });
    const clerk = await login('luzern.einwohnerdienste');
    const task = await waitForNamedTask(clerk, reference, 'Adressauskunft prüfen');
    expect(task).toMatchObject({ candidateGroups: ['einwohnerdienste'], organisationId: 'municipality:1061' });
    // the task form's rules: approving needs the released address
    expect((await claimAndComplete(clerk, task.id, { approved: true })).status).toBe(422);
    const completed = await call('POST', `/api/tasks/${task.id}/complete`, {
      token: clerk,
      json: { variables: { approved: true, releasedStreet: 'Museggstrasse', releasedHouseNumber: '3', releasedPostalCode: '6004', releasedTown: 'Luzern' } },
    });
    expect(completed.status, JSON.stringify(completed.body)).toBe(200);
    const done = await waitForStatus(reference, accessToken, 'completed');
    expect(await documentText(done.documents[0], accessToken)).toContain('Museggstrasse 3, 6004 Luzern');
  });

  it('anonymous: 401 problem+json (identity level login)', async () => {
    expect((await call('GET', '/api/v1/services/adressauskunft')).body).toMatchObject({ identity: 'login', category: 'wohnen' });
    const res = await call('POST', INQUIRY, {
      json: { municipality: 1061, applicant: applicant(), data: { ...interest, identifiedBy: 'birthDate', subjectFirstName: 'Daniel', subjectLastName: 'Steiner', subjectDateOfBirth: '1990-01-30' } },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('bad input: 422 problem+json naming the fields (a hidden birth date does not stand in for the street)', async () => {
    const max = await signInCitizen('max.neu');
    const contact = { email: 'max@example.ch', address: { street: 'Musterweg', houseNumber: '1', postalCode: '6003', town: 'Luzern' } };
    const res = await max.call('POST', INQUIRY, {
      json: { municipality: 1061, applicant: contact, data: { identifiedBy: 'lastAddress', subjectFirstName: 'Daniel', subjectDateOfBirth: '1990-01-30', interestReason: 'kurz' } },
    });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['data.interestReason', 'data.subjectLastKnownStreet', 'data.subjectLastName']);
  });
});

describe('datensperre', () => {
  const gabriela = { email: 'gabriela@example.ch', address: { street: 'Luzernerstrasse', houseNumber: '21', postalCode: '6010', town: 'Kriens' } };
  const aboutGabriela = { identifiedBy: 'lastAddress', subjectFirstName: 'Gabriela', subjectLastName: 'Bühler', subjectLastKnownStreet: 'Luzernerstrasse' };

  it('anonymous: 401 problem+json (identity level verified)', async () => {
    expect((await call('GET', '/api/v1/services/datensperre')).body).toMatchObject({ identity: 'verified', category: 'wohnen' });
    const res = await call('POST', LOCK, { json: { municipality: 1059, applicant: { firstName: 'Gabriela', lastName: 'Bühler', dateOfBirth: '1983-12-24', ...gabriela }, data: {} } });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('a verified resident locks her data without a clerk; a later address inquiry about her is refused', async () => {
    // before: her address is released
    const before = await inquire(aboutGabriela, 1059);
    const released = await waitForStatus(before.reference, before.accessToken, 'completed');
    expect(await documentText(released.documents[0], before.accessToken)).toContain('Luzernerstrasse 21, 6010 Kriens');

    const session = await signInCitizen('gabriela.buehler');
    const res = await session.call('POST', LOCK, { json: { municipality: 1059, applicant: gabriela, data: {} } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const done = await waitForStatus(res.body.reference, res.body.accessToken, 'completed');
    expect(done.fee).toBeNull();
    expect(done.documents.map((d: { name: string }) => d.name)).toEqual([`Datensperre-${res.body.reference}.pdf`]);
    expect(await documentText(done.documents[0], res.body.accessToken)).toContain('gesperrt');

    // after: refused with the reason
    const after = await inquire(aboutGabriela, 1059);
    const refused = await waitForStatus(after.reference, after.accessToken, 'rejected');
    const text = await documentText(refused.documents[0], after.accessToken);
    expect(text).toContain('Datensperre');
    expect(text).not.toContain('Luzernerstrasse 21');
  });

  it('a signed-in person not in the register goes to the Einwohnerdienste; a rejection carries the reason', async () => {
    const person = applicant();
    const res = await submitTo('datensperre', { municipality: 1061, applicant: person, data: {} });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const clerk = await login('luzern.einwohnerdienste');
    const task = await waitForNamedTask(clerk, res.body.reference, 'Datensperre prüfen');
    const reason = 'Die Person ist im Einwohnerregister der Stadt Luzern nicht verzeichnet.';
    expect((await claimAndComplete(clerk, task.id, { approved: false, decisionReason: reason })).status).toBe(200);
    const done = await waitForStatus(res.body.reference, res.body.accessToken, 'rejected');
    expect(await documentText(done.documents[0], res.body.accessToken)).toContain(reason);
  });

  it('bad input: 422 problem+json naming the fields', async () => {
    const session = await signInCitizen('max.neu');
    const res = await session.call('POST', LOCK, {
      json: {
        municipality: 1061,
        applicant: { email: 'max@example.ch', address: { street: 'Musterweg', houseNumber: '1', postalCode: '6003', town: 'Luzern' } },
        data: { reason: 7, lockEveryone: true },
      },
    });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['data.lockEveryone', 'data.reason']);
  });
});
