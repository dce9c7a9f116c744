import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import BpmnModdle, { type ModdleElement } from 'bpmn-moddle';
import zeebeSchema from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { workers } from './index.js';
import { registerLookup } from './register-lookup.js';
import { certificateGenerate } from './certificate-generate.js';
import { decisionLetter } from './decision-letter.js';
import { feeCharge } from './fee-charge.js';
import { notifyApplicant } from './notify-applicant.js';
import { caseStatus } from './case-status.js';
import { requestInformation } from './request-information.js';
import { annaMuster, caseVariables, fakePorts, job } from './testing/fake-ports.js';
import { pdfText } from './testing/pdf-text.js';

describe('register-lookup', () => {
  it('finds exactly one main-residence match (trimmed, case-insensitive)', async () => {
    const ports = fakePorts();
    const vars = caseVariables();
    vars.identity = { ...vars.identity!, firstName: '  anna ', lastName: 'MUSTER ' };
    const result = await registerLookup(job('register-lookup', vars), ports);
    expect(result.variables).toEqual({ residentFound: true, registerResult: 'found' });
    expect(ports.registerQueries[0]).toEqual({
      bfsNumber: 1061,
      firstName: 'anna',
      lastName: 'MUSTER',
      dateOfBirth: '1985-04-12',
    });
  });

  it('reports not_found for another municipality or date of birth', async () => {
    const ports = fakePorts();
    const r1 = await registerLookup(job('register-lookup', caseVariables({ municipality: 1024 })), ports);
    expect(r1.variables).toEqual({ residentFound: false, registerResult: 'not_found' });
    const vars = caseVariables();
    vars.identity = { ...vars.identity!, dateOfBirth: '1985-04-13' };
    const r2 = await registerLookup(job('register-lookup', vars), ports);
    expect(r2.variables).toEqual({ residentFound: false, registerResult: 'not_found' });
  });

  it('matches the verified identity, never the typed applicant data (DESIGN.md §6)', async () => {
    const ports = fakePorts();
    // anonymous: Anna's name and birth date typed in, no identity → nobody found, a person checks
    const anonymous = await registerLookup(job('register-lookup', caseVariables({ identity: undefined })), ports);
    expect(anonymous.variables).toEqual({ residentFound: false, registerResult: 'not_found' });
    // signed in as Max Neu, typing Anna's data → Max is looked up, not Anna
    const max = caseVariables({ identity: { firstName: 'Max', lastName: 'Neu', dateOfBirth: '1990-02-02' } });
    expect((await registerLookup(job('register-lookup', max), ports)).variables).toEqual({ residentFound: false, registerResult: 'not_found' });
    expect(ports.registerQueries.at(-1)).toMatchObject({ firstName: 'Max', lastName: 'Neu', dateOfBirth: '1990-02-02' });
  });

  it('refuses a match whose AHV number contradicts the identity', async () => {
    const ports = fakePorts({ residents: [{ ...annaMuster, ahvNumber: '756.1234.5678.97' }] });
    const wrong = caseVariables({ identity: { firstName: 'Anna', lastName: 'Muster', dateOfBirth: '1985-04-12', ahvNumber: '756.9999.9999.91' } });
    expect((await registerLookup(job('register-lookup', wrong), ports)).variables).toEqual({ residentFound: false, registerResult: 'not_found' });
    const right = caseVariables({ identity: { firstName: 'Anna', lastName: 'Muster', dateOfBirth: '1985-04-12', ahvNumber: '756.1234.5678.97' } });
    expect((await registerLookup(job('register-lookup', right), ports)).variables).toEqual({ residentFound: true, registerResult: 'found' });
    // the same number without dots, as providers send it
    const plain = caseVariables({ identity: { firstName: 'Anna', lastName: 'Muster', dateOfBirth: '1985-04-12', ahvNumber: '7561234567897' } });
    expect((await registerLookup(job('register-lookup', plain), ports)).variables).toEqual({ residentFound: true, registerResult: 'found' });
  });

  it('reports ambiguous for several matches', async () => {
    const ports = fakePorts({ residents: [annaMuster, { ...annaMuster, id: 2 }] });
    const r = await registerLookup(job('register-lookup'), ports);
    expect(r.variables).toEqual({ residentFound: false, registerResult: 'ambiguous' });
  });

  it('reports secondary_residence', async () => {
    const ports = fakePorts({ residents: [{ ...annaMuster, residenceType: 'secondary' }] });
    const r = await registerLookup(job('register-lookup'), ports);
    expect(r.variables).toEqual({ residentFound: false, registerResult: 'secondary_residence' });
  });

  it('reports data_lock', async () => {
    const ports = fakePorts({ residents: [{ ...annaMuster, dataLock: true }] });
    const r = await registerLookup(job('register-lookup'), ports);
    expect(r.variables).toEqual({ residentFound: false, registerResult: 'data_lock' });
  });
});

describe('certificate-generate', () => {
  it('stores a real PDF with name, birth date, municipality and reference', async () => {
    const ports = fakePorts();
    const vars = caseVariables({ data: { purpose: 'Vorlage beim Arbeitgeber', copies: 2 } });
    const result = await certificateGenerate(job('certificate-generate', vars), ports);
    expect(result.variables).toEqual({ certificateDocumentId: 'doc-1' });

    const [doc] = ports.stored;
    expect(doc).toMatchObject({
      caseReference: 'WB-2025-000123',
      jobKey: '2251799813685249',
      kind: 'certificate',
      name: 'Wohnsitzbestaetigung-WB-2025-000123.pdf',
      contentType: 'application/pdf',
    });
    expect(doc!.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const { text, numpages } = await pdfText(doc!.content);
    expect(numpages).toBe(1);
    expect(text).toContain('Wohnsitzbestätigung');
    expect(text).toContain('Anna Muster');
    expect(text).toContain('12.04.1985');
    expect(text).toContain('Stadt Luzern');
    expect(text).toContain('WB-2025-000123');
    expect(text).toContain('Pilatusstrasse 12');
    expect(text).toContain('Hauptwohnsitz seit 01.03.2010');
    expect(text).toContain('02.05.2025'); // issue date from the clock
    expect(text).toContain('Vorlage beim Arbeitgeber');
  });

  it('uses the submitted address on the human path without a register match', async () => {
    const ports = fakePorts({ residents: [] });
    ports.caseOrganisation = 'municipality:1024';
    const vars = caseVariables({ municipality: 1024 });
    vars.applicant = {
      ...vars.applicant,
      address: { street: 'Gerliswilstrasse', houseNumber: '3a', postalCode: '6020', town: 'Emmenbrücke' },
    };
    await certificateGenerate(job('certificate-generate', vars), ports);
    const { text } = await pdfText(ports.stored[0]!.content);
    expect(text).toContain('Gemeinde Emmen');
    expect(text).toContain('Gerliswilstrasse 3a');
    expect(text).not.toMatch(/Hauptwohnsitz\s+seit/);
  });

  it('is idempotent per job (a retry returns the first document)', async () => {
    const ports = fakePorts();
    const a = await certificateGenerate(job('certificate-generate'), ports);
    const b = await certificateGenerate(job('certificate-generate'), ports);
    expect(a).toEqual(b);
    expect(ports.stored).toHaveLength(1);
  });

  it('fails technically for an unknown municipality', async () => {
    await expect(certificateGenerate(job('certificate-generate', caseVariables({ municipality: 9999 })), fakePorts())).rejects.toThrow(/municipality/);
  });
});

describe('decision-letter', () => {
  it('stores a rejection letter with the clerk comment', async () => {
    const ports = fakePorts();
    const vars = caseVariables({ comment: 'Keine Anmeldung in der Gemeinde gefunden.' });
    const result = await decisionLetter(job('decision-letter', vars), ports);
    expect(result.variables).toEqual({ decisionDocumentId: 'doc-1' });
    expect(ports.stored[0]).toMatchObject({ kind: 'decision', contentType: 'application/pdf' });
    const { text } = await pdfText(ports.stored[0]!.content);
    expect(text).toContain('Ablehnung Ihres Gesuchs');
    expect(text).toContain('Keine Anmeldung in der Gemeinde gefunden.');
    expect(text).toContain('WB-2025-000123');
    expect(text).not.toContain('ß');
  });
});

describe('fee-charge', () => {
  it('charges the fee once for the one PDF issued, whatever the number of copies asked for', async () => {
    const ports = fakePorts();
    const vars = caseVariables({ data: { copies: 3 } });
    const result = await feeCharge(job('fee-charge', vars), ports);
    expect(result.variables).toEqual({ feeCents: 3000, invoiceId: 'inv-1' });
    expect(ports.invoices[0]).toMatchObject({
      caseReference: 'WB-2025-000123',
      jobKey: '2251799813685249',
      amountCents: 3000,
    });
    expect(ports.invoices[0]!.description).toContain('Wohnsitzbestätigung');
    expect(ports.invoices[0]!.description).not.toContain('Exemplare');
  });

  it('defaults to one copy', async () => {
    const ports = fakePorts();
    const result = await feeCharge(job('fee-charge', caseVariables({ data: {} })), ports);
    expect(result.variables).toEqual({ feeCents: 3000, invoiceId: 'inv-1' });
  });

  it('charges nothing when the service is free there', async () => {
    const ports = fakePorts({ fee: null });
    const result = await feeCharge(job('fee-charge'), ports);
    expect(result.variables).toEqual({ feeCents: 0 });
    expect(ports.invoices).toHaveLength(0);
  });
});

describe('notify-applicant', () => {
  for (const template of ['received', 'completed', 'rejected']) {
    it(`composes the "${template}" mail in Swiss German`, async () => {
      const ports = fakePorts();
      const vars = caseVariables({ feeCents: 3000 });
      await notifyApplicant(job('notify-applicant', vars, { template }), ports);
      const [mail] = ports.mails;
      expect(mail!.to).toBe('anna.muster@example.ch');
      expect(mail!.dedupeKey).toBe('2251799813685249');
      expect(mail!.subject).toContain('WB-2025-000123');
      expect(mail!.text).toContain('Guten Tag Anna Muster');
      expect(mail!.text).toContain('WB-2025-000123');
      expect(mail!.text).toContain('http://127.0.0.1:3000/portal/gesuche/WB-2025-000123');
      expect(mail!.text).toMatch(/Zugriffsschlüssel/);
      expect(mail!.text).toContain('Wohnsitzbestätigung');
      expect(mail!.subject + mail!.text).not.toContain('ß');
      if (template === 'completed') expect(mail!.text).toContain('CHF 30.00');
    });
  }

  it('is generic without a known service name', async () => {
    const ports = fakePorts();
    await notifyApplicant(job('notify-applicant', caseVariables({ serviceKey: 'something-else' }), { template: 'received' }), ports);
    expect(ports.mails[0]!.text).toContain('Ihr Gesuch ist bei uns eingegangen');
  });

  it('sends once per job however often it is retried', async () => {
    const ports = fakePorts();
    const j = job('notify-applicant', caseVariables(), { template: 'received' });
    await notifyApplicant(j, ports);
    await notifyApplicant(j, ports);
    expect(ports.mails).toHaveLength(1);
  });

  it('rejects an unknown template', async () => {
    await expect(notifyApplicant(job('notify-applicant', caseVariables(), { template: 'bogus' }), fakePorts())).rejects.toThrow(/template/);
  });
});

describe('request-information', () => {
  it('asks the applicant by mail and leaves their name and the staff question as written', async () => {
    const ports = fakePorts();
    const base = caseVariables();
    const vars = { ...caseVariables({ applicant: { ...base.applicant, lastName: 'Weiß' } }), infoRequestMessage: 'Bitte Mietvertrag (Strasse) beilegen.' };
    await requestInformation(job('request-information', vars), ports);
    expect(ports.statuses).toEqual([expect.objectContaining({ reference: 'WB-2025-000123', status: 'waiting_for_applicant' })]);
    const [mail] = ports.mails;
    expect(mail!.subject).toBe('Rückfrage zu Ihrem Gesuch (Referenz WB-2025-000123)');
    expect(mail!.text).toContain('Guten Tag Anna Weiß');
    expect(mail!.text).toContain('Bitte Mietvertrag (Strasse) beilegen.');
    // the link opens the portal's status page, where the question is answered
    expect(mail!.text).toContain('http://127.0.0.1:3000/portal/gesuche/WB-2025-000123');
  });
});

describe('case-status', () => {
  it('sets the status with its label', async () => {
    const ports = fakePorts();
    await caseStatus(job('case-status', caseVariables(), { status: 'completed', label: 'Bestätigung ausgestellt' }), ports);
    expect(ports.statuses).toEqual([{ reference: 'WB-2025-000123', status: 'completed', label: 'Bestätigung ausgestellt' }]);
  });

  it('rejects a bad status header', async () => {
    const ports = fakePorts();
    await expect(caseStatus(job('case-status', caseVariables(), { status: 'done' }), ports)).rejects.toThrow(/status/);
    await expect(caseStatus(job('case-status', caseVariables(), {}), ports)).rejects.toThrow(/status/);
    expect(ports.statuses).toHaveLength(0);
  });
});

describe('workers index', () => {
  it('has a handler for every job type the processes use, and no handler that no process uses', async () => {
    const used = await jobTypesOfProcesses(path.resolve(import.meta.dirname, '..', 'processes'));
    // a sanity floor: a broken parser that finds nothing must not pass as "all covered"
    expect(used.size).toBeGreaterThanOrEqual(10);
    const missing = [...used].filter((type) => !(type in workers)).sort();
    const unused = Object.keys(workers)
      .filter((type) => !used.has(type))
      .sort();
    expect({ missing, unused }).toEqual({ missing: [], unused: [] });
  });
});

/** Every `zeebe:taskDefinition` type in processes/<service>/*.bpmn, parsed with bpmn-moddle. */
async function jobTypesOfProcesses(processesDir: string): Promise<Set<string>> {
  const moddle = new BpmnModdle({ zeebe: zeebeSchema });
  const files = (await readdir(processesDir, { recursive: true })).filter((f) => f.endsWith('.bpmn'));
  expect(files.length).toBeGreaterThan(0);
  const types = new Set<string>();
  for (const file of files) {
    const { elementsById, warnings } = await moddle.fromXML(await readFile(path.join(processesDir, file), 'utf8'), 'bpmn:Definitions');
    expect(
      warnings.map((w) => w.message),
      file,
    ).toEqual([]);
    for (const element of Object.values(elementsById)) {
      const extensions = (element.extensionElements as ModdleElement | undefined)?.values as ModdleElement[] | undefined;
      for (const ext of extensions ?? []) {
        if (!ext.$instanceOf('zeebe:TaskDefinition')) continue;
        const type = String(ext.type ?? '');
        // a FEEL expression would be decided at run time: this check could not vouch for it
        expect(type.startsWith('='), `${file} ${String(element.id)}: job type is an expression`).toBe(false);
        types.add(type);
      }
    }
  }
  return types;
}
