/** Unit tests of the address inquiry (adressauskunft) and data lock (datensperre) workers over fake ports. */
import { describe, expect, it } from 'vitest';
import type { Resident } from '../model/types.js';
import { addressInformationIssue, addressInquiryAssess, addressToRelease, DATA_LOCK_REASON, subjectOf } from './adressauskunft.js';
import { dataLockAssess, dataLockRecord } from './datensperre.js';
import { annaMuster, caseVariables, fakePorts, job } from './testing/fake-ports.js';
import { pdfText } from './testing/pdf-text.js';

const beat: Resident = {
  id: 2,
  bfsNumber: 1061,
  firstName: 'Beat',
  lastName: 'Zimmermann',
  dateOfBirth: '1972-11-03',
  address: { street: 'Haldenstrasse', houseNumber: '8', postalCode: '6006', town: 'Luzern' },
  residenceType: 'main',
  dataLock: true,
  movedInOn: '1999-03-15',
};
const daniel: Resident = {
  id: 4,
  bfsNumber: 1061,
  firstName: 'Daniel',
  lastName: 'Steiner',
  dateOfBirth: '1990-01-30',
  address: { street: 'Baselstrasse', houseNumber: '17', postalCode: '6003', town: 'Luzern' },
  residenceType: 'main',
  dataLock: false,
  movedInOn: '2018-06-01',
  ahvNumber: '756.9217.0769.85',
};
const register = () => [{ ...annaMuster }, { ...beat }, { ...daniel }];

/** Anna asks about someone; `data` names the person. */
const inquiry = (data: Record<string, unknown>) =>
  caseVariables({ serviceKey: 'adressauskunft', reference: 'AA-2025-000001', data: { interestReason: 'Rückgabe der Mietkaution', identifiedBy: 'birthDate', ...data } });

describe('adressauskunft: address-inquiry-assess', () => {
  it('one record without a lock: releases name and current address, nothing else of the register', async () => {
    const ports = fakePorts({ residents: register() });
    const result = await addressInquiryAssess(job('address-inquiry-assess', inquiry({ subjectFirstName: 'daniel', subjectLastName: 'STEINER', subjectDateOfBirth: '1990-01-30' })), ports);
    expect(result.variables).toEqual({
      inquiryOutcome: 'release',
      releasedAddress: { firstName: 'Daniel', lastName: 'Steiner', street: 'Baselstrasse', houseNumber: '17', postalCode: '6003', town: 'Luzern' },
    });
    // birth date, AHV number, residence type and moving-in date stay in the register
    const json = JSON.stringify(result.variables);
    for (const secret of ['1990-01-30', '756.9217', 'main', '2018-06-01']) expect(json).not.toContain(secret);
  });

  it('by name and last known street as well', async () => {
    const ports = fakePorts({ residents: register() });
    const result = await addressInquiryAssess(
      job('address-inquiry-assess', inquiry({ identifiedBy: 'lastAddress', subjectFirstName: 'Daniel', subjectLastName: 'Steiner', subjectLastKnownStreet: 'baselstrasse' })),
      ports,
    );
    expect(result.variables).toMatchObject({ inquiryOutcome: 'release' });
  });

  it('a resident with a data lock: refused with the reason, and the address never enters the process', async () => {
    const ports = fakePorts({ residents: register() });
    const result = await addressInquiryAssess(job('address-inquiry-assess', inquiry({ subjectFirstName: 'Beat', subjectLastName: 'Zimmermann', subjectDateOfBirth: '1972-11-03' })), ports);
    expect(result.variables).toEqual({ inquiryOutcome: 'refuse', releasedAddress: null, decisionReason: DATA_LOCK_REASON });
    expect(JSON.stringify(result.variables)).not.toContain('Haldenstrasse');
    expect(DATA_LOCK_REASON).toMatch(/Datensperre/);
  });

  it('not found, found twice or in another municipality: a clerk reviews', async () => {
    const twin = { ...daniel, id: 9, address: { ...daniel.address, street: 'Museggstrasse' } };
    const unknown = await addressInquiryAssess(job('x', inquiry({ subjectFirstName: 'Max', subjectLastName: 'Unbekannt', subjectDateOfBirth: '1970-01-01' })), fakePorts({ residents: register() }));
    expect(unknown.variables).toMatchObject({ inquiryOutcome: 'review', releasedAddress: null });
    const twice = await addressInquiryAssess(
      job('x', inquiry({ identifiedBy: 'birthDate', subjectFirstName: 'Daniel', subjectLastName: 'Steiner', subjectDateOfBirth: '1990-01-30' })),
      fakePorts({ residents: [...register(), twin] }),
    );
    expect(twice.variables).toMatchObject({ inquiryOutcome: 'review' });
    const elsewhere = await addressInquiryAssess(
      job('x', { ...inquiry({ subjectFirstName: 'Daniel', subjectLastName: 'Steiner', subjectDateOfBirth: '1990-01-30' }), municipality: 1024 }),
      fakePorts({ residents: register() }),
    );
    expect(elsewhere.variables).toMatchObject({ inquiryOutcome: 'review' });
  });

  it('names the person only by the way the form chose (a hidden birth date is not used)', () => {
    expect(subjectOf({ subjectFirstName: 'A', subjectLastName: 'B', identifiedBy: 'lastAddress', subjectDateOfBirth: '1990-01-01' })).toBeUndefined();
    expect(subjectOf({ subjectFirstName: 'A', subjectLastName: 'B', identifiedBy: 'birthDate', subjectDateOfBirth: '1990-01-01' })).toEqual({
      firstName: 'A',
      lastName: 'B',
      dateOfBirth: '1990-01-01',
      street: undefined,
    });
  });
});

describe('adressauskunft: address-information-issue', () => {
  it('the letter shows name and address of the person asked about, not their birth date', async () => {
    const ports = fakePorts({ residents: register() });
    const vars = inquiry({ subjectFirstName: 'Daniel', subjectLastName: 'Steiner', subjectDateOfBirth: '1990-01-30' });
    const assessed = await addressInquiryAssess(job('address-inquiry-assess', vars), ports);
    const issued = await addressInformationIssue(job('address-information-issue', { ...vars, ...assessed.variables }), ports);
    expect(issued.variables).toEqual({ certificateDocumentId: 'doc-1' });
    expect(ports.stored[0]).toMatchObject({ kind: 'certificate', name: 'Adressauskunft-AA-2025-000001.pdf', contentType: 'application/pdf' });
    const { text } = await pdfText(ports.stored[0]!.content);
    expect(text).toContain('Daniel Steiner');
    expect(text).toContain('Baselstrasse 17, 6003 Luzern');
    expect(text).not.toContain('30.01.1990');
  });

  it('after a review the clerk-entered address is released; without any address the job fails technically', async () => {
    const vars = { ...inquiry({ subjectFirstName: 'Daniel', subjectLastName: 'Steiner', subjectDateOfBirth: '1990-01-30' }), releasedAddress: null };
    expect(addressToRelease({ ...vars, releasedStreet: 'Museggstrasse', releasedHouseNumber: '3', releasedPostalCode: '6004', releasedTown: 'Luzern' })).toEqual({
      firstName: 'Daniel',
      lastName: 'Steiner',
      street: 'Museggstrasse',
      houseNumber: '3',
      postalCode: '6004',
      town: 'Luzern',
    });
    await expect(addressInformationIssue(job('address-information-issue', vars), fakePorts())).rejects.toThrow(/no address to release/);
  });
});

describe('datensperre workers', () => {
  const lockCase = (overrides: Record<string, unknown> = {}) =>
    caseVariables({
      serviceKey: 'datensperre',
      reference: 'DS-2025-000001',
      data: {},
      identity: { firstName: 'Daniel', lastName: 'Steiner', dateOfBirth: '1990-01-30', assurance: null },
      applicant: { firstName: 'Daniel', lastName: 'Steiner', dateOfBirth: '1990-01-30', email: 'd@example.ch', address: daniel.address },
      ...overrides,
    });

  it('the verified person found in the register: locked without a clerk, idempotently, and the address inquiry then refuses', async () => {
    const ports = fakePorts({ residents: register() });
    expect((await dataLockAssess(job('data-lock-assess', lockCase()), ports)).variables).toMatchObject({ autoLock: true });
    const recorded = await dataLockRecord(job('data-lock-record', lockCase()), ports);
    expect(recorded.variables).toMatchObject({ dataLockRecorded: true, certificateDocumentId: 'doc-1' });
    expect(ports.dataLocks).toEqual([{ residentId: 4, bfsNumber: 1061, locked: true }]);
    expect(ports.residents.find((r) => r.id === 4)!.dataLock).toBe(true);
    expect(ports.events.find((e) => e.type === 'data-lock.recorded')).toMatchObject({ label: 'Datensperre im Einwohnerregister eingetragen', public: true });
    expect((await pdfText(ports.stored[0]!.content)).text).toContain('gesperrt');

    // a retried job changes nothing twice
    await dataLockRecord(job('data-lock-record', lockCase()), ports);
    expect(ports.events.filter((e) => e.type === 'data-lock.recorded').map((e) => e.label)).toEqual(['Datensperre im Einwohnerregister eingetragen', 'Datensperre bestand bereits']);

    const after = await addressInquiryAssess(job('x', inquiry({ subjectFirstName: 'Daniel', subjectLastName: 'Steiner', subjectDateOfBirth: '1990-01-30' })), ports);
    expect(after.variables).toMatchObject({ inquiryOutcome: 'refuse', releasedAddress: null });
  });

  it('only the verified identity counts: an anonymous or unknown person goes to a clerk, never locks by typed data', async () => {
    const ports = fakePorts({ residents: register() });
    expect((await dataLockAssess(job('x', lockCase({ identity: undefined })), ports)).variables).toMatchObject({ autoLock: false, registerResult: 'not_found' });
    const stranger = lockCase({ identity: { firstName: 'Max', lastName: 'Neu', dateOfBirth: '1990-02-02', assurance: null } });
    expect((await dataLockAssess(job('x', stranger), ports)).variables).toMatchObject({ autoLock: false });
    await expect(dataLockRecord(job('data-lock-record', stranger), ports)).rejects.toMatchObject({ code: 'NOT_IN_REGISTER' });
    expect(ports.dataLocks).toEqual([]);
  });

  it('after a clerk identified the record by its register name, that record is locked', async () => {
    const ports = fakePorts({ residents: register() });
    const reviewed = lockCase({
      identity: { firstName: 'Dani', lastName: 'Steiner', dateOfBirth: '1990-01-30', assurance: null },
      approved: true,
      registerFirstName: 'Daniel',
      registerLastName: 'Steiner',
      registerDateOfBirth: '1990-01-30',
    });
    await dataLockRecord(job('data-lock-record', reviewed), ports);
    expect(ports.dataLocks).toEqual([{ residentId: 4, bfsNumber: 1061, locked: true }]);
  });
});
