/**
 * Data lock (`datensperre`, Auskunftssperre): a resident blocks the release of their register
 * data to private persons. The lock is recorded in the resident register, where the address
 * inquiry (workers/adressauskunft.ts) and every other register release (workers/register-lookup.ts:
 * a locked record is never `found`) respect it.
 *
 * Legal basis (verify before production; see README "Gaps"): Kantonales Datenschutzgesetz (KDSG,
 * SRL Nr. 38) and the municipalities' data-protection regulations; the resident register under the
 * Gesetz über die Niederlassung und den Aufenthalt (NG, SRL Nr. 5) and its Vollziehungsverordnung
 * (SRL Nr. 6). Stadt Luzern: "Jede Person kann ohne Grund beim Einwohneramt seine Daten sperren
 * lassen" (Bevölkerungsdienste, SRF 2020-03), so no reason is required and no person needs to
 * decide when the register knows the applicant. The paragraph numbers could not be verified.
 *
 * Job types:
 * - `data-lock-assess`: finds the signed-in person in the register of the municipality by the
 *   verified identity (never the typed data). Exactly one record → `autoLock` (the lock is set
 *   without a clerk); none or several → a clerk of the Einwohnerdienste checks.
 * - `data-lock-record`: sets the lock on that record (idempotent) and issues the confirmation.
 *   After a clerk's check, the record is the one with the register name and birth date the clerk
 *   entered; when there is still no single record, BPMN error NOT_IN_REGISTER (rejection).
 */
import { BusinessError, type WorkerHandler, type WorkerPorts } from './ports.js';
import type { CaseVariables, Resident } from '../model/types.js';
import { readCase } from './job-input.js';
import { lookupApplicant } from './register-lookup.js';
import { fullName } from '../model/case-text.js';
import { renderCaseLetter, storePdf } from './pdf.js';

export const NOT_IN_REGISTER_REASON = 'Sie sind im Einwohnerregister dieser Gemeinde nicht verzeichnet; eine Datensperre kann nur die Gemeinde Ihres Wohnsitzes eintragen.';

/** The applicant's own record: by the verified identity (automatic) or as the clerk identified it after a check. */
async function ownRecord(vars: CaseVariables, ports: WorkerPorts): Promise<Resident | undefined> {
  const v = vars as Record<string, unknown>;
  const s = (k: string) => (typeof v[k] === 'string' && (v[k] as string).trim() !== '' ? (v[k] as string).trim() : undefined);
  const firstName = s('registerFirstName');
  const lastName = s('registerLastName');
  const dateOfBirth = s('registerDateOfBirth');
  if (firstName && lastName && dateOfBirth) {
    const found = (await ports.register.findResidents({ bfsNumber: vars.municipality, firstName, lastName, dateOfBirth })).filter((r) => r.bfsNumber === vars.municipality);
    return found.length === 1 ? found[0] : undefined;
  }
  return (await lookupApplicant(vars, ports)).resident;
}

export const dataLockAssess: WorkerHandler = async (job, ports) => {
  const vars = readCase(job);
  // one record of the verified person, whatever its residence type; an existing lock is confirmed again
  const { resident, result } = await lookupApplicant(vars, ports);
  const autoLock = resident !== undefined;
  await ports.timeline.append(vars.reference, {
    type: 'data-lock.assessed',
    label: autoLock ? 'Person im Einwohnerregister gefunden: Sperre wird eingetragen' : 'Person nicht eindeutig im Einwohnerregister: Prüfung',
    details: { result },
  });
  return { variables: { autoLock, registerResult: result } };
};

export const dataLockRecord: WorkerHandler = async (job, ports) => {
  const vars = readCase(job);
  const resident = await ownRecord(vars, ports);
  if (!resident) throw new BusinessError('NOT_IN_REGISTER', NOT_IN_REGISTER_REASON);
  const { changed } = await ports.registerUpdates.setDataLock({ residentId: resident.id, bfsNumber: vars.municipality, locked: true });
  await ports.timeline.append(vars.reference, {
    type: 'data-lock.recorded',
    label: changed ? 'Datensperre im Einwohnerregister eingetragen' : 'Datensperre bestand bereits',
    public: true,
    details: { residentId: resident.id, changed },
  });

  const { pdf } = await renderCaseLetter(ports, vars, ({ org, issued }) => ({
    title: 'Bestätigung der Datensperre',
    subject: `Datensperre ${vars.reference}`,
    blocks: [
      { kind: 'paragraph', text: `Guten Tag ${fullName(vars.applicant)}` },
      { kind: 'paragraph', text: `Wir bestätigen, dass die Bekanntgabe Ihrer Daten aus dem Einwohnerregister der ${org.name} an Private gesperrt ist.` },
      {
        kind: 'fields',
        rows: [
          ['Person', fullName(resident)],
          ['Gesperrt seit', issued],
          ['Referenz', vars.reference],
        ],
      },
      {
        kind: 'paragraph',
        text: 'Die Sperre gilt für Adressauskünfte an Private. Behörden erhalten Daten weiterhin, soweit ein Gesetz es vorsieht; trotz Sperre kann eine Auskunft erteilt werden, wenn jemand glaubhaft macht, dass die Sperre ihn an der Verfolgung seiner Rechte gegenüber Ihnen hindert. Sie können die Sperre jederzeit aufheben lassen.',
      },
    ],
  }));
  const stored = await storePdf(ports, job, vars.reference, 'certificate', `Datensperre-${vars.reference}.pdf`, pdf);
  return { variables: { dataLockRecorded: true, certificateDocumentId: stored.id } };
};
