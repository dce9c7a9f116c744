/**
 * Decisions in legal form (issue 16 item 4): every negative or partial decision and every fee
 * assessment names its legal basis, gives reasons and a Rechtsmittelbelehrung; one issuing
 * authority name per organisation (rules and sources: model/legal-basis.ts).
 */
import { describe, expect, it } from 'vitest';
import { documentIssue } from './document-issue.js';
import { decisionLetter } from './decision-letter.js';
import { certificateGenerate } from './certificate-generate.js';
import { feeCharge } from './fee-charge.js';
import { parkingAssess } from './anwohnerparkkarte.js';
import { addressInformationIssue } from './adressauskunft.js';
import { caseVariables, fakePorts, job } from './testing/fake-ports.js';
import { pdfLine, pdfText } from './testing/pdf-text.js';
import { municipalAuthorityName } from '../model/authority.js';
import { remedyText, serviceLaw } from '../model/legal-basis.js';
import type { CaseVariables } from '../model/types.js';

/** The letter's text with line breaks folded, so phrases split over lines still match. */
async function letterText(vars: CaseVariables, template: string, headers: Record<string, string> = {}): Promise<string> {
  const ports = fakePorts();
  await documentIssue(job('document-issue', vars, { template, ...headers }), ports);
  return await pdfLine(ports.stored[0]!.content);
}

const VRG_REMEDY =
  /Gegen diesen Entscheid kann innert 30 Tagen seit Zustellung beim Justiz- und Sicherheitsdepartement des Kantons Luzern schriftlich Verwaltungsbeschwerde erhoben werden \(§§ 130, 133 und 142 Abs\. 1 lit\. b/;

describe('negative decisions: reasons, legal basis, Rechtsmittelbelehrung', () => {
  it('the rejection letter of the residence certificate states the clerk’s reasons, the NG and the VRG remedy (30 days, Justiz- und Sicherheitsdepartement)', async () => {
    const ports = fakePorts();
    await decisionLetter(job('decision-letter', caseVariables({ decisionReason: 'Keine Anmeldung in Luzern gefunden.' })), ports);
    const text = await pdfLine(ports.stored[0]!.content);
    expect(text).toContain('Begründung Keine Anmeldung in Luzern gefunden.');
    expect(text).toContain('Rechtsgrundlage: Gesetz über die Niederlassung und den Aufenthalt (NG, SRL Nr. 5)');
    expect(text).toContain('Rechtsmittelbelehrung');
    expect(text).toMatch(VRG_REMEDY);
    // issued by the case's organisation, under its one name
    expect(text).toContain('Stadt Luzern');
    expect(text).not.toContain('Gemeinde Luzern');
  });

  it('refuses to issue a negative decision without reasons (the job fails, no letter is stored)', async () => {
    const ports = fakePorts();
    await expect(decisionLetter(job('decision-letter', caseVariables()), ports)).rejects.toThrow(/reasons/);
    await expect(documentIssue(job('document-issue', caseVariables({ serviceKey: 'anwohnerparkkarte' }), { template: 'rejection' }), ports)).rejects.toThrow(/reasons/);
    expect(ports.stored).toHaveLength(0);
  });

  it('a rejection of another service cites that service’s law: the parking permit the Parkkartenreglement', async () => {
    const text = await letterText(caseVariables({ serviceKey: 'anwohnerparkkarte', decisionReason: 'Das Fahrzeug ist nicht auf Sie eingelöst.' }), 'rejection');
    expect(text).toContain('Rechtsgrundlage: Parkkartenreglement der Stadt Luzern vom 1. Juli 2015, Art. 3');
    expect(text).toMatch(/innert 30 Tagen seit Zustellung beim sachlich zuständigen Departement des Kantons Luzern schriftlich Verwaltungsbeschwerde/);
  });

  it('a refused dog-tax exemption (a partial decision) carries reasons, the Hundegesetz and the remedy', async () => {
    const vars = caseVariables({
      serviceKey: 'hundeanmeldung',
      feeCents: 12000,
      taxYear: 2025,
      exemptionDecisionNeeded: true,
      exemptionApproved: false,
      decisionReason: 'Kein Ausbildungsnachweis als Assistenzhund.',
      data: { ahvNumber: '7561234567897', dogName: 'Bello', dogBirthDate: '2024-02-10', chipNumber: '756098100123456', dogCategory: 'guide' },
    });
    const text = await letterText(vars, 'dog-registration');
    expect(text).toContain('Begründung Kein Ausbildungsnachweis als Assistenzhund.');
    expect(text).toContain('Gesetz über das Halten von Hunden (SRL Nr. 848)');
    expect(text).toContain('Rechtsmittelbelehrung');
  });

  it('a tax extension granted for less than asked names the reason and that it is a procedural order (Einsprache against the assessment, 30 days)', async () => {
    const vars = caseVariables({
      serviceKey: 'fristerstreckung-steuern',
      standardDeadline: '2026-03-31',
      routineLimit: '2026-05-31',
      grantedUntil: '2026-06-30',
      decisionReason: 'Eine Frist bis Ende September setzt eine Begründung voraus.',
      data: { taxYear: 2025, requestedUntil: '2026-09-30' },
    });
    const text = await letterText(vars, 'tax-extension');
    expect(text).toContain('30.06.2026');
    expect(text).toContain('Begründung Eine Frist bis Ende September setzt eine Begründung voraus.');
    expect(text).toContain('verfahrensleitende Anordnung');
    expect(text).toContain('Die Einsprachefrist beträgt 30 Tage seit Zustellung der Veranlagungsverfügung');
  });

  it('a tax extension granted as asked has no remedy block (nothing to contest)', async () => {
    const vars = caseVariables({ serviceKey: 'fristerstreckung-steuern', standardDeadline: '2026-03-31', grantedUntil: '2026-05-15', data: { taxYear: 2025, requestedUntil: '2026-05-15' } });
    expect(await letterText(vars, 'tax-extension')).not.toContain('Rechtsmittelbelehrung');
  });
});

describe('fee assessments: legal basis of the fee and Rechtsmittelbelehrung', () => {
  it('the debt-register extract: GebV SchKG Art. 12a and the SchKG complaint (10 days, Bezirksgericht)', async () => {
    const vars = caseVariables({ serviceKey: 'betreibungsregisterauszug', feeCents: 1800 });
    const text = await letterText(vars, 'debt-extract');
    expect(text).toContain('Gebühr von CHF 18.00');
    expect(text).toContain('Art. 12a der Gebührenverordnung zum SchKG (GebV SchKG, SR 281.35)');
    expect(text).toMatch(
      /Gegen diese Verfügung kann innert 10 Tagen seit Kenntnis beim für das Betreibungsamt zuständigen Bezirksgericht als unterer Aufsichtsbehörde schriftlich Beschwerde nach Art\. 17 SchKG/,
    );
  });

  it('the parking permit: the Parkkartenreglement tariff and the remedy', async () => {
    const vars = caseVariables({ serviceKey: 'anwohnerparkkarte', feeCents: 18000, data: { licencePlate: 'LU 12345', months: 3, validFrom: '2026-01-01' } });
    const text = await letterText(vars, 'parking-permit');
    expect(text).toContain('Gebühr von CHF 180.00');
    expect(text).toContain('Parkkartenreglement der Stadt Luzern vom 1. Juli 2015: CHF 60 im Monat, CHF 600 im Jahr');
    expect(text).toContain('Rechtsmittelbelehrung');
  });

  it('the residence certificate announces its fee with the municipal tariff and the remedy; without a fee neither', async () => {
    const ports = fakePorts();
    await certificateGenerate(job('certificate-generate'), ports);
    const text = await pdfLine(ports.stored[0]!.content);
    expect(text).toContain('Gebühr von CHF 30.00');
    expect(text).toMatch(VRG_REMEDY);
    const free = fakePorts({ fee: null });
    await certificateGenerate(job('certificate-generate'), free);
    expect((await pdfText(free.stored[0]!.content)).text).not.toContain('Rechtsmittelbelehrung');
  });

  it('the address inquiry: the fee with the Gebührengesetz and the remedy', async () => {
    const ports = fakePorts();
    const vars = caseVariables({
      serviceKey: 'adressauskunft',
      releasedAddress: { firstName: 'Beat', lastName: 'Keller', street: 'Museggstrasse', houseNumber: '3', postalCode: '6004', town: 'Luzern' },
    });
    await addressInformationIssue(job('address-information-issue', vars), ports);
    const text = await pdfLine(ports.stored[0]!.content);
    expect(text).toContain('Gebühr von CHF 30.00 erhoben (Rechtsgrundlage: Gebührengesetz (SRL Nr. 680) § 3');
    expect(text).toMatch(VRG_REMEDY);
  });
});

describe('the remedy of each service', () => {
  it('register services go to the Justiz- und Sicherheitsdepartement, dog tax and parking to the competent department, the debt extract to the Bezirksgericht, a tax deadline has none of its own', () => {
    const instance = (key: string) => remedyText(serviceLaw(key));
    for (const key of ['wohnsitzbestaetigung', 'umzug', 'adressauskunft', 'datensperre'])
      expect(instance(key), key).toMatch(/innert 30 Tagen seit Zustellung beim Justiz- und Sicherheitsdepartement des Kantons Luzern/);
    for (const key of ['hundeanmeldung', 'anwohnerparkkarte', 'a-new-service'])
      expect(instance(key), key).toContain('innert 30 Tagen seit Zustellung beim sachlich zuständigen Departement des Kantons Luzern');
    expect(instance('betreibungsregisterauszug')).toContain('innert 10 Tagen seit Kenntnis beim für das Betreibungsamt zuständigen Bezirksgericht');
    expect(instance('fristerstreckung-steuern')).toMatch(/^Die Gewährung oder Verweigerung einer Fristerstreckung ist eine verfahrensleitende Anordnung/);
  });

  it('the dog tax is assessed with the Hundegesetz §§ 5 and 6 and the remedy', async () => {
    const vars = caseVariables({
      serviceKey: 'hundeanmeldung',
      feeCents: 12000,
      taxYear: 2025,
      data: { ahvNumber: '7561234567897', dogName: 'Bello', dogBirthDate: '2024-02-10', chipNumber: '756098100123456', dogCategory: 'companion' },
    });
    const text = await letterText(vars, 'dog-registration');
    expect(text).toContain('Gebühr von CHF 120.00 erhoben (Rechtsgrundlage: Gesetz über das Halten von Hunden (SRL Nr. 848), §§ 5 und 6');
    expect(text).toContain('Rechtsmittelbelehrung');
  });
});

describe('one issuing authority name per organisation', () => {
  it('towns are "Stadt", the other municipalities "Gemeinde"', () => {
    expect(municipalAuthorityName({ bfsNumber: 1061, name: 'Luzern' })).toBe('Stadt Luzern');
    expect(municipalAuthorityName({ bfsNumber: 1059, name: 'Kriens' })).toBe('Stadt Kriens');
    expect(municipalAuthorityName({ bfsNumber: 1024, name: 'Emmen' })).toBe('Gemeinde Emmen');
  });

  it('the fee charged names the organisation as the certificate does', async () => {
    const ports = fakePorts();
    await feeCharge(job('fee-charge'), ports);
    expect(ports.invoices[0]!.description).toContain('Stadt Luzern');
  });
});

describe('second parking permit (Parkkartenreglement Stadt Luzern Art. 3: one car per person)', () => {
  const vars = (data: Record<string, unknown>, reference = 'AP-2026-000002') =>
    caseVariables({ reference, serviceKey: 'anwohnerparkkarte', data: { licencePlate: 'LU 12345', vehicleHolder: 'own', months: 12, validFrom: '2026-01-01', ...data } });
  const standing = (data: Record<string, unknown>) => ({
    serviceKey: 'anwohnerparkkarte',
    reference: 'AP-2026-000001',
    data: { vehicleHolder: 'own', months: 12, validFrom: '2025-06-01', ...data },
    applicant: { firstName: 'anna ', lastName: 'MUSTER', dateOfBirth: '1985-04-12' },
  });

  it('a second permit for the same person in an overlapping period goes to a person, with the earlier reference', async () => {
    const ports = fakePorts();
    ports.standingCases.push(standing({}));
    const result = await parkingAssess(job('parking-assess', vars({})), ports);
    expect(result.variables).toMatchObject({ needsReview: true });
    expect(String(result.variables!.reviewReasons)).toContain('AP-2026-000001');
  });

  it('a first permit without a start date runs from the day it was asked for', async () => {
    const ports = fakePorts();
    ports.standingCases.push({ ...standing({ validFrom: undefined, months: 3 }), submittedOn: '2025-11-15' });
    expect((await parkingAssess(job('parking-assess', vars({ validFrom: '2026-01-01' })), ports)).variables).toMatchObject({ needsReview: true });
    expect((await parkingAssess(job('parking-assess', vars({ validFrom: '2026-03-01' })), ports)).variables).toMatchObject({ needsReview: false });
  });

  it('a permit after the first one ended, one for a company car, or another person’s permit is automatic', async () => {
    for (const other of [
      standing({ validFrom: '2024-06-01' }),
      standing({ vehicleHolder: 'company' }),
      { ...standing({}), applicant: { firstName: 'Beat', lastName: 'Muster', dateOfBirth: '1985-04-12' } },
    ]) {
      const ports = fakePorts();
      ports.standingCases.push(other);
      expect((await parkingAssess(job('parking-assess', vars({})), ports)).variables).toMatchObject({ needsReview: false });
    }
  });
});
