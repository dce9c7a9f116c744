/**
 * The Lucerne rules of issue 16, each with the case that the old behaviour got wrong
 * (sources next to the rules in the workers and in model/working-days.ts).
 */
import { describe, expect, it } from 'vitest';
import { moveAssess } from './umzug.js';
import { dogRegistrationCheck } from './hundeanmeldung.js';
import { parkingAssess, plateCanton } from './anwohnerparkkarte.js';
import { taxExtensionAssess } from './fristerstreckung-steuern.js';
import { feeCharge } from './fee-charge.js';
import { parkingFeeCents } from './lib/fees.js';
import { extensionRule, grantedDeadline } from '../model/tax-extension.js';
import { composeMail } from '../model/mail-templates.js';
import { caseVariables, fakePorts, job } from './testing/fake-ports.js';
import type { FakePorts } from './testing/fake-ports.js';

/** fake ports whose clock reads `iso` */
function portsAt(iso: string): FakePorts {
  const ports = fakePorts();
  ports.clock = { now: () => new Date(iso) };
  return ports;
}

describe('umzug: the 14-day report deadline in the clerk form', () => {
  const move = (movingDate: string) =>
    caseVariables({
      serviceKey: 'umzug',
      data: { moveType: 'innerhalb', movingDate, newStreet: 'Gerliswilstrasse', newHouseNumber: '7', newPostalCode: '6020', newTown: 'Emmenbrücke', newCountry: 'CH', householdMembers: [] },
    });

  it('a deadline ending on 8 December runs to the 9th: a report on the 9th is in time', async () => {
    const result = await moveAssess(job('move-assess', move('2026-11-24')), portsAt('2026-12-09T10:00:00Z'));
    expect(result.variables).toMatchObject({ reportDeadline: '2026-12-09', lateReport: false, reportDeadlineText: '09.12.2026 (14 Tage ab Umzug; rechtzeitig gemeldet)' });
  });

  it('a report after the deadline is marked late', async () => {
    const result = await moveAssess(job('move-assess', move('2026-11-24')), portsAt('2026-12-10T10:00:00Z'));
    expect(result.variables).toMatchObject({ lateReport: true, reportDeadlineText: '09.12.2026 (14 Tage ab Umzug; verspätet gemeldet)' });
  });
});

describe('hundeanmeldung', () => {
  const dog = (data: Record<string, unknown>) =>
    caseVariables({
      serviceKey: 'hundeanmeldung',
      data: {
        ahvNumber: '756.1234.5678.97',
        dogName: 'Bello',
        breed: 'Labrador',
        dogBirthDate: '2024-04-01',
        chipNumber: '756098100123456',
        dogCategory: 'companion',
        exemptionRequested: false,
        ...data,
      },
    });

  it('an exemption request for a companion dog goes to a person instead of being silently charged CHF 120', async () => {
    const result = await dogRegistrationCheck(job('dog-registration-check', dog({ exemptionRequested: true, exemptionReason: 'Therapiehund' })), fakePorts());
    expect(result.variables).toMatchObject({ exemptionDecisionNeeded: true, exemptionCategoryEligible: false });
  });

  it('the same chip twice is refused while the first registration stands', async () => {
    const ports = fakePorts();
    ports.standingCases.push({ serviceKey: 'hundeanmeldung', reference: 'LU-2026-000001', data: { chipNumber: '756098100123456' } }); // the start form allows 15 digits only
    await expect(dogRegistrationCheck(job('x', dog({})), ports)).rejects.toMatchObject({ code: 'INVALID_DATA', message: expect.stringContaining('bereits angemeldet') });
    // the case itself (a retried job) and other services do not count
    ports.standingCases.splice(0, 1, { serviceKey: 'hundeanmeldung', reference: caseVariables().reference, data: { chipNumber: '756098100123456' } });
    ports.standingCases.push({ serviceKey: 'umzug', reference: 'LU-2026-000002', data: { note: '756098100123456' } });
    await expect(dogRegistrationCheck(job('x', dog({})), ports)).resolves.toBeTruthy();
  });

  it('a birth date in the future is refused (INVALID_DATA)', async () => {
    await expect(dogRegistrationCheck(job('x', dog({ dogBirthDate: '2026-12-24' })), portsAt('2026-12-02T10:00:00Z'))).rejects.toMatchObject({
      code: 'INVALID_DATA',
      message: expect.stringContaining('Zukunft'),
    });
    await expect(dogRegistrationCheck(job('x', dog({ dogBirthDate: '2026-12-02' })), portsAt('2026-12-02T10:00:00Z'))).resolves.toBeTruthy();
  });
});

describe('anwohnerparkkarte', () => {
  const permit = (data: Record<string, unknown>) => caseVariables({ serviceKey: 'anwohnerparkkarte', data: { licencePlate: 'LU 12345', vehicleHolder: 'own', months: 3, ...data } });

  it('11 months cost CHF 660 (CHF 60 a month), 12 months the yearly CHF 600', () => {
    expect(parkingFeeCents(11)).toBe(66_000);
    expect(parkingFeeCents(12)).toBe(60_000);
    expect(parkingFeeCents(10)).toBe(60_000);
  });

  it('a car with another canton’s plate is not issued automatically', async () => {
    expect(plateCanton('ZH 123456')).toBe('ZH');
    expect(plateCanton('lu 1')).toBe('LU');
    const zurich = await parkingAssess(job('parking-assess', permit({ licencePlate: 'ZH 123456' })), fakePorts());
    expect(zurich.variables).toMatchObject({ needsReview: true, reviewReasons: expect.stringContaining('Kontrollschild ZH') });
    const lucerne = await parkingAssess(job('parking-assess', permit({})), fakePorts());
    expect(lucerne.variables).toMatchObject({ needsReview: false });
  });
});

describe('fristerstreckung-steuern (Steuerbuch Luzern, Band 2)', () => {
  const request = (over: Partial<Parameters<typeof extensionRule>[0]>) =>
    extensionRule({ taxYear: 2025, requestedUntil: '2026-05-31', selfEmployed: false, represented: false, today: '2026-02-15', ...over });

  it('declines a past date, a request after 31 August, a future tax year and a date beyond the year end without a reason', () => {
    expect(request({ requestedUntil: '2026-02-01' }).declined).toContain('Vergangenheit');
    expect(request({ requestedUntil: '2026-03-15' }).declined).toContain('ohnehin');
    expect(request({ requestedUntil: '2026-10-31', today: '2026-09-01', reason: 'Krankheit' }).declined).toContain('31. August');
    expect(request({ taxYear: 2029, requestedUntil: '2030-05-31' }).declined).toContain('2029');
    expect(request({ requestedUntil: '2030-05-31' }).declined).toContain('Begründung');
    expect(request({ requestedUntil: '2030-05-31' }).autoGrant).toBe(false);
    // beyond the year end with a reason: a person decides
    expect(request({ requestedUntil: '2027-01-31', reason: 'Auslandaufenthalt' })).toMatchObject({ declined: null, autoGrant: false });
    expect(request({})).toMatchObject({ declined: null, autoGrant: true });
  });

  it('the worker raises INVALID_DATA with the reason (the case is declined with a letter, not sent to a person)', async () => {
    const vars = caseVariables({
      serviceKey: 'fristerstreckung-steuern',
      data: { ahvNumber: '756.1234.5678.97', taxYear: 2025, requestedUntil: '2026-06-30', taxpayerType: 'employed', represented: false },
    });
    await expect(taxExtensionAssess(job('tax-extension-assess', vars), portsAt('2026-09-02T08:00:00Z'))).rejects.toMatchObject({ code: 'INVALID_DATA' });
    await expect(taxExtensionAssess(job('tax-extension-assess', vars), portsAt('2026-02-02T08:00:00Z'))).resolves.toMatchObject({ variables: { autoGrant: false, declined: null } });
  });

  it('a clerk’s approval cannot shorten the deadline the rules give anyway', () => {
    expect(grantedDeadline({ grantedUntil: '2026-04-15', requestedUntil: '2026-09-30', routineLimit: '2026-08-31' })).toBe('2026-08-31');
    expect(grantedDeadline({ grantedUntil: '2026-10-15', requestedUntil: '2026-09-30', routineLimit: '2026-08-31' })).toBe('2026-10-15');
    const mail = composeMail('granted', { ...caseVariables(), grantedUntil: '2026-04-15', routineLimit: '2026-05-31' }, 'http://x');
    expect(mail.text).toContain('31.05.2026');
  });
});

describe('wohnsitzbestaetigung fee and mail', () => {
  it('one PDF, one fee: two copies asked for cost the fee once', async () => {
    const ports = fakePorts();
    const result = await feeCharge(job('fee-charge', caseVariables({ data: { copies: 2 } })), ports);
    expect(result.variables).toMatchObject({ feeCents: 3000 });
  });

  it('the completion mail announces no invoice where none is issued, and points to the QR-bill where one is', () => {
    const without = composeMail('completed', { ...caseVariables(), feeCents: 3000 }, 'http://x');
    expect(without.text).toContain('CHF 30.00');
    expect(without.text).not.toContain('Rechnung');
    const withInvoice = composeMail('completed', { ...caseVariables(), feeCents: 12000, invoiceDocumentId: 'doc-2' }, 'http://x');
    expect(withInvoice.text).toContain('Die Rechnung (QR-Rechnung) finden Sie bei den Dokumenten');
  });
});
