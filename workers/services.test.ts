/** Unit tests of the rules and workers of the services of issue 6 (see DESIGN.md §5). */
import { describe, expect, it } from 'vitest';
import { ean13CheckDigit, formatAhv, isValidAhv } from '../model/ahv.js';
import { addMonths, debtExtractFeeCents, dogTax, parkingFeeCents } from './lib/fees.js';
import { creditorReference, isQrIban, isValidIban, qrReference, swissIban } from '../model/payment-reference.js';
import { dogRegistrationCheck, dogTaxAssess, isValidChipNumber } from './hundeanmeldung.js';
import { caseStatus } from './case-status.js';
import { classifyMove, householdMembersOf, moveAssess, registerMove, registerSchedule, zurichMidnight } from './umzug.js';
import { parkingAssess } from './anwohnerparkkarte.js';
import { taxExtensionAssess } from './fristerstreckung-steuern.js';
import { extensionRule } from '../model/tax-extension.js';
import { debtExtractAssess } from './betreibungsregisterauszug.js';
import { invoiceCreate } from './invoice-create.js';
import { documentIssue } from './document-issue.js';
import { escalateToTeamlead } from './escalate-to-teamlead.js';
import { notifyApplicant } from './notify-applicant.js';
import { BusinessError } from './ports.js';
import { caseVariables, demoPostcodes, fakePorts, job } from './testing/fake-ports.js';
import { pdfText } from './testing/pdf-text.js';

const ANNA_AHV = '756.1234.5678.97';

describe('AHV number (EAN-13 check digit)', () => {
  it('accepts valid numbers with or without dots', () => {
    expect(isValidAhv(ANNA_AHV)).toBe(true);
    expect(isValidAhv('7561234567897')).toBe(true);
    expect(isValidAhv('756.9217.0769.85')).toBe(true);
    expect(ean13CheckDigit('756123456789')).toBe(7);
  });
  it('refuses a wrong check digit, another country prefix and garbage', () => {
    expect(isValidAhv('756.1234.5678.98')).toBe(false);
    expect(isValidAhv('757.1234.5678.97')).toBe(false);
    expect(isValidAhv('756.1234.5678')).toBe(false);
    expect(isValidAhv(undefined)).toBe(false);
  });
  it('formats', () => expect(formatAhv('7561234567897')).toBe(ANNA_AHV));
});

describe('dog tax (SRL 848)', () => {
  it('CHF 120 for a dog six months old before 1 July, CHF 60 when it reaches six months in August', () => {
    expect(dogTax({ birthDate: '2020-05-01', farmDog: false, taxYear: 2026 })).toMatchObject({ cents: 12000, rule: 'full' });
    expect(dogTax({ birthDate: '2025-12-31', farmDog: false, taxYear: 2026 })).toMatchObject({ cents: 12000, rule: 'full', sixMonthsOn: '2026-06-30' });
    expect(dogTax({ birthDate: '2026-02-10', farmDog: false, taxYear: 2026 })).toMatchObject({ cents: 6000, rule: 'half', sixMonthsOn: '2026-08-10' });
    expect(dogTax({ birthDate: '2026-01-01', farmDog: false, taxYear: 2026 })).toMatchObject({ cents: 6000, rule: 'half', sixMonthsOn: '2026-07-01' });
  });
  it('nothing this year for a puppy that is six months old only next year', () => {
    expect(dogTax({ birthDate: '2026-08-15', farmDog: false, taxYear: 2026 })).toMatchObject({ cents: 0, rule: 'none' });
  });
  it('farm dogs CHF 40 (half: CHF 20)', () => {
    expect(dogTax({ birthDate: '2019-03-01', farmDog: true, taxYear: 2026 }).cents).toBe(4000);
    expect(dogTax({ birthDate: '2026-03-01', farmDog: true, taxYear: 2026 }).cents).toBe(2000);
  });
  it('adds months with the day clamped', () => {
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2027-08-31', 6)).toBe('2028-02-29');
  });
});

describe('parking and debt extract fees', () => {
  it('CHF 60 a month, CHF 600 a year; 11 months cost CHF 660 (the tariff has no cap at the yearly price)', () => {
    expect(parkingFeeCents(1)).toBe(6000);
    expect(parkingFeeCents(3)).toBe(18000);
    expect(parkingFeeCents(12)).toBe(60000);
    expect(parkingFeeCents(11)).toBe(66000); // CHF 60 a month: no cap at the yearly price
    expect(() => parkingFeeCents(13)).toThrow();
    expect(() => parkingFeeCents(0)).toThrow();
  });
  it('debt extract CHF 18 electronic, CHF 17 on paper', () => {
    expect(debtExtractFeeCents(true)).toBe(1800);
    expect(debtExtractFeeCents(false)).toBe(1700);
  });
});

describe('IBAN and payment references', () => {
  it('builds valid (QR-)IBANs and references from the case reference', () => {
    const iban = swissIban('30808', '1001061');
    expect(iban).toBe('CH3830808000001001061');
    expect(isValidIban(iban)).toBe(true);
    expect(isQrIban(iban)).toBe(true);
    expect(isQrIban('CH9300762011623852957')).toBe(false);
    expect(qrReference('LU-2026-000123')).toBe('000000000000000020260001237');
    expect(creditorReference('LU-2026-000123')).toBe('RF03LU2026000123');
  });
});

describe('hundeanmeldung workers', () => {
  const dog = (data: Record<string, unknown>) =>
    caseVariables({
      serviceKey: 'hundeanmeldung',
      serviceName: 'Hundeanmeldung',
      data: { ahvNumber: ANNA_AHV, dogName: 'Bello', breed: 'Labrador', dogBirthDate: '2020-04-01', chipNumber: '756098100123456', dogCategory: 'companion', exemptionRequested: false, ...data },
    });

  it('checks AHV and chip number (BusinessError INVALID_DATA)', async () => {
    expect(await dogRegistrationCheck(job('dog-registration-check', dog({})), fakePorts())).toEqual({ variables: { exemptionDecisionNeeded: false, exemptionCategoryEligible: false } });
    await expect(dogRegistrationCheck(job('x', dog({ ahvNumber: '756.1234.5678.90' })), fakePorts())).rejects.toMatchObject({ code: 'INVALID_DATA' });
    await expect(dogRegistrationCheck(job('x', dog({ chipNumber: '999000000000001' })), fakePorts())).rejects.toBeInstanceOf(BusinessError);
    expect(isValidChipNumber('756098100123456')).toBe(true);
    expect(isValidChipNumber('000098100123456')).toBe(false);
  });
  it('every exemption request goes to a person, who sees whether the category is one the law names', async () => {
    const r = await dogRegistrationCheck(job('x', dog({ dogCategory: 'guide', exemptionRequested: true })), fakePorts());
    expect(r.variables).toEqual({ exemptionDecisionNeeded: true, exemptionCategoryEligible: true });
    const r2 = await dogRegistrationCheck(job('x', dog({ dogCategory: 'companion', exemptionRequested: true })), fakePorts());
    expect(r2.variables).toEqual({ exemptionDecisionNeeded: true, exemptionCategoryEligible: false });
  });
  it('assesses the tax of the clock year (clock: 2 May 2025)', async () => {
    const full = await dogTaxAssess(job('x', dog({})), fakePorts());
    expect(full.variables).toMatchObject({ feeCents: 12000, dogTaxRule: 'full', taxYear: 2025 });
    const half = await dogTaxAssess(job('x', dog({ dogBirthDate: '2025-02-10' })), fakePorts());
    expect(half.variables).toMatchObject({ feeCents: 6000, dogTaxRule: 'half' });
    const farm = await dogTaxAssess(job('x', dog({ dogCategory: 'farm' })), fakePorts());
    expect(farm.variables).toMatchObject({ feeCents: 4000 });
    const exempt = await dogTaxAssess(job('x', { ...dog({ dogCategory: 'guide' }), exemptionApproved: true }), fakePorts());
    expect(exempt.variables).toMatchObject({ feeCents: 0, dogTaxRule: 'exempt' });
  });
});

describe('umzug workers', () => {
  const move = (data: Record<string, unknown>, municipality = 1061) =>
    caseVariables({
      serviceKey: 'umzug',
      municipality,
      data: {
        moveType: 'innerhalb',
        movingDate: '2025-05-01',
        newStreet: 'Gerliswilstrasse',
        newHouseNumber: '7',
        newPostalCode: '6020',
        newTown: 'Emmenbrücke',
        newCountry: 'CH',
        householdMembers: [],
        ...data,
      },
    });

  it('classifies by postcode', () => {
    const plz = (code: string) => (demoPostcodes[code] ? [demoPostcodes[code]] : []);
    expect(classifyMove('innerhalb', 1061, plz('6020'), false)).toEqual({ kind: 'inter', newMunicipality: 1024, newMunicipalityAlternatives: [] });
    expect(classifyMove('innerhalb', 1061, plz('6004'), false)).toEqual({ kind: 'intra', newMunicipality: 1061, newMunicipalityAlternatives: [] });
    expect(classifyMove('innerhalb', 1061, plz('8001'), false)).toEqual({ kind: 'out', newMunicipality: null, newMunicipalityAlternatives: [] });
    expect(classifyMove('wegzug', 1061, plz('6020'), true)).toEqual({ kind: 'out', newMunicipality: null, newMunicipalityAlternatives: [] });
    expect(classifyMove('zuzug', 1024, plz('6020'), false)).toEqual({ kind: 'in', newMunicipality: 1024, newMunicipalityAlternatives: [] });
    expect(() => classifyMove('zuzug', 1061, plz('6020'), false)).toThrow(BusinessError);
  });
  it('Luzern → Emmen needs both checks; a move within Luzern of a registered person none', async () => {
    const inter = await moveAssess(job('x', move({})), fakePorts());
    expect(inter.variables).toMatchObject({
      moveKind: 'inter',
      newMunicipality: 1024,
      newMunicipalityName: 'Emmen',
      needsMoveOutCheck: true,
      needsMoveInCheck: true,
      residentFound: true,
      lateReport: false,
    });
    const intra = await moveAssess(job('x', move({ newPostalCode: '6004', newTown: 'Luzern' })), fakePorts());
    expect(intra.variables).toMatchObject({ moveKind: 'intra', needsMoveOutCheck: false, needsMoveInCheck: false });
    const late = await moveAssess(job('x', move({ movingDate: '2025-04-01' })), fakePorts());
    expect(late.variables).toMatchObject({ lateReport: true });
  });
  it('records the move in the register', async () => {
    const ports = fakePorts();
    await registerMove(job('x', { ...move({}), moveKind: 'inter', newMunicipality: 1024 }), ports);
    expect(ports.moves[0]).toMatchObject({ fromBfs: 1061, toBfs: 1024, newAddress: { postalCode: '6020' }, movedOn: '2025-05-01' });
    await registerMove(job('x', { ...move({}), moveKind: 'out', newMunicipality: null }), ports);
    expect(ports.moves[1]).toMatchObject({ fromBfs: 1061, toBfs: null, newAddress: null, destination: 'Gerliswilstrasse 7, 6020 Emmenbrücke (CH)' });
  });
  it('a move dated after today waits for 00:00 Zurich time of its date; today or earlier registers at once (DESIGN.md §9)', async () => {
    // fake clock: 2025-05-02 10:30 Zurich
    expect(registerSchedule('2025-05-03', new Date('2025-05-02T08:30:00Z'))).toEqual({
      moveScheduled: true,
      registerAt: '2025-05-03T00:00:00+02:00',
      registerScheduledText: 'Registeränderung geplant auf 03.05.2025 (Umzugsdatum)',
    });
    expect(registerSchedule('2025-05-02', new Date('2025-05-02T08:30:00Z')).moveScheduled).toBe(false);
    expect(registerSchedule('2025-04-30', new Date('2025-05-02T08:30:00Z')).moveScheduled).toBe(false);
    // 23:30 UTC on 2 May is already 3 May in Zurich: a move on the 3rd is today
    expect(registerSchedule('2025-05-03', new Date('2025-05-02T23:30:00Z')).moveScheduled).toBe(false);
    expect(zurichMidnight('2026-12-10')).toBe('2026-12-10T00:00:00+01:00');
    expect(zurichMidnight('2026-03-29')).toBe('2026-03-29T00:00:00+01:00'); // DST starts at 02:00 that day
    expect(zurichMidnight('2026-03-30')).toBe('2026-03-30T00:00:00+02:00');
    const future = await moveAssess(job('x', move({ movingDate: '2025-06-01' })), fakePorts());
    expect(future.variables).toMatchObject({ moveScheduled: true, registerAt: '2025-06-01T00:00:00+02:00', registerScheduledText: 'Registeränderung geplant auf 01.06.2025 (Umzugsdatum)' });
    expect((await moveAssess(job('x', move({})), fakePorts())).variables).toMatchObject({ moveScheduled: false });
  });
  it('the scheduled status label comes from the variable named by the labelVariable header', async () => {
    const ports = fakePorts();
    await caseStatus(
      { ...job('x', { ...move({}), registerScheduledText: 'Registeränderung geplant auf 01.06.2025 (Umzugsdatum)' }), headers: { status: 'in_progress', labelVariable: 'registerScheduledText' } },
      ports,
    );
    expect(ports.statuses.at(-1)).toMatchObject({ status: 'in_progress', label: 'Registeränderung geplant auf 01.06.2025 (Umzugsdatum)' });
  });
  it('each moving family member is a person of the register', async () => {
    const members = [
      { firstName: 'Lia', lastName: 'Muster', dateOfBirth: '2018-04-01' },
      { firstName: 'Tim', lastName: 'Muster', dateOfBirth: '2020-09-15' },
    ];
    const vars = move({ householdMembers: members });
    expect(householdMembersOf(vars)).toEqual(members);
    expect((await moveAssess(job('x', vars), fakePorts())).variables).toMatchObject({ movingPersons: 3 });
    const ports = fakePorts();
    await registerMove(job('x', { ...vars, moveKind: 'inter', newMunicipality: 1024, newMunicipalityName: 'Emmen' }), ports);
    expect(ports.moves[0]!.persons).toEqual([{ firstName: 'Anna', lastName: 'Muster', dateOfBirth: expect.any(String) }, ...members]);
    expect(ports.moves[0]!.destination).toBe('Emmen: Gerliswilstrasse 7, 6020 Emmenbrücke (CH)');
  });
  it('a move-in from abroad carries the eCH-0010 foreign previous address; from another canton the Swiss town', async () => {
    const abroad = move({
      moveType: 'zuzug',
      newPostalCode: '6020',
      previousCountry: 'DE',
      previousTown: 'Berlin',
      previousPostalCode: '10117',
      previousStreet: 'Unter den Linden',
      previousHouseNumber: '5',
    });
    const assessed = await moveAssess(job('x', { ...abroad, municipality: 1024 }), fakePorts());
    expect(assessed.variables).toMatchObject({ moveKind: 'in', previousForeignAddress: { country: 'DE', town: 'Berlin', postalCode: '10117', street: 'Unter den Linden', houseNumber: '5' } });
    const ports = fakePorts();
    await registerMove(job('x', { ...abroad, municipality: 1024, moveKind: 'in', newMunicipality: 1024 }), ports);
    expect(ports.moves[0]).toMatchObject({
      fromBfs: null,
      toBfs: 1024,
      origin: { text: 'Berlin (DE)', foreignAddress: { country: 'DE', town: 'Berlin', postalCode: '10117', street: 'Unter den Linden', houseNumber: '5' } },
    });
    const canton = move({ moveType: 'zuzug', previousCountry: 'CH', previousTown: 'ignored' });
    await registerMove(job('x', { ...canton, municipality: 1024, moveKind: 'in', newMunicipality: 1024 }), ports);
    expect(ports.moves[1]!.origin).toMatchObject({ foreignAddress: null });
    // town only (street optional in eCH-0010)
    const minimal = await moveAssess(job('x', { ...move({ moveType: 'zuzug', previousCountry: 'IT', previousTown: 'Milano' }), municipality: 1024 }), fakePorts());
    expect(minimal.variables?.previousForeignAddress).toEqual({ country: 'IT', town: 'Milano' });
  });
});

describe('anwohnerparkkarte, fristerstreckung, betreibungsregisterauszug', () => {
  it('parking: main residence and own car automatic, company car reviewed, outside Luzern NOT_OFFERED', async () => {
    const vars = (data: Record<string, unknown>, municipality = 1061) =>
      caseVariables({ serviceKey: 'anwohnerparkkarte', municipality, data: { licencePlate: 'LU 12345', vehicleHolder: 'own', months: 3, ...data } });
    expect((await parkingAssess(job('x', vars({})), fakePorts())).variables).toMatchObject({ needsReview: false, feeCents: 18000, mainResidence: true });
    expect((await parkingAssess(job('x', vars({ vehicleHolder: 'company', months: 12 })), fakePorts())).variables).toMatchObject({ needsReview: true, companyCar: true, feeCents: 60000 });
    await expect(parkingAssess(job('x', vars({}, 1024)), fakePorts())).rejects.toMatchObject({ code: 'NOT_OFFERED' });
  });
  it('tax extension: routine up to 31 May, 31 August for self-employed or represented', async () => {
    expect(extensionRule({ taxYear: 2025, requestedUntil: '2026-05-31', selfEmployed: false, represented: false, today: '2026-02-15' }).autoGrant).toBe(true);
    expect(extensionRule({ taxYear: 2025, requestedUntil: '2026-06-30', selfEmployed: false, represented: false, today: '2026-02-15' }).autoGrant).toBe(false);
    expect(extensionRule({ taxYear: 2025, requestedUntil: '2026-08-31', selfEmployed: true, represented: false, today: '2026-02-15' }).autoGrant).toBe(true);
    expect(extensionRule({ taxYear: 2025, requestedUntil: '2026-08-31', selfEmployed: false, represented: true, today: '2026-02-15' }).autoGrant).toBe(true);
    expect(extensionRule({ taxYear: 2025, requestedUntil: '2026-09-30', selfEmployed: true, represented: true, today: '2026-02-15' }).autoGrant).toBe(false);
    const ok = await taxExtensionAssess(
      job('x', caseVariables({ data: { ahvNumber: ANNA_AHV, taxYear: 2024, requestedUntil: '2025-05-15', taxpayerType: 'employed', represented: false } })),
      fakePorts(),
    );
    expect(ok.variables).toMatchObject({ autoGrant: true, grantedUntil: '2025-05-15', standardDeadline: '2025-03-31' });
    await expect(taxExtensionAssess(job('x', caseVariables({ data: { ahvNumber: '756.0000.0000.00', taxYear: 2025, requestedUntil: '2026-05-15' } })), fakePorts())).rejects.toMatchObject({
      code: 'INVALID_DATA',
    });
  });
  it('debt extract: own extract automatic when found, third party reviewed or INVALID_REQUEST', async () => {
    const own = await debtExtractAssess(job('x', caseVariables({ data: { requestType: 'own' } })), fakePorts());
    expect(own.variables).toMatchObject({ autoIssue: true, feeCents: 1800, thirdParty: false });
    const third = await debtExtractAssess(
      job('x', caseVariables({ data: { requestType: 'third_party', subjectFirstName: 'Max', subjectLastName: 'Meier', subjectDateOfBirth: '1970-01-01', interestReason: 'Mietvertrag' } })),
      fakePorts(),
    );
    expect(third.variables).toMatchObject({ autoIssue: false, thirdParty: true });
    await expect(debtExtractAssess(job('x', caseVariables({ data: { requestType: 'third_party' } })), fakePorts())).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });
});

describe('invoice-create (Swiss QR-bill)', () => {
  it('issues a QR-bill PDF with the IBAN, the amount and a QR reference, and charges once', async () => {
    const ports = fakePorts();
    const vars = caseVariables({ reference: 'LU-2026-000123', serviceName: 'Hundeanmeldung', feeCents: 6000, feeLabel: 'Hundesteuer 2026, halber Ansatz' });
    const r = await invoiceCreate(job('invoice-create', vars), ports);
    expect(r.variables).toMatchObject({ invoicedCents: 6000, invoiceId: 'inv-1', paymentReference: '000000000000000020260001237' });
    expect(ports.invoices[0]).toMatchObject({ amountCents: 6000 });
    const { text } = await pdfText(ports.stored[0]!.content);
    expect(text).toContain('CH38 3080 8000 0010 0106 1');
    expect(text).toContain('60.00');
    expect(text).toContain('Stadt Luzern');
    expect(text).toContain('DEMO');
    await invoiceCreate(job('invoice-create', vars), ports);
    expect(ports.invoices).toHaveLength(1);
    expect(ports.stored).toHaveLength(1);
  });
  it('uses a creditor reference for an ordinary IBAN and charges nothing without a fee', async () => {
    const ports = fakePorts();
    ports.caseOrganisation = 'municipality:1024';
    const r = await invoiceCreate(job('invoice-create', caseVariables({ reference: 'LU-2026-000124', feeCents: 1800 })), ports);
    expect(r.variables).toMatchObject({ paymentReference: 'RF' + creditorReference('LU-2026-000124').slice(2) });
    const { text } = await pdfText(ports.stored[0]!.content);
    expect(text).toContain('CH93 0076 2011 6238 5295 7');
    expect(text).toContain('18.00');
    expect((await invoiceCreate(job('invoice-create', caseVariables({ feeCents: 0 }), {}, '99'), ports)).variables).toEqual({ invoicedCents: 0 });
  });
  it('fails technically without an IBAN', async () => {
    const ports = fakePorts();
    ports.caseOrganisation = 'canton:steuerverwaltung';
    await expect(invoiceCreate(job('invoice-create', caseVariables({ feeCents: 1800 })), ports)).rejects.toThrow(/IBAN/);
  });
});

describe('document-issue, escalate-to-teamlead, notify granted', () => {
  it('issues a dog registration confirmation and a rejection letter from the responsible organisation', async () => {
    const ports = fakePorts();
    const vars = caseVariables({
      serviceName: 'Hundeanmeldung',
      feeCents: 6000,
      taxYear: 2025,
      dogTaxRule: 'half',
      data: { ahvNumber: '7561234567897', dogName: 'Bello', breed: 'Labrador', dogBirthDate: '2025-02-10', chipNumber: '756098100123456', dogCategory: 'companion' },
    });
    await documentIssue(job('document-issue', vars, { template: 'dog-registration' }), ports);
    const { text } = await pdfText(ports.stored[0]!.content);
    expect(text).toContain('Bestätigung der Hundeanmeldung');
    expect(text).toContain('Bello');
    expect(text).toContain('CHF 60.00');
    expect(text).toContain('756.1234.5678.97');
    await documentIssue(job('document-issue', caseVariables({ comment: 'kein Nachweis' }), { template: 'rejection' }, '2'), ports);
    expect(ports.stored[1]).toMatchObject({ kind: 'decision', name: 'Entscheid-WB-2025-000123.pdf' });
    expect((await pdfText(ports.stored[1]!.content)).text).toContain('kein Nachweis');
    await expect(documentIssue(job('document-issue', caseVariables(), { template: 'nope' }), ports)).rejects.toThrow(/template/);
  });
  it('escalates to the team leads of the organisation of the task', async () => {
    const ports = fakePorts();
    await escalateToTeamlead(job('escalate-to-teamlead', caseVariables({ escalationMunicipality: 1024 }), { taskName: 'Zuzug prüfen' }), ports);
    expect(ports.mails.map((m) => m.to)).toEqual(['emmen.teamlead@demo.lu.ch']);
    expect(ports.events[0]).toMatchObject({ type: 'task.escalated' });
    expect(ports.events[0]!.label).toContain('Zuzug prüfen');
    const ports2 = fakePorts();
    await escalateToTeamlead(job('escalate-to-teamlead', caseVariables(), { taskName: 'Wohnsitz prüfen' }), ports2);
    expect(ports2.mails.map((m) => m.to)).toEqual(['luzern.teamlead@demo.lu.ch']);
  });
  it('mails a granted extension with the new deadline', async () => {
    const ports = fakePorts();
    await notifyApplicant(job('notify-applicant', caseVariables({ serviceName: 'Fristerstreckung Steuererklärung', grantedUntil: '2026-08-31' }), { template: 'granted' }), ports);
    expect(ports.mails[0]!.text).toContain('31.08.2026');
  });
});
