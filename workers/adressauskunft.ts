/**
 * Address inquiry (`adressauskunft`, Einzelauskunft aus dem Einwohnerregister): a signed-in
 * person asks the municipality for the current address of ANOTHER resident, named by name and
 * birth date or by name and last known street, and states an interest.
 *
 * Legal basis (verify before production; see README "Gaps"): the resident register is kept by the
 * municipality under the Gesetz über die Niederlassung und den Aufenthalt (NG, SRL Nr. 5; § 2a:
 * duty to report and to give information for the register) and its Vollziehungsverordnung (SRL
 * Nr. 6, enacted also on § 9 of the Kantonales Datenschutzgesetz, KDSG, SRL Nr. 38). Disclosure
 * of register data to private persons and the data lock (Datensperre) are governed by the KDSG
 * (SRL Nr. 38) and the municipalities' data-protection regulations (Stadt Luzern: every person may
 * lock their data at the Einwohnerdienste without giving a reason, SRF 2020-03). The exact
 * paragraphs of SRL Nr. 6 / SRL Nr. 38 on single disclosures and the lock could not be read from a
 * stored copy of the texts: not verified. The rule implemented is the common Swiss one (e.g. the
 * Schwyz and Zürich register laws): name and address of one person may be disclosed to a private
 * person on request, a data lock prevents it, nothing else is released automatically.
 *
 * Job types:
 * - `address-inquiry-assess`: looks the person up in the register of the municipality. Exactly one
 *   record without a lock → `release` with ONLY name and current address (never birth date,
 *   AHV number, residence type, moving-in date); a record with a lock → `refuse` with the reason;
 *   none or several → `review` (a clerk of the Einwohnerdienste checks).
 * - `address-information-issue`: the letter with the released address (PDF).
 */
import type { WorkerHandler, WorkerPorts } from './ports.js';
import type { Address, CaseVariables, Resident } from '../model/types.js';
import { readCase } from './job-input.js';
import { text } from './lib/case-data.js';
import { fullName } from '../model/case-text.js';
import { formatAddressLines } from '../model/format.js';
import { renderCaseLetter, storePdf } from './pdf.js';
import { feeAssessment } from './legal-form.js';

export type InquiryOutcome = 'release' | 'refuse' | 'review';

/** What the inquiry may ever release: name and current address in the municipality, nothing else. */
export interface ReleasedAddress {
  firstName: string;
  lastName: string;
  street: string;
  houseNumber: string;
  postalCode: string;
  town: string;
}

export const DATA_LOCK_REASON =
  'Die gesuchte Person hat die Bekanntgabe ihrer Daten aus dem Einwohnerregister sperren lassen (Datensperre). Eine Auskunft an Private ist deshalb nicht möglich. ' +
  'Trotz Sperre kann eine Auskunft nur erteilt werden, wenn Sie glaubhaft machen, dass die Sperre Sie an der Verfolgung Ihrer Rechte gegenüber dieser Person hindert; dafür reichen Sie ein neues Gesuch mit den Belegen ein.';

/** Only the address fields of a register record: the one place a resident becomes a released address. */
export function releasedAddressOf(r: Pick<Resident, 'firstName' | 'lastName' | 'address'>): ReleasedAddress {
  return { firstName: r.firstName, lastName: r.lastName, street: r.address.street, houseNumber: r.address.houseNumber, postalCode: r.address.postalCode, town: r.address.town };
}

/** The person asked about, as the start form names them (by birth date or by last known street). */
export function subjectOf(data: Record<string, unknown>): { firstName: string; lastName: string; dateOfBirth?: string; street?: string } | undefined {
  const firstName = text(data, 'subjectFirstName');
  const lastName = text(data, 'subjectLastName');
  if (!firstName || !lastName) return undefined;
  const byAddress = text(data, 'identifiedBy') === 'lastAddress';
  const dateOfBirth = byAddress ? undefined : text(data, 'subjectDateOfBirth');
  const street = byAddress ? text(data, 'subjectLastKnownStreet') : undefined;
  if (!dateOfBirth && !street) return undefined;
  return { firstName, lastName, dateOfBirth, street };
}

export async function assessInquiry(vars: CaseVariables, ports: WorkerPorts): Promise<{ outcome: InquiryOutcome; matches: number; released?: ReleasedAddress }> {
  const subject = subjectOf(vars.data);
  if (!subject) return { outcome: 'review', matches: 0 };
  const matches = (await ports.register.searchResidents({ bfsNumber: vars.municipality, ...subject })).filter((r) => r.bfsNumber === vars.municipality);
  if (matches.length !== 1) return { outcome: 'review', matches: matches.length };
  const [resident] = matches as [Resident];
  // Datensperre: nothing of a locked person leaves the register, not even that the address is known
  if (resident.dataLock) return { outcome: 'refuse', matches: 1 };
  return { outcome: 'release', matches: 1, released: releasedAddressOf(resident) };
}

export const addressInquiryAssess: WorkerHandler = async (job, ports) => {
  const vars = readCase(job);
  const { outcome, matches, released } = await assessInquiry(vars, ports);
  await ports.timeline.append(vars.reference, {
    type: 'address-inquiry.assessed',
    label: outcome === 'release' ? 'Adresse im Einwohnerregister gefunden' : outcome === 'refuse' ? 'Datensperre: keine Auskunft' : `Person nicht eindeutig gefunden (${matches} Treffer): Prüfung`,
    details: { outcome, matches },
  });
  return {
    variables: {
      inquiryOutcome: outcome,
      // null clears an earlier value; a locked person's address is never put into the process
      releasedAddress: released ?? null,
      ...(outcome === 'refuse' ? { decisionReason: DATA_LOCK_REASON } : {}),
    },
  };
};

/** The address a clerk released after a review (task form fields), else the automatic one. */
export function addressToRelease(vars: CaseVariables): ReleasedAddress | undefined {
  const auto = vars.releasedAddress as Partial<ReleasedAddress> | null | undefined;
  if (auto && typeof auto.street === 'string' && typeof auto.town === 'string') return auto as ReleasedAddress;
  const v = vars as Record<string, unknown>;
  const s = (k: string) => (typeof v[k] === 'string' && (v[k] as string).trim() !== '' ? (v[k] as string).trim() : undefined);
  const street = s('releasedStreet');
  const postalCode = s('releasedPostalCode');
  const town = s('releasedTown');
  const subject = subjectOf(vars.data);
  if (!street || !postalCode || !town || !subject) return undefined;
  return { firstName: subject.firstName, lastName: subject.lastName, street, houseNumber: s('releasedHouseNumber') ?? '', postalCode, town };
}

export const addressInformationIssue: WorkerHandler = async (job, ports) => {
  const vars = readCase(job);
  const released = addressToRelease(vars);
  if (!released) throw new Error(`address-information-issue: no address to release for ${vars.reference}`);
  const address: Address = { street: released.street, houseNumber: released.houseNumber, postalCode: released.postalCode, town: released.town };
  // the fee is charged after the letter (fee-charge), at the tariff the letter announces
  const fee = await ports.fees.feeFor(vars.serviceKey, vars.municipality);
  const { pdf } = await renderCaseLetter(ports, vars, ({ org, issued }) => ({
    title: 'Adressauskunft aus dem Einwohnerregister',
    subject: `Adressauskunft ${vars.reference}`,
    blocks: [
      { kind: 'paragraph', text: `Guten Tag ${fullName(vars.applicant)}` },
      { kind: 'paragraph', text: `Auf Ihr Gesuch (Referenz ${vars.reference}) geben wir Ihnen die aktuelle Adresse der folgenden Person im Einwohnerregister der ${org.name} bekannt:` },
      {
        kind: 'fields',
        rows: [
          ['Name', fullName(released)],
          ['Adresse', formatAddressLines(address).join(', ')],
          ['Stand', issued],
        ],
      },
      {
        kind: 'paragraph',
        text: 'Bekannt gegeben werden nur Name und Adresse. Sie dürfen diese Angaben nur für den im Gesuch genannten Zweck verwenden und nicht an Dritte weitergeben.',
      },
      ...feeAssessment(vars, fee?.amountCents),
    ],
  }));
  const stored = await storePdf(ports, job, vars.reference, 'certificate', `Adressauskunft-${vars.reference}.pdf`, pdf);
  return { variables: { certificateDocumentId: stored.id } };
};
