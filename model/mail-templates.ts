/**
 * The e-mails to applicants (German, Swiss spelling: "ss", never "ß") and the links they carry:
 * sent by the notify-applicant and request-information workers, and by the server for the
 * receipt of a submission.
 */
import { decisionReasonOf, fullName, serviceNameOf } from './case-text.js';
import { formatChf, formatDateCH } from './format.js';
import type { CaseVariables } from './types.js';
import { grantedDeadline } from './tax-extension.js';

export const NOTIFY_TEMPLATES = ['received', 'completed', 'rejected', 'granted'] as const;
export type NotifyTemplate = (typeof NOTIFY_TEMPLATES)[number];

export function isNotifyTemplate(value: unknown): value is NotifyTemplate {
  return typeof value === 'string' && (NOTIFY_TEMPLATES as readonly string[]).includes(value);
}

export function statusUrl(publicBaseUrl: string, reference: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/api/v1/submissions/${encodeURIComponent(reference)}`;
}

/** The portal's status page of a case: the link every e-mail to the applicant carries. */
export function portalUrl(publicBaseUrl: string, reference: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/portal/gesuche/${encodeURIComponent(reference)}`;
}

export function composeMail(template: NotifyTemplate, vars: CaseVariables, publicBaseUrl: string): { subject: string; text: string } {
  const { reference } = vars;
  const service = serviceNameOf(vars);
  const request = service ? `Ihr Gesuch «${service}»` : 'Ihr Gesuch';
  const url = portalUrl(publicBaseUrl, reference);
  const feeCents = typeof vars.feeCents === 'number' ? vars.feeCents : 0;

  let subject: string;
  let body: string[];
  switch (template) {
    case 'received':
      subject = `Eingangsbestätigung: ${service ?? 'Ihr Gesuch'} (Referenz ${reference})`;
      body = [`${request} ist bei uns eingegangen. Ihre Referenz lautet ${reference}.`, 'Wir bearbeiten es so rasch wie möglich und informieren Sie, sobald es abgeschlossen ist.'];
      break;
    case 'completed':
      subject = `Erledigt: ${service ?? 'Ihr Gesuch'} (Referenz ${reference})`;
      body = [`${request} mit der Referenz ${reference} ist erledigt.`, 'Die ausgestellten Dokumente können Sie über den untenstehenden Link herunterladen.'];
      // an invoice is announced only where one was issued (a QR-bill among the documents)
      if (feeCents > 0)
        body.push(typeof vars.invoiceDocumentId === 'string' ? `Gebühr: ${formatChf(feeCents)}. Die Rechnung (QR-Rechnung) finden Sie bei den Dokumenten.` : `Gebühr: ${formatChf(feeCents)}.`);
      break;
    case 'granted': {
      // a granted deadline extension (grantedUntil, else requestedUntil, never before routineLimit)
      const until = grantedDeadline(vars);
      subject = `Bewilligt: ${service ?? 'Ihr Gesuch'} (Referenz ${reference})`;
      body = [`${request} mit der Referenz ${reference} ist bewilligt.`, until ? `Die neue Frist läuft bis am ${formatDateCH(until)}.` : 'Die Verfügung finden Sie über den untenstehenden Link.'];
      break;
    }
    case 'rejected': {
      const reason = decisionReasonOf(vars);
      subject = `Entscheid: ${service ?? 'Ihr Gesuch'} (Referenz ${reference})`;
      body = [`${request} mit der Referenz ${reference} konnte leider nicht bewilligt werden.`];
      if (reason) body.push(`Begründung: ${reason}`);
      body.push('Den Entscheid finden Sie über den untenstehenden Link.');
      break;
    }
  }

  const text = letterText(vars.applicant, body, 'Den Stand Ihres Gesuchs und die Dokumente finden Sie hier:', url);

  // Swiss spelling: never "ß" (applicant names are left as they are).
  return { subject: subject.replace(/ß/g, 'ss'), text };
}

/** The frame every e-mail to an applicant shares: salutation, paragraphs, status link, closing. */
export function letterText(applicant: CaseVariables['applicant'], paragraphs: string[], linkIntro: string, url: string): string {
  return [
    `Guten Tag ${fullName(applicant)}`,
    '',
    ...paragraphs.flatMap((p) => [p, '']),
    linkIntro,
    url,
    '',
    'Für den Zugriff benötigen Sie den Zugriffsschlüssel (Access-Token) aus Ihrer Eingangsquittung.',
    '',
    'Freundliche Grüsse',
    'Ihre Verwaltung',
    '',
    'Diese Nachricht wurde automatisch erstellt. Bitte antworten Sie nicht auf diese E-Mail.',
  ].join('\n');
}
