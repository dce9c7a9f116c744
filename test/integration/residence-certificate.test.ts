/** The first service end to end on the real broker: automated path, human approve and reject. */
import { describe, expect, it } from 'vitest';
import { annaMuster, applicant, call, login, statusOf, submit, waitFor, waitForStatus, waitForTask, mailsMentioning } from './client';
import { pdfText } from '../../workers/testing/pdf-text';
import { poppler } from '../../workers/testing/poppler';

describe('wohnsitzbestaetigung', () => {
  it('completes automatically for Anna Muster (found in the Luzern register) with a PDF and a fee', async () => {
    const res = await submit({ municipality: 1061, applicant: annaMuster(), data: { purpose: 'Arbeitgeber', copies: 2 } });
    expect(res.status).toBe(201);
    expect(res.body.reference).toMatch(/^LU-\d{4}-\d{6}$/);
    expect(res.body.status).toBe('received');
    expect(res.body.receipt.dataSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(res.body.receipt.signature).toMatch(/^[0-9a-f]{64}$/);

    const done = await waitForStatus(res.body.reference, res.body.accessToken, 'completed');
    expect(done.documents).toHaveLength(1);
    expect(done.documents[0].contentType).toBe('application/pdf');
    // Luzern's demo fee CHF 30, once for the one PDF (two copies asked for)
    expect(done.fee).toEqual({ amount: 30, currency: 'CHF', status: 'open' });
    expect(done.timeline.map((e: { label: string }) => e.label)).toContain('Gesuch eingegangen');
    expect(done.timeline.at(-1).status).toBe('completed');

    const pdf = await call('GET', new URL(done.documents[0].url).pathname, { token: res.body.accessToken });
    expect(pdf.status).toBe(200);
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    // sealed by the case's organisation (the server's demo seal, demo mode) and saying so
    const seal = await poppler('pdfsig', pdf.body as Buffer);
    expect(seal).toContain('Signer Certificate Common Name: DEMO Stadt Luzern');
    expect(seal).toContain('Signature Validation: Signature is Valid.');
    const { text } = await pdfText(pdf.body as Buffer);
    expect(text.replace(/\s+/g, ' ')).toContain('Dieses Dokument ist mit dem elektronischen Siegel der Stadt Luzern versehen. DEMO:');
    // the document is not readable without the token
    expect((await call('GET', new URL(done.documents[0].url).pathname)).status).toBe(404);

    const mail = await waitFor('completion mail', async () => mailsMentioning(res.body.reference)[0]);
    expect(mail).toContain('anna.muster@example.ch');
  });

  it('creates "Wohnsitz prüfen" for an unknown person; the Luzern clerk approves it', async () => {
    const res = await submit({ municipality: 1061, applicant: applicant(), data: {} });
    expect(res.status).toBe(201);
    const { reference, accessToken } = res.body;

    const clerk = await login('luzern.einwohnerdienste');
    const task = await waitForTask(clerk, reference);
    expect(task).toMatchObject({ name: 'Wohnsitz prüfen', state: 'open', municipality: 1061, candidateGroups: ['einwohnerdienste'], assignee: null });
    expect(task.dueDate).toBeTruthy();
    expect((await statusOf(reference, accessToken)).body.status).toBe('in_progress');

    const detail = await call('GET', `/api/tasks/${task.id}`, { token: clerk });
    expect(detail.body.form.id).toBe('wohnsitz-pruefen');
    expect(detail.body.variables.reference).toBe(reference);

    // completing without claiming is refused
    expect((await call('POST', `/api/tasks/${task.id}/complete`, { token: clerk, json: { variables: { approved: true } } })).status).toBe(409);
    expect((await call('POST', `/api/tasks/${task.id}/claim`, { token: clerk })).body.assignee).toBe('luzern.einwohnerdienste');
    // the form's rules apply: approved is required and must be a boolean
    const invalid = await call('POST', `/api/tasks/${task.id}/complete`, { token: clerk, json: { variables: { approved: 'ja' } } });
    expect(invalid.status).toBe(422);
    expect(invalid.body.errors[0].path).toBe('variables.approved');

    const completed = await call('POST', `/api/tasks/${task.id}/complete`, { token: clerk, json: { variables: { approved: true, comment: 'Mietvertrag geprüft' } } });
    expect(completed.status).toBe(200);
    expect(completed.body.state).toBe('completed');
    expect((await call('POST', `/api/tasks/${task.id}/complete`, { token: clerk, json: { variables: { approved: true } } })).status).toBe(409);

    const done = await waitForStatus(reference, accessToken, 'completed');
    expect(done.documents.map((d: { name: string }) => d.name)).toEqual([`Wohnsitzbestaetigung-${reference}.pdf`]);

    const dossier = await call('GET', `/api/cases/${reference}`, { token: clerk });
    expect(dossier.status).toBe(200);
    expect(dossier.body.tasks[0].state).toBe('completed');
    const labels: string[] = dossier.body.timeline.map((e: { label: string }) => e.label);
    expect(labels).toContain('Aufgabe «Wohnsitz prüfen» erledigt');
    expect(labels.some((l) => l.startsWith('Automatischer Schritt: Bestätigung erstellen'))).toBe(true);
  });

  it('a decision is required and a rejection needs a reason, which reaches the letter and the mail', async () => {
    const res = await submit({ municipality: 1061, applicant: applicant(), data: { copies: 1 } });
    const { reference, accessToken } = res.body;
    const clerk = await login('luzern.einwohnerdienste');
    const task = await waitForTask(clerk, reference);
    expect((await call('POST', `/api/tasks/${task.id}/claim`, { token: clerk })).status).toBe(200);
    const complete = (variables: Record<string, unknown>) => call('POST', `/api/tasks/${task.id}/complete`, { token: clerk, json: { variables } });

    // an untouched form (what "Abschliessen" sent before: nothing decided) no longer rejects the citizen
    const undecided = await complete({ comment: 'angeschaut' });
    expect(undecided.status).toBe(422);
    expect(undecided.body.errors).toEqual([{ path: 'variables.approved', message: 'Pflichtfeld' }]);
    const withoutReason = await complete({ approved: false });
    expect(withoutReason.status).toBe(422);
    expect(withoutReason.body.errors).toEqual([{ path: 'variables.decisionReason', message: 'Pflichtfeld' }]);
    expect((await complete({ approved: false, decisionReason: '   ' })).body.errors[0].path).toBe('variables.decisionReason');
    expect((await call('GET', `/api/tasks/${task.id}`, { token: clerk })).body.state).toBe('open');

    const reason = 'Im Einwohnerregister ist keine Anmeldung an dieser Adresse verzeichnet.';
    expect((await complete({ approved: false, decisionReason: reason })).status).toBe(200);

    const done = await waitForStatus(reference, accessToken, 'rejected');
    expect(done.documents).toHaveLength(1);
    expect(done.documents[0].name).toMatch(/^Entscheid-/);
    expect(done.fee).toBeNull();
    const letter = await call('GET', new URL(done.documents[0].url).pathname, { token: accessToken });
    const { text } = await pdfText(letter.body as Buffer);
    expect(text.replace(/\s+/g, ' ')).toContain(reason);
    // in legal form (issue 16 item 4): legal basis and Rechtsmittelbelehrung, issued by "Stadt Luzern"
    expect(text.replace(/\s+/g, ' ')).toMatch(/Rechtsgrundlage: Gesetz über die Niederlassung und den Aufenthalt \(NG, SRL Nr\. 5\)/);
    expect(text.replace(/\s+/g, ' ')).toMatch(/Rechtsmittelbelehrung Gegen diesen Entscheid kann innert 30 Tagen seit Zustellung beim Justiz- und Sicherheitsdepartement/);
    expect(text).toContain('Stadt Luzern');
    expect(text).not.toContain('Gemeinde Luzern');
    const mail = await waitFor('rejection mail', async () => mailsMentioning(reference).find((m) => m.includes('Entscheid:')));
    expect(mail.replace(/\s+/g, ' ')).toContain(`Begründung: ${reason}`);
  });
});

describe('organisation isolation', () => {
  it('hides a Luzern task from the Emmen clerk (404 everywhere) and shows it to the Luzern team lead', async () => {
    const person = applicant();
    const res = await submit({ municipality: 1061, applicant: person, data: {} });
    const luzern = await login('luzern.einwohnerdienste');
    const task = await waitForTask(luzern, res.body.reference);
    // full-text search over reference and applicant name, whatever the case of the letters
    const byName = await call('GET', `/api/tasks?filter=${encodeURIComponent(JSON.stringify({ q: person.lastName.toUpperCase() }))}`, { token: luzern });
    expect(byName.body.map((t: { id: string }) => t.id)).toEqual([task.id]);

    const emmen = await login('emmen.einwohnerdienste');
    const list = await call('GET', `/api/tasks?filter=${encodeURIComponent(JSON.stringify({ caseReference: res.body.reference }))}`, { token: emmen });
    expect(list.status).toBe(200);
    expect(list.body).toEqual([]);
    expect(list.headers.get('content-range')).toMatch(/\/0$/);
    expect((await call('GET', `/api/tasks/${task.id}`, { token: emmen })).status).toBe(404);
    expect((await call('POST', `/api/tasks/${task.id}/claim`, { token: emmen })).status).toBe(404);
    expect((await call('POST', `/api/tasks/${task.id}/complete`, { token: emmen, json: { variables: { approved: true } } })).status).toBe(404);
    expect((await call('GET', `/api/cases/${res.body.reference}`, { token: emmen })).status).toBe(404);
    const cases = await call('GET', '/api/cases', { token: emmen });
    expect(cases.body.some((c: { reference: string }) => c.reference === res.body.reference)).toBe(false);

    const lead = await login('luzern.teamlead');
    const assigned = await call('POST', `/api/tasks/${task.id}/assign`, { token: lead, json: { assignee: 'luzern.einwohnerdienste', reason: 'Ferienvertretung' } });
    expect(assigned.status).toBe(200);
    expect(assigned.body.assignee).toBe('luzern.einwohnerdienste');
    // a clerk of another municipality is not a valid assignee
    expect((await call('POST', `/api/tasks/${task.id}/assign`, { token: lead, json: { assignee: 'emmen.einwohnerdienste' } })).status).toBe(422);
    // the Luzern clerk cannot take over a colleague's task by claiming it
    expect((await call('POST', `/api/tasks/${task.id}/unclaim`, { token: luzern })).status).toBe(200);
  });

  it('answers 401 without a session and for a wrong password', async () => {
    expect((await call('GET', '/api/tasks')).status).toBe(401);
    expect((await call('GET', '/api/tasks', { token: 'not-a-session' })).status).toBe(401);
    const wrong = await call('POST', '/api/auth/login', { json: { username: 'admin', password: 'falsch-falsch' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('content-type')).toContain('application/problem+json');
  });
});
