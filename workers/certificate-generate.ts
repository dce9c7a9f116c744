/**
 * Job type `certificate-generate`: issues the residence certificate (Wohnsitzbestätigung) as a
 * PDF and stores it with the case. Reached either after an automatic register match or after a
 * clerk approved the case ("Wohnsitz prüfen"). Sealed with the electronic seal of the case's
 * organisation.
 */
import type { WorkerHandler } from './ports.js';
import type { Address } from '../model/types.js';
import { copiesOf, municipalityOf, readCase } from './job-input.js';
import { fullName, optionalText } from '../model/case-text.js';
import { formatAddressLines, formatDateCH } from '../model/format.js';
import { renderCaseLetter, storePdf, type LetterBlock } from './pdf.js';
import { feeAssessment } from './legal-form.js';
import { lookupApplicant } from './register-lookup.js';

export const certificateGenerate: WorkerHandler = async (job, ports) => {
  const vars = readCase(job);
  const { applicant, reference } = vars;
  const municipality = await municipalityOf(ports, vars.municipality);
  const copies = copiesOf(vars.data);
  const purpose = optionalText(vars.data.purpose);

  // Re-query the register (cheap) rather than trusting variables: with exactly one record the
  // certificate states the registered address, residence type and move-in date; on the human
  // path without a unique record it states the address the applicant submitted.
  const lookup = await lookupApplicant(vars, ports);
  const resident = lookup.resident;
  const address: Address = resident?.address ?? applicant.address;
  const residenceType = resident?.residenceType ?? 'main';
  const residenceWord = residenceType === 'main' ? 'Hauptwohnsitz' : 'Nebenwohnsitz';
  const since = resident?.movedInOn ? ` seit ${formatDateCH(resident.movedInOn)}` : '';
  const name = fullName(applicant);
  const [street, town] = formatAddressLines(address);
  // the fee is charged after issuing (fee-charge), at the tariff the certificate announces
  const fee = await ports.fees.feeFor(vars.serviceKey, vars.municipality);

  const { pdf } = await renderCaseLetter(ports, vars, ({ org, issued }) => {
    const rows: Array<[string, string]> = [
      ['Name, Vorname', `${applicant.lastName.trim()}, ${applicant.firstName.trim()}`],
      ['Geburtsdatum', formatDateCH(applicant.dateOfBirth)],
      ['Adresse', `${street}, ${town}`],
      ['Wohnsitz', `${residenceWord}${since}`],
    ];
    if (purpose) rows.push(['Verwendungszweck', purpose]);
    rows.push(['Anzahl Exemplare', String(copies)], ['Referenz', reference], ['Ausstellungsdatum', issued]);
    const blocks: LetterBlock[] = [
      { kind: 'paragraph', text: `Die ${org.name} bestätigt, dass die nachstehend genannte Person in ${municipality.name} angemeldet ist:` },
      { kind: 'fields', rows },
      { kind: 'paragraph', text: `${name} ist an der oben genannten Adresse in ${municipality.name} wohnhaft mit ${residenceWord}${since}.` },
      // renderCaseLetter seals the letter and adds the line about the seal
      ...feeAssessment(vars, fee?.amountCents),
    ];
    return { title: 'Wohnsitzbestätigung', blocks };
  });

  const stored = await storePdf(ports, job, reference, 'certificate', `Wohnsitzbestaetigung-${reference}.pdf`, pdf);
  return { variables: { certificateDocumentId: stored.id } };
};

export default certificateGenerate;
