/** Two-way intake: requests for information, replies, withdrawal, receipt e-mail. */
import { describe, expect, it } from 'vitest';
import { applicant, emmenApplicant, baseUrl, call, claimAndComplete, login, openTasksOf, statusOf, submit, waitFor, waitForStatus, waitForTask, mailsMentioning } from './client';

describe('request for information', () => {
  it('asks the applicant, waits for the reply, and gives the task back to staff', async () => {
    const res = await submit({ municipality: 1061, applicant: applicant(), data: {} });
    const { reference, accessToken } = res.body;
    const clerk = await login('luzern.einwohnerdienste');
    const task = await waitForTask(clerk, reference);
    expect((await call('GET', `/api/tasks/${task.id}`, { token: clerk })).body.infoRequestAllowed).toBe(true);

    // only the assignee may ask
    expect((await call('POST', `/api/tasks/${task.id}/request-info`, { token: clerk, json: { message: 'Bitte Mietvertrag hochladen' } })).status).toBe(409);
    await call('POST', `/api/tasks/${task.id}/claim`, { token: clerk });
    const asked = await call('POST', `/api/tasks/${task.id}/request-info`, { token: clerk, json: { message: 'Bitte senden Sie uns Ihren Mietvertrag.' } });
    expect(asked.status).toBe(200);

    const waiting = await waitForStatus(reference, accessToken, 'waiting_for_applicant');
    expect(waiting.openRequests).toHaveLength(1);
    expect(waiting.openRequests[0].message).toBe('Bitte senden Sie uns Ihren Mietvertrag.');
    const requestMail = await waitFor('request mail', async () => mailsMentioning(reference).find((m) => m.includes('Mietvertrag')));
    expect(requestMail).toContain('Rückfrage');

    // bad replies are refused without changing anything
    expect((await call('POST', `/api/v1/submissions/${reference}/replies`, { token: accessToken, json: { requestId: waiting.openRequests[0].id } })).status).toBe(422);
    expect((await call('POST', `/api/v1/submissions/${reference}/replies`, { token: accessToken, json: { requestId: '00000000-0000-4000-8000-000000000000', message: 'x' } })).status).toBe(404);
    expect((await call('POST', `/api/v1/submissions/${reference}/replies`, { json: { requestId: waiting.openRequests[0].id, message: 'x' } })).status).toBe(404);

    const reply = await call('POST', `/api/v1/submissions/${reference}/replies`, {
      token: accessToken,
      json: { requestId: waiting.openRequests[0].id, message: 'Mietvertrag per Post unterwegs', data: { sentOn: '2026-11-20' } },
    });
    expect(reply.status).toBe(202);
    const again = await call('POST', `/api/v1/submissions/${reference}/replies`, { token: accessToken, json: { requestId: waiting.openRequests[0].id, message: 'nochmals' } });
    expect(again.status).toBe(409);

    // the process loops back: a new "Wohnsitz prüfen" task carrying the reply
    const second = await waitFor('second task', async () => (await openTasksOf(clerk, reference)).find((t) => t.id !== task.id));
    const detail = await call('GET', `/api/tasks/${second.id}`, { token: clerk });
    expect(detail.body.variables.applicantReply.message).toBe('Mietvertrag per Post unterwegs');
    const status = await statusOf(reference, accessToken);
    expect(status.body.status).toBe('in_progress');
    expect(status.body.openRequests).toEqual([]);
    expect(status.body.timeline.map((e: { label: string }) => e.label)).toContain('Ihre Antwort ist eingegangen');
    // staff read the question and the answer in the dossier
    const dossier = await call('GET', `/api/cases/${reference}`, { token: clerk });
    expect(dossier.body.infoRequests).toEqual([
      expect.objectContaining({ message: 'Bitte senden Sie uns Ihren Mietvertrag.', status: 'answered', answer: 'Mietvertrag per Post unterwegs', answerData: { sentOn: '2026-11-20' } }),
    ]);

    expect((await claimAndComplete(clerk, second.id, { approved: true })).status).toBe(200);
    await waitForStatus(reference, accessToken, 'completed');
  });
});

describe('withdrawal', () => {
  it('cancels the instance, closes its tasks and sets withdrawn; refused once decided', async () => {
    const res = await submit({ municipality: 1061, applicant: applicant(), data: {} });
    const { reference, accessToken } = res.body;
    const clerk = await login('luzern.einwohnerdienste');
    const task = await waitForTask(clerk, reference);

    const withdrawn = await call('POST', `/api/v1/submissions/${reference}/withdrawal`, { token: accessToken });
    expect(withdrawn.status).toBe(202);
    expect(withdrawn.body.status).toBe('withdrawn');
    expect((await statusOf(reference, accessToken)).body.status).toBe('withdrawn');
    const closed = await call('GET', `/api/tasks/${task.id}`, { token: clerk });
    expect(closed.body.state).toBe('cancelled');
    expect(await openTasksOf(clerk, reference)).toEqual([]);
    expect((await call('POST', `/api/tasks/${task.id}/claim`, { token: clerk })).status).toBe(409);
    // withdrawing twice is harmless
    expect((await call('POST', `/api/v1/submissions/${reference}/withdrawal`, { token: accessToken })).status).toBe(202);
  });

  it('answers 409 for a completed case and 404 without the token', async () => {
    const res = await submit({ municipality: 1061, applicant: applicant({ firstName: 'Anna', lastName: 'Muster', dateOfBirth: '1985-04-12' }), data: {} });
    await waitForStatus(res.body.reference, res.body.accessToken, 'completed');
    expect((await call('POST', `/api/v1/submissions/${res.body.reference}/withdrawal`, { token: res.body.accessToken })).status).toBe(409);
    expect((await call('POST', `/api/v1/submissions/${res.body.reference}/withdrawal`)).status).toBe(404);
  });
});

describe('notifications', () => {
  it('confirms receipt by e-mail exactly once, in German with reference and status URL', async () => {
    const res = await submit({ municipality: 1024, applicant: emmenApplicant({ email: 'empfang@example.ch' }), data: {} });
    const mail = await waitFor('receipt mail', async () => mailsMentioning(res.body.reference).find((m) => m.includes('Eingangsbest')));
    // the link opens the portal's status page, not the API (which stays the receipt's statusUrl)
    expect(mail).toContain(`${baseUrl()}/portal/gesuche/${res.body.reference}`);
    expect(mail).not.toContain(res.body.statusUrl);
    expect(mail).toContain('empfang@example.ch');
    await new Promise((r) => setTimeout(r, 1500));
    expect(mailsMentioning(res.body.reference).filter((m) => m.includes('Eingangsbest'))).toHaveLength(1);
  });
});
