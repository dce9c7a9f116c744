/**
 * Replies with files (issue 14): the applicant answers a clerk's question with text and a PDF;
 * refused files store nothing and leave the question open; the clerk downloads the file.
 * Uses hundeanmeldung (identity level "none": anonymous submission with the access token).
 */
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { baseUrl, call, expectNoUnlinkedContent, claimAndComplete, guideDogWaitingForAnswer, login, mailsMentioning, openTasksOf, statusOf, waitFor, waitForNamedTask, waitForStatus } from './client';

const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\n'), crypto.randomBytes(32), Buffer.from('\ntrailer<<>>\n%%EOF\n')]);
const EXE = Buffer.concat([Buffer.from('MZ'), crypto.randomBytes(64)]);
const TEXT = Buffer.from('Ausweis Nr. 4711\n');

async function postReply(reference: string, form: FormData, token?: string) {
  const res = await fetch(`${baseUrl()}/api/v1/submissions/${reference}/replies`, { method: 'POST', body: form, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, type, body: (type.includes('json') ? await res.json() : await res.text()) as any };
}

function replyForm(reply: unknown, files: Array<{ name: string; content: Buffer; type?: string }> = []): FormData {
  const form = new FormData();
  if (reply !== undefined) form.append('reply', JSON.stringify(reply));
  for (const [i, f] of files.entries()) form.append(`datei${i}`, new Blob([f.content], { type: f.type ?? 'application/pdf' }), f.name);
  return form;
}

describe('replies with files', () => {
  it('refuses bad files with problem+json, stores nothing and keeps the question open', async () => {
    const { reference, accessToken, clerk, requestId } = await guideDogWaitingForAnswer();
    const reply = { requestId, message: 'Anbei der Ausweis.' };

    const exe = await postReply(reference, replyForm(reply, [{ name: 'ausweis.pdf', content: EXE }]), accessToken);
    expect(exe.status).toBe(415);
    expect(exe.type).toContain('application/problem+json');
    expect(exe.body.errors[0].path).toBe('attachments[0]');

    const text = await postReply(reference, replyForm(reply, [{ name: 'ausweis.txt', content: TEXT, type: 'text/plain' }]), accessToken);
    expect(text.status).toBe(415);

    const tooMany = await postReply(
      reference,
      replyForm(
        reply,
        Array.from({ length: 11 }, (_, i) => ({ name: `seite${i}.pdf`, content: PDF })),
      ),
      accessToken,
    );
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.errors[0].path).toBe('attachments');

    const big = await postReply(reference, replyForm(reply, [{ name: 'scan.pdf', content: Buffer.concat([PDF, Buffer.alloc(11 * 1024 * 1024)]) }]), accessToken);
    expect(big.status).toBe(413);

    const noReply = await postReply(reference, replyForm(undefined, [{ name: 'ausweis.pdf', content: PDF }]), accessToken);
    expect(noReply.status).toBe(422);
    expect(noReply.body.errors[0].path).toBe('reply');

    const noMessage = await postReply(reference, replyForm({ requestId }, [{ name: 'ausweis.pdf', content: PDF }]), accessToken);
    expect(noMessage.status).toBe(422);
    expect(noMessage.body.errors[0].path).toBe('message');

    // without the access token the case does not exist
    expect((await postReply(reference, replyForm(reply, [{ name: 'ausweis.pdf', content: PDF }]))).status).toBe(404);

    await expectNoUnlinkedContent();
    const status = (await statusOf(reference, accessToken)).body;
    expect(status.status).toBe('waiting_for_applicant');
    expect(status.openRequests.map((r: { id: string }) => r.id)).toEqual([requestId]);
    const dossier = (await call('GET', `/api/cases/${reference}`, { token: clerk })).body;
    expect(dossier.infoRequests).toEqual([expect.objectContaining({ id: requestId, status: 'open', answer: null, attachments: [] })]);
    expect(dossier.documents.filter((d: { kind: string }) => d.kind === 'reply-attachment')).toEqual([]);

    // the question can still be answered
    expect((await call('POST', `/api/v1/submissions/${reference}/replies`, { token: accessToken, json: reply })).status).toBe(202);
  });

  it('answers with text and a PDF: the clerk sees and downloads the file, the process goes on', async () => {
    const { reference, accessToken, clerk, task, requestId } = await guideDogWaitingForAnswer();
    const accepted = await postReply(
      reference,
      replyForm({ requestId, message: 'Der Ausweis liegt bei.', data: { ausweisNr: '4711' } }, [{ name: 'Ausweis Führhund.pdf', content: PDF, type: 'application/octet-stream' }]),
      accessToken,
    );
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    expect(accepted.body).toEqual({ reference, status: 'in_progress' });

    const dossier = (await call('GET', `/api/cases/${reference}`, { token: clerk })).body;
    expect(dossier.infoRequests).toHaveLength(1);
    const [request] = dossier.infoRequests;
    expect(request).toMatchObject({ id: requestId, status: 'answered', answer: 'Der Ausweis liegt bei.', answerData: { ausweisNr: '4711' } });
    expect(request.attachments).toEqual([
      { id: expect.any(String), name: 'Ausweis Führhund.pdf', contentType: 'application/pdf', size: PDF.length, url: `/api/cases/${reference}/documents/${request.attachments[0].id}` },
    ]);
    expect(dossier.documents).toContainEqual(expect.objectContaining({ id: request.attachments[0].id, kind: 'reply-attachment' }));
    const file = await call('GET', request.attachments[0].url, { token: clerk });
    expect(file.status).toBe(200);
    expect(Buffer.compare(file.body, PDF)).toBe(0);
    // another office's clerk may not download it
    expect((await call('GET', request.attachments[0].url, { token: await login('emmen.einwohnerdienste') })).status).toBe(404);

    // the applicant's own files are not among the issued documents of the status page
    const status = (await statusOf(reference, accessToken)).body;
    expect(status.openRequests).toEqual([]);
    expect(status.documents.map((d: { id: string }) => d.id)).not.toContain(request.attachments[0].id);

    // a second answer with a file is refused and leaves no file behind
    const again = await postReply(reference, replyForm({ requestId, message: 'nochmals' }, [{ name: 'b.pdf', content: PDF }]), accessToken);
    expect(again.status).toBe(409);
    await expectNoUnlinkedContent();

    // the task comes back with the reply (and its files) as process variables
    const second = await waitFor('task back', async () => (await openTasksOf(clerk, reference)).find((t) => t.name === 'Steuerbefreiung prüfen' && t.id !== task.id));
    const detail = (await call('GET', `/api/tasks/${second.id}`, { token: clerk })).body;
    expect(detail.variables.applicantReply).toMatchObject({
      requestId,
      message: 'Der Ausweis liegt bei.',
      attachments: [expect.objectContaining({ name: 'Ausweis Führhund.pdf', contentType: 'application/pdf' })],
    });
    expect((await claimAndComplete(clerk, second.id, { exemptionApproved: true, comment: 'Ausweis geprüft' })).status).toBe(200);
    // four-eyes: another person releases the approved exemption
    const lead = await login('luzern.teamlead');
    const release = await waitForNamedTask(lead, reference, 'Steuerbefreiung freigeben');
    expect((await claimAndComplete(lead, release.id, { exemptionReleased: true })).status).toBe(200);
    await waitForStatus(reference, accessToken, 'completed');

    // every e-mail's link opens the portal's status page, never the raw API
    const portalLink = `${baseUrl()}/portal/gesuche/${reference}`;
    for (const kind of ['Eingangsbest', 'Rückfrage zu Ihrem Gesuch', 'Erledigt']) {
      const mail = await waitFor(`${kind} mail`, async () => mailsMentioning(reference).find((m) => m.includes(kind)));
      expect(mail).toContain(portalLink);
      expect(mail).not.toContain(`/api/v1/submissions/${reference}`);
    }
  });
});
