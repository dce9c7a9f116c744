/**
 * What the applicant can do after submitting: answer a request for information (published to
 * the waiting process as the message `applicant-reply`) and withdraw the submission.
 */
import { z } from 'zod';
import type { Logger } from 'pino';
import type { Engine } from '../engine/zeebe';
import type { Repositories } from '../repositories';
import type { CaseRecord } from '../repositories/cases';
import { DomainError, conflict, notFound, parseOrFail, validationFailed } from './errors';
import type { StoredAttachment } from './document-uploads';
import type { Catalogue } from '../processes/catalogue';
import { DEFAULT_TARGET_WORKING_DAYS, escalationDuration } from '../../model/working-days';

const alreadyAnswered = () => conflict('Diese Rückfrage ist bereits beantwortet oder geschlossen');

export const APPLICANT_REPLY_MESSAGE = 'applicant-reply';

export const replySchema = z
  .object({
    requestId: z.string().uuid('Unbekannte Rückfrage'),
    message: z.string().trim().min(1, 'Pflichtfeld').max(5000, 'Höchstens 5000 Zeichen'),
    data: z.record(z.unknown()).optional(),
  })
  .strict();

export class ApplicantActions {
  constructor(
    private readonly repos: Repositories,
    private readonly engine: Engine,
    private readonly log: Logger,
    private readonly catalogue: Catalogue,
    /** ESCALATION_AFTER: a fixed escalation time for every task (demos, tests) */
    private readonly escalateAfterOverride?: string,
  ) {}

  /** Answers an open request, with files (already checked at the edge) linked to it as `reply-attachment`. */
  async reply(c: CaseRecord, body: unknown, attachments: StoredAttachment[] = []): Promise<{ reference: string; status: string }> {
    const { requestId, message, data } = parseOrFail(replySchema, body);
    if (JSON.stringify(data ?? {}).length > 50_000) throw validationFailed([{ path: 'data', message: 'Zu umfangreich' }]);
    const request = await this.repos.infoRequests.get(c.id, requestId);
    if (!request) throw notFound('Rückfrage nicht gefunden');
    if (request.status !== 'open') throw alreadyAnswered();
    const files = await this.answerWithFiles(c, requestId, message, data ?? null, attachments);
    try {
      // messageId = request id: Zeebe refuses a second message with the same id, so a retried
      // reply can never run the loop twice
      const applicantReply = { requestId, message, data: data ?? {}, ...(files.length > 0 ? { attachments: files } : {}) };
      const escalateAfter = await this.escalationAfterReply(c);
      await this.engine.publishMessage(APPLICANT_REPLY_MESSAGE, c.reference, { infoRequested: false, applicantReply, escalateAfter }, requestId);
    } catch (err) {
      this.log.warn({ err, reference: c.reference }, 'could not publish the reply');
      await this.undoAnswer(requestId);
      throw new DomainError(503, 'Service Unavailable', 'Die Antwort konnte gerade nicht übermittelt werden; bitte später erneut senden');
    }
    await this.repos.transaction(async (trx) => {
      await this.repos.cases.setStatus(c.id, 'in_progress', trx);
      const details = { requestId, message, ...(files.length > 0 ? { attachments: files.map((f) => f.name) } : {}) };
      await this.repos.timeline.append({ caseId: c.id, type: 'applicant.replied', actor: 'applicant', label: 'Ihre Antwort ist eingegangen', status: 'in_progress', public: true, details }, trx);
    });
    return { reference: c.reference, status: 'in_progress' };
  }

  /**
   * The escalation time of the task the answer leads back to: the target time counted from the
   * submission with the waiting time left out (the clock paused while the case waited).
   */
  private async escalationAfterReply(c: CaseRecord): Promise<string> {
    if (this.escalateAfterOverride) return this.escalateAfterOverride;
    const pauses = (await this.repos.infoRequests.forCase(c.id)).filter((r) => r.status !== 'cancelled').map((r) => ({ from: r.requestedAt, to: r.answeredAt }));
    return escalationDuration(c.submittedAt, this.catalogue.get(c.serviceKey)?.entry.targetDays ?? DEFAULT_TARGET_WORKING_DAYS, pauses, new Date());
  }

  /** Marks the request answered and links the stored files in one transaction (the caller removes files it did not link). */
  private async answerWithFiles(c: CaseRecord, requestId: string, message: string, data: Record<string, unknown> | null, attachments: StoredAttachment[]) {
    return this.repos.transaction(async (trx) => {
      if (!(await this.repos.infoRequests.answer(requestId, message, data, trx))) throw alreadyAnswered();
      const files: Array<{ id: string; name: string; contentType: string; size: number; sha256: string }> = [];
      for (const a of attachments) {
        const id = await this.repos.documents.insertRecord(trx, { caseId: c.id, infoRequestId: requestId, kind: 'reply-attachment', ...a });
        files.push({ id, name: a.name, contentType: a.contentType, size: a.size, sha256: a.sha256 });
      }
      return files;
    });
  }

  /** The reply could not reach the process: the request is open again and its files are gone. */
  private async undoAnswer(requestId: string): Promise<void> {
    const storageKeys = await this.repos.transaction(async (trx) => {
      await this.repos.infoRequests.reopen(requestId, trx);
      return this.repos.documents.removeForInfoRequest(trx, requestId);
    });
    await this.repos.documents.discardUnlinked(storageKeys);
  }

  async withdraw(c: CaseRecord): Promise<{ reference: string; status: 'withdrawn' }> {
    if (c.status === 'completed' || c.status === 'rejected') throw conflict('Ein abgeschlossenes Gesuch kann nicht mehr zurückgezogen werden');
    if (c.status !== 'withdrawn') {
      await this.repos.transaction(async (trx) => {
        await this.repos.cases.setStatus(c.id, 'withdrawn', trx);
        await this.repos.cases.cancelProcessStart(c.id, trx);
        await this.repos.tasks.cancelOpenForCase(c.id, trx);
        await this.repos.infoRequests.cancelOpen(c.id, trx);
        await this.repos.timeline.append({ caseId: c.id, type: 'applicant.withdrew', actor: 'applicant', label: 'Gesuch zurückgezogen', status: 'withdrawn', public: true }, trx);
      });
      if (c.processInstanceKey) {
        // if the engine is unreachable now, the instance guard cancels the instance at its next job
        await this.engine.cancelInstance(c.processInstanceKey).catch((err) => this.log.warn({ err, reference: c.reference }, 'cancel failed; the instance guard will cancel it'));
      }
    }
    return { reference: c.reference, status: 'withdrawn' };
  }
}
