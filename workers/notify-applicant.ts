/**
 * Job type `notify-applicant`: e-mails the applicant (header `template`: received | completed |
 * rejected). German with Swiss spelling ("ss", never "ß"). Sent once per job, however often the
 * job is retried (dedupeKey = job key).
 */
import type { WorkerHandler } from './ports.js';
import { readCase } from './job-input.js';
import { composeMail, isNotifyTemplate } from '../model/mail-templates.js';

export const notifyApplicant: WorkerHandler = async (job, ports) => {
  const template = job.headers.template;
  if (!isNotifyTemplate(template)) {
    throw new Error(`notify-applicant: unknown template header ${JSON.stringify(template)}`);
  }
  const vars = readCase(job);
  const { subject, text } = composeMail(template, vars, ports.publicBaseUrl);
  await ports.mail.enqueue({
    caseReference: vars.reference,
    dedupeKey: `${job.key}`,
    to: vars.applicant.email,
    subject,
    text,
  });
  return {};
};

export default notifyApplicant;
