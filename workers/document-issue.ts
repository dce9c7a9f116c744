/**
 * Job type `document-issue`: the certificates, permits and decisions of the services (header
 * `template`), issued by the organisation responsible for the case and stored with it. Shares
 * the letter layout of workers/pdf.ts. Templates:
 * dog-registration, move-confirmation, parking-permit, tax-extension, debt-extract, rejection
 * (reason: header `reason`, else the clerk's decision reason).
 */
import type { WorkerHandler } from './ports.js';
import type { CaseVariables, OrganisationInfo } from '../model/types.js';
import { readCase } from './job-input.js';
import { decisionReasonOf, fullName, optionalText, serviceNameOf } from '../model/case-text.js';
import { formatAddressLines, formatChf, formatDateCH } from '../model/format.js';
import { renderCaseLetter, storePdf, type LetterBlock } from './pdf.js';
import { formatAhv } from '../model/ahv.js';
import { text } from './lib/case-data.js';
import { addDays } from '../model/dates.js';
import { householdMembersOf, newAddressOf, previousForeignAddressOf } from './umzug.js';
import { permitPeriod } from './anwohnerparkkarte.js';
import { grantedDeadline } from '../model/tax-extension.js';
import { feeAssessment, negativeDecision } from './legal-form.js';

type Rows = Array<[string, string]>;
interface Content {
  title: string;
  kind: 'certificate' | 'decision';
  fileName: string;
  blocks: LetterBlock[];
}

const DOG_CATEGORY_LABELS: Record<string, string> = {
  companion: 'Familien- und Begleithund',
  farm: 'Hofhund (Landwirtschaft)',
  service: 'Diensthund',
  rescue: 'Rettungshund',
  guide: 'Blinden- oder Assistenzhund',
};

/** Where the dog is kept, when not at the owner's address (start form group `keepingPlace`). */
function keepingPlace(d: Record<string, unknown>): string | undefined {
  const place = d.keptElsewhere === true ? (d.keepingPlace as Partial<CaseVariables['applicant']['address']> | undefined) : undefined;
  return place?.postalCode && place.town ? addressLine({ street: place.street ?? '', houseNumber: place.houseNumber ?? '', postalCode: place.postalCode, town: place.town }) : undefined;
}

const feeCentsOf = (vars: CaseVariables) => (typeof vars.feeCents === 'number' ? vars.feeCents : undefined);
const date = (iso: unknown) => (typeof iso === 'string' && iso ? formatDateCH(iso) : '–');
const chf = (cents: unknown) => (typeof cents === 'number' && cents > 0 ? formatChf(cents) : 'keine');
const addressLine = (a: CaseVariables['applicant']['address']) => formatAddressLines(a).join(', ');

function content(template: string, vars: CaseVariables, org: OrganisationInfo, today: string, job: { headers: Record<string, string> }): Content {
  const d = vars.data;
  const name = fullName(vars.applicant);
  const ref = vars.reference;
  switch (template) {
    case 'dog-registration': {
      const kept = keepingPlace(d);
      const rows: Rows = [
        ['Halterin / Halter', name],
        ['AHV-Nummer', formatAhv(text(d, 'ahvNumber') ?? '')],
        ['Name des Hundes', text(d, 'dogName') ?? '–'],
        ['Rasse', text(d, 'breed') ?? '–'],
        ['Geburtsdatum', date(d.dogBirthDate)],
        ['Mikrochip-Nummer', text(d, 'chipNumber') ?? '–'],
        // the keeping municipality taxes the dog (Hundegesetz SRL 848 § 5)
        ...(kept ? [['Haltungsort', kept] as [string, string]] : []),
        ['Kategorie', DOG_CATEGORY_LABELS[text(d, 'dogCategory') ?? 'companion'] ?? '–'],
        ['Steuerjahr', String(vars.taxYear ?? today.slice(0, 4))],
        ['Hundesteuer', vars.dogTaxRule === 'exempt' ? 'befreit' : chf(vars.feeCents)],
      ];
      const blocks: LetterBlock[] = [
        { kind: 'paragraph', text: `Wir bestätigen die Anmeldung des folgenden Hundes bei der ${org.name}:` },
        { kind: 'fields', rows },
      ];
      if (vars.exemptionDecisionNeeded === true) {
        blocks.push({
          kind: 'paragraph',
          text:
            vars.exemptionApproved === true
              ? 'Ihr Gesuch um Befreiung von der Hundesteuer wurde bewilligt.'
              : 'Ihr Gesuch um Befreiung von der Hundesteuer wurde abgelehnt; die ordentliche Hundesteuer ist geschuldet.',
        });
      }
      blocks.push({ kind: 'paragraph', text: 'Die Daten werden an die nationale Heimtierdatenbank AMICUS übermittelt. Die Hundemarke erhalten Sie mit separater Post.' });
      // a refused exemption is a partial decision: reasons, legal basis and remedy
      if (vars.exemptionDecisionNeeded === true && vars.exemptionApproved !== true) blocks.push(...negativeDecision(vars, decisionReasonOf(vars)));
      else blocks.push(...feeAssessment(vars, feeCentsOf(vars)));
      return { title: 'Bestätigung der Hundeanmeldung', kind: 'certificate', fileName: `Hundeanmeldung-${ref}.pdf`, blocks };
    }
    case 'move-confirmation': {
      const kind = vars.moveKind;
      const newAddress = newAddressOf(vars);
      const rows: Rows = [
        ['Person', name],
        ['Geburtsdatum', date(vars.applicant.dateOfBirth)],
        ['Bisherige Adresse', addressLine(vars.applicant.address)],
        ['Neue Adresse', `${addressLine(newAddress)}${text(d, 'newCountry') && text(d, 'newCountry') !== 'CH' ? `, ${text(d, 'newCountry')}` : ''}`],
        ['Umzugsdatum', date(d.movingDate)],
      ];
      const members = householdMembersOf(vars);
      rows.push(['Mitziehende Personen', members.length === 0 ? 'keine' : members.map((m) => `${m.firstName} ${m.lastName} (${date(m.dateOfBirth)})`).join('; ')]);
      const foreign = previousForeignAddressOf(vars);
      if (foreign)
        rows.push([
          'Bisheriger Wohnsitz im Ausland',
          [foreign.street, foreign.houseNumber].filter(Boolean).join(' ') + `${foreign.street ? ', ' : ''}${foreign.postalCode ? `${foreign.postalCode} ` : ''}${foreign.town}, ${foreign.country}`,
        ]);
      if (typeof vars.newMunicipalityName === 'string') rows.push(['Neue Wohngemeinde', vars.newMunicipalityName]);
      const what = kind === 'out' ? 'Ihren Wegzug' : kind === 'in' ? 'Ihren Zuzug' : 'Ihren Umzug';
      return {
        title: 'Bestätigung der Umzugsmeldung',
        kind: 'certificate',
        fileName: `Umzugsbestaetigung-${ref}.pdf`,
        blocks: [
          { kind: 'paragraph', text: `Wir bestätigen ${what}. Das Einwohnerregister wurde nachgeführt.` },
          { kind: 'fields', rows },
          ...(vars.lateReport === true
            ? [{ kind: 'paragraph' as const, text: 'Hinweis: Ein Umzug ist innert 14 Tagen zu melden (Art. 11 lit. a Registerharmonisierungsgesetz, SR 431.02; § 2a NG, SRL Nr. 5).' }]
            : []),
        ],
      };
    }
    case 'parking-permit': {
      const { months, from, end } = permitPeriod(d, today);
      const until = addDays(end, -1);
      return {
        title: 'Anwohnerparkkarte',
        kind: 'certificate',
        fileName: `Anwohnerparkkarte-${ref}.pdf`,
        blocks: [
          { kind: 'paragraph', text: 'Diese Parkkarte berechtigt zum zeitlich unbeschränkten Parkieren in der blauen Zone des Wohnquartiers.' },
          {
            kind: 'fields',
            rows: [
              ['Inhaberin / Inhaber', name],
              ['Wohnadresse', addressLine(vars.applicant.address)],
              ['Kontrollschild', text(d, 'licencePlate') ?? '–'],
              ['Gültig', `${date(from)} bis ${date(until)} (${months} ${months === 1 ? 'Monat' : 'Monate'})`],
              ['Gebühr', chf(vars.feeCents)],
            ],
          },
          { kind: 'paragraph', text: 'Die Parkkarte ist gut sichtbar hinter der Windschutzscheibe anzubringen.' },
          ...feeAssessment(vars, feeCentsOf(vars)),
        ],
      };
    }
    case 'tax-extension': {
      // never before what the rules grant anyway: a clerk cannot shorten the taxpayer's deadline
      const granted = grantedDeadline(vars) ?? '';
      const comment = optionalText(vars.comment);
      const requested = text(d, 'requestedUntil');
      const partial = requested !== undefined && granted !== '' && granted < requested;
      return {
        title: 'Fristerstreckung für die Steuererklärung',
        kind: 'decision',
        fileName: `Fristerstreckung-${ref}.pdf`,
        blocks: [
          { kind: 'paragraph', text: `Guten Tag ${name}` },
          { kind: 'paragraph', text: `Die Frist zur Einreichung Ihrer Steuererklärung ${String(d.taxYear ?? '')} wird bis am ${date(granted)} erstreckt.` },
          {
            kind: 'fields',
            rows: [
              ['Steuerjahr', String(d.taxYear ?? '')],
              ['Ordentliche Frist', date(vars.standardDeadline)],
              ['Neue Frist', date(granted)],
              ['Gebühr', 'keine'],
            ],
          },
          ...(comment && !partial ? [{ kind: 'paragraph' as const, text: `Bemerkung: ${comment}` }] : []),
          // granted for less than asked: a partial decision needs its reasons and the remedy
          ...(partial ? negativeDecision(vars, decisionReasonOf(vars)) : []),
          { kind: 'paragraph', text: 'Freundliche Grüsse' },
        ],
      };
    }
    case 'debt-extract': {
      const third = vars.thirdParty === true;
      const subject = third ? `${text(d, 'subjectFirstName')} ${text(d, 'subjectLastName')}` : name;
      const born = third ? date(d.subjectDateOfBirth) : date(vars.applicant.dateOfBirth);
      return {
        title: 'Auszug aus dem Betreibungsregister',
        kind: 'certificate',
        fileName: `Betreibungsregisterauszug-${ref}.pdf`,
        blocks: [
          {
            kind: 'fields',
            rows: [
              ['Person', subject],
              ['Geburtsdatum', born],
              ['Stichtag', date(today)],
              ['Gebühr', chf(vars.feeCents)],
            ],
          },
          { kind: 'paragraph', text: 'Über die genannte Person sind im Betreibungsregister in den letzten fünf Jahren keine Betreibungen verzeichnet.', bold: true },
          { kind: 'paragraph', text: 'Demo: Das Betreibungsregister ist in dieser Umgebung nicht angebunden; der Auszug ist ein Testdokument.' },
          ...feeAssessment(vars, feeCentsOf(vars)),
        ],
      };
    }
    case 'rejection': {
      // this case's reason (a clerk's, or the automatic check's own message) before the path's general one
      const reason = decisionReasonOf(vars) ?? optionalText(job.headers.reason);
      const service = serviceNameOf(vars);
      const blocks: LetterBlock[] = [
        { kind: 'paragraph', text: `Guten Tag ${name}` },
        { kind: 'paragraph', text: `Wir haben Ihr Gesuch${service ? ` «${service}»` : ''} (Referenz ${ref}) geprüft. Leider können wir es nicht bewilligen.` },
      ];
      blocks.push(...negativeDecision(vars, reason));
      blocks.push({ kind: 'paragraph', text: `Für Fragen wenden Sie sich bitte unter Angabe der Referenz ${ref} an die ${org.name}.` }, { kind: 'paragraph', text: 'Freundliche Grüsse' });
      return { title: 'Ablehnung Ihres Gesuchs', kind: 'decision', fileName: `Entscheid-${ref}.pdf`, blocks };
    }
    default:
      throw new Error(`document-issue: unknown template header ${JSON.stringify(template)}`);
  }
}

export const documentIssue: WorkerHandler = async (job, ports) => {
  const vars = readCase(job);
  const template = job.headers.template ?? '';
  const { pdf, content: c } = await renderCaseLetter(ports, vars, ({ org, today }) => content(template, vars, org, today, job));
  const stored = await storePdf(ports, job, vars.reference, c.kind, c.fileName, pdf);
  return { variables: { [`${c.kind}DocumentId`]: stored.id } };
};

export default documentIssue;
