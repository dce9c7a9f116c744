/**
 * Job type `decision-letter`: the rejection letter ("Ablehnung Ihres Gesuchs") after a clerk
 * did not approve the case, with the clerk's reason (see decisionReasonOf).
 */
import type { WorkerHandler } from './ports.js';
import { authorityName, municipalityOf, readCase } from './job-input.js';
import { decisionReasonOf, fullName, serviceNameOf } from '../model/case-text.js';
import { formatAddressLines, formatDateCH } from '../model/format.js';
import { renderLetter, storePdf, type LetterBlock } from './pdf.js';

export const decisionLetter: WorkerHandler = async (job, ports) => {
  const vars = readCase(job);
  const { applicant, reference } = vars;
  const municipality = await municipalityOf(ports, vars.municipality);
  const now = ports.clock.now();
  const authority = authorityName(municipality);
  const issued = formatDateCH(now);
  const name = fullName(applicant);
  const [street, town] = formatAddressLines(applicant.address);
  const service = serviceNameOf(vars);
  const reason = decisionReasonOf(vars);

  const blocks: LetterBlock[] = [
    { kind: 'paragraph', text: `Guten Tag ${name}` },
    {
      kind: 'paragraph',
      text: service
        ? `Wir haben Ihr Gesuch «${service}» (Referenz ${reference}) geprüft. Leider können wir es nicht bewilligen.`
        : `Wir haben Ihr Gesuch (Referenz ${reference}) geprüft. Leider können wir es nicht bewilligen.`,
    },
  ];
  if (reason) {
    blocks.push({ kind: 'paragraph', text: 'Begründung:', bold: true }, { kind: 'paragraph', text: reason });
  }
  blocks.push(
    {
      kind: 'paragraph',
      text: `Für Fragen wenden Sie sich bitte unter Angabe der Referenz ${reference} an die Einwohnerdienste der ${authority}.`,
    },
    { kind: 'paragraph', text: 'Freundliche Grüsse' },
    { kind: 'paragraph', text: `${authority}\nEinwohnerdienste` },
  );

  const content = await renderLetter({
    organisation: authority,
    department: 'Einwohnerdienste',
    recipient: [name, street, town],
    placeAndDate: `${municipality.name}, ${issued}`,
    title: 'Ablehnung Ihres Gesuchs',
    blocks,
    footer: `Referenz: ${reference} · ${authority} · ${issued}`,
    subject: `Ablehnung ${reference}`,
    createdAt: now,
  });

  const stored = await storePdf(ports, job, reference, 'decision', `Entscheid-${reference}.pdf`, content);
  return { variables: { decisionDocumentId: stored.id } };
};

export default decisionLetter;
