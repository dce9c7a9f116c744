/**
 * Job type `decision-letter`: the rejection letter ("Ablehnung Ihres Gesuchs") after a clerk
 * did not approve the case, issued by the case's organisation in legal form: the clerk's reasons
 * (see decisionReasonOf; the decision forms require them), the legal basis and the
 * Rechtsmittelbelehrung (workers/legal-form.ts).
 */
import type { WorkerHandler } from './ports.js';
import { readCase } from './job-input.js';
import { decisionReasonOf, fullName, serviceNameOf } from '../model/case-text.js';
import { renderCaseLetter, storePdf } from './pdf.js';
import { negativeDecision } from './legal-form.js';

export const decisionLetter: WorkerHandler = async (job, ports) => {
  const vars = readCase(job);
  const { reference } = vars;
  const service = serviceNameOf(vars);
  const { pdf } = await renderCaseLetter(ports, vars, ({ org }) => ({
    title: 'Ablehnung Ihres Gesuchs',
    subject: `Ablehnung ${reference}`,
    blocks: [
      { kind: 'paragraph', text: `Guten Tag ${fullName(vars.applicant)}` },
      { kind: 'paragraph', text: `Wir haben Ihr Gesuch${service ? ` «${service}»` : ''} (Referenz ${reference}) geprüft. Leider können wir es nicht bewilligen.` },
      ...negativeDecision(vars, decisionReasonOf(vars)),
      { kind: 'paragraph', text: `Für Fragen wenden Sie sich bitte unter Angabe der Referenz ${reference} an die ${org.name}.` },
      { kind: 'paragraph', text: 'Freundliche Grüsse' },
    ],
  }));
  const stored = await storePdf(ports, job, reference, 'decision', `Entscheid-${reference}.pdf`, pdf);
  return { variables: { decisionDocumentId: stored.id } };
};

export default decisionLetter;
