/**
 * Job type `request-information`: staff asked the applicant for missing information (variable
 * `infoRequestMessage`). Opens the request the citizen sees on the status page, sets the status
 * to waiting_for_applicant and e-mails the applicant. The process then waits for the message
 * `applicant-reply` (correlation key = reference), which POST .../replies publishes.
 */
import type { WorkerHandler } from './ports.js';
import { readCase } from './job-input.js';
import { letterText, portalUrl } from '../model/mail-templates.js';

export const requestInformation: WorkerHandler = async (job, ports) => {
  const vars = readCase(job);
  const message = typeof vars.infoRequestMessage === 'string' ? vars.infoRequestMessage.trim() : '';
  if (!message) throw new Error('request-information: variable "infoRequestMessage" missing');
  const request = await ports.requests.open({ caseReference: vars.reference, jobKey: job.key, message });
  await ports.cases.setStatus(vars.reference, 'waiting_for_applicant', 'Rückfrage: Bitte ergänzen Sie Ihr Gesuch');
  const url = portalUrl(ports.publicBaseUrl, vars.reference);
  await ports.mail.enqueue({
    caseReference: vars.reference,
    dedupeKey: job.key,
    to: vars.applicant.email,
    subject: `Rückfrage zu Ihrem Gesuch (Referenz ${vars.reference})`,
    text: letterText(
      vars.applicant,
      [`Für die Bearbeitung Ihres Gesuchs ${vars.reference} benötigen wir noch folgende Angaben:`, message],
      'Bitte antworten Sie über die Statusseite Ihres Gesuchs:',
      url,
    ),
  });
  return { variables: { infoRequestId: request.id } };
};

export default requestInformation;
