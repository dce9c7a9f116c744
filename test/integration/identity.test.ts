/**
 * Who is asking (DESIGN.md §6, issue 13): register data only to a verified identity. The audit
 * found that anyone who knew a resident's name and birth date received that resident's residence
 * certificate. These tests go through the real provider and the real broker.
 */
import { describe, expect, it } from 'vitest';
import { annaMuster, call, login, waitFor, waitForTask } from './client';
import { signInCitizen } from './oidc';

const certificate = (applicant: Record<string, unknown>) => ({ municipality: 1061, applicant, data: { purpose: 'Arbeitgeber', copies: 1 } });
const SUBMIT = '/api/v1/services/wohnsitzbestaetigung/submissions';
const contact = { email: 'jemand@example.ch', address: { street: 'Musterweg', houseNumber: '1', postalCode: '6003', town: 'Luzern' } };

async function documentsOfAnna(admin: string): Promise<string[]> {
  const cases = await call('GET', `/api/cases?filter=${encodeURIComponent(JSON.stringify({ q: 'muster' }))}&range=${encodeURIComponent('[0,499]')}`, { token: admin });
  const names: string[] = [];
  for (const c of cases.body as Array<{ reference: string }>) {
    const full = await call('GET', `/api/cases/${c.reference}`, { token: admin });
    if (full.body.applicant?.lastName === 'Muster') names.push(...(full.body.documents ?? []).map((d: { name: string }) => `${c.reference}:${d.name}`));
  }
  return names;
}

describe('identity levels on the public API', () => {
  it('the catalogue shows identity level and category of every service', async () => {
    const services = (await call('GET', '/api/v1/services')).body as Array<{ key: string; identity: string; category: string }>;
    const levels = Object.fromEntries(services.map((s) => [s.key, s.identity]));
    expect(levels).toMatchObject({
      wohnsitzbestaetigung: 'verified',
      betreibungsregisterauszug: 'verified',
      anwohnerparkkarte: 'verified',
      umzug: 'login',
      hundeanmeldung: 'none',
      'fristerstreckung-steuern': 'none',
      adressauskunft: 'login',
      datensperre: 'verified',
    });
    for (const s of services) expect(s.category, s.key).toMatch(/^[a-z-]+$/);
  });

  it('the outsider attack fails: anonymous 401, signed in as someone else 422, and no document about Anna is made', async () => {
    const admin = await login('admin');
    const before = await documentsOfAnna(admin);

    const anonymous = await call('POST', SUBMIT, { json: certificate(annaMuster()) });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toContain('application/problem+json');

    const max = await signInCitizen('max.neu');
    const mine = (await max.call('GET', '/api/v1/me/submissions')).body as unknown[];
    const pretending = await max.call('POST', SUBMIT, { json: certificate(annaMuster()) });
    expect(pretending.status).toBe(422);
    expect(pretending.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['applicant.dateOfBirth', 'applicant.firstName', 'applicant.lastName']);
    // only the birth date differs: still refused
    const halfway = await max.call('POST', SUBMIT, { json: certificate({ ...contact, firstName: 'Max', lastName: 'Neu', dateOfBirth: '1985-04-12' }) });
    expect(halfway.status).toBe(422);
    expect(halfway.body.errors.map((e: { path: string }) => e.path)).toEqual(['applicant.dateOfBirth']);
    expect((await max.call('GET', '/api/v1/me/submissions')).body).toHaveLength(mine.length);

    // Max's own request is decided for Max: not in any register, so a person checks it
    const own = await max.call('POST', SUBMIT, { json: certificate(contact) });
    expect(own.status).toBe(201);
    const clerk = await login('luzern.einwohnerdienste');
    const task = await waitForTask(clerk, own.body.reference);
    expect(task.name).toBe('Wohnsitz prüfen');
    const dossier = await call('GET', `/api/cases/${own.body.reference}`, { token: clerk });
    expect(dossier.body.applicant).toMatchObject({ firstName: 'Max', lastName: 'Neu', dateOfBirth: '1990-02-02' });
    expect(dossier.body.documents).toEqual([]);

    expect(await documentsOfAnna(admin)).toEqual(before);
  });

  it('signed in as anna.muster, the certificate is issued automatically and listed under me/submissions with its PDF', async () => {
    const anna = await signInCitizen('anna.muster');
    // the body may leave out what the identity decides
    const res = await anna.call('POST', SUBMIT, {
      json: certificate({ email: 'anna.muster@example.ch', address: { street: 'Pilatusstrasse', houseNumber: '12', postalCode: '6003', town: 'Luzern' } }),
    });
    expect(res.status).toBe(201);
    const { reference } = res.body;

    // with the session, no access token is needed
    const done = await waitFor('certificate', async () => {
      const s = await anna.call('GET', `/api/v1/submissions/${reference}`);
      return s.body.status === 'completed' ? s.body : undefined;
    });
    expect(done.documents).toHaveLength(1);
    const pdf = await anna.call('GET', new URL(done.documents[0].url).pathname);
    expect(pdf.status).toBe(200);
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');

    const list = await anna.call('GET', '/api/v1/me/submissions');
    expect(list.status).toBe(200);
    expect(list.body[0]).toMatchObject({ reference, service: 'wohnsitzbestaetigung', serviceName: 'Wohnsitzbestätigung', status: 'completed', authority: { id: 'municipality:1061' } });

    // another person sees neither the case nor its document
    const max = await signInCitizen('max.neu');
    expect((await max.call('GET', `/api/v1/submissions/${reference}`)).status).toBe(404);
    expect((await max.call('GET', new URL(done.documents[0].url).pathname)).status).toBe(404);
    expect(((await max.call('GET', '/api/v1/me/submissions')).body as Array<{ reference: string }>).map((c) => c.reference)).not.toContain(reference);
  });

  it('a verified resident with a data lock gets no automatic certificate', async () => {
    const beat = await signInCitizen('beat.zimmermann');
    const res = await beat.call('POST', SUBMIT, { json: certificate(contact) });
    expect(res.status).toBe(201);
    const clerk = await login('luzern.einwohnerdienste');
    expect((await waitForTask(clerk, res.body.reference)).name).toBe('Wohnsitz prüfen');
  });

  it('a `login` service refuses anonymous submissions with 401; a `none` service accepts them', async () => {
    const move = await call('POST', '/api/v1/services/umzug/submissions', { json: { municipality: 1061, applicant: annaMuster(), data: {} } });
    expect(move.status).toBe(401);
    expect(move.body).toMatchObject({ status: 401 });
    const dog = await call('POST', '/api/v1/services/hundeanmeldung/submissions', { json: { municipality: 1061, applicant: annaMuster(), data: {} } });
    expect(dog.status).toBe(422); // anonymous is allowed: the form's own rules answer
  });
});
