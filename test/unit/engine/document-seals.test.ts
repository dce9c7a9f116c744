/**
 * Issued PDFs are PDF/A-2b and carry the electronic seal of their organisation (issue 16 item 4):
 * a letter and a QR invoice, sealed with the demo seals the server generates, checked with
 * poppler's pdfsig and pdffonts (poppler-utils; missing tools fail the test).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDocumentSeals, generateDemoSeal } from '../../../server/engine/document-seals';
import { renderLetter } from '../../../workers/pdf';
import { renderQrInvoice } from '../../../workers/lib/qr-invoice';
import { sealOf } from '../../../workers/lib/sealed-pdf';
import { fakePorts, demoOrganisations } from '../../../workers/testing/fake-ports';
import { pdfText } from '../../../workers/testing/pdf-text';
import { poppler } from '../../../workers/testing/poppler';

const stadtLuzern = demoOrganisations[0]!;
const emmen = demoOrganisations[1]!;
const createdAt = new Date('2026-11-23T10:00:00Z');

/** A demo-mode port as the server wires it; the workers' ports with it. */
function demoPorts() {
  const ports = fakePorts();
  ports.seals = createDocumentSeals({ dir: undefined, passphrase: '', demo: true });
  return ports;
}

function expectPdfA(pdf: Buffer, fonts: string) {
  const raw = pdf.toString('latin1');
  // XMP identification (ISO 19005-2 6.6.4) and the output intent (6.2.3)
  expect(raw).toMatch(/<pdfaid:part>2<\/pdfaid:part>\s*<pdfaid:conformance>B<\/pdfaid:conformance>/);
  expect(raw).toMatch(/\/S \/GTS_PDFA1/);
  expect(raw.startsWith('%PDF-1.7')).toBe(true);
  // every font embedded: pdffonts' rows after the two header lines, column "emb"
  const rows = fonts.trim().split('\n').slice(2);
  expect(rows.length).toBeGreaterThanOrEqual(2);
  for (const row of rows) expect(row).toMatch(/^\S+\+LiberationSans(-Bold)?\s+CID TrueType\s+Identity-H\s+yes yes yes/);
}

describe('sealed PDF/A-2b documents', () => {
  it('seals a letter with the organisation’s demo seal: one valid signature over the whole file, fonts embedded, PDF/A markers', async () => {
    const ports = demoPorts();
    const pdf = await renderLetter({
      organisation: stadtLuzern.name,
      department: 'Einwohnerdienste',
      recipient: ['Anna Muster', 'Pilatusstrasse 12', '6003 Luzern'],
      placeAndDate: 'Luzern, 23.11.2026',
      title: 'Wohnsitzbestätigung',
      blocks: [{ kind: 'paragraph', text: 'Die Einwohnerdienste bestätigen …' }],
      footer: 'Referenz: WB-2026-000001',
      createdAt,
      seal: await sealOf(ports, stadtLuzern),
    });

    const report = await poppler('pdfsig', pdf);
    expect(report).toContain('Signature #1:');
    expect(report).not.toContain('Signature #2:');
    expect(report).toContain('Signer Certificate Common Name: DEMO Stadt Luzern');
    expect(report).toContain('Signature Type: adbe.pkcs7.detached');
    expect(report).toContain('Total document signed');
    expect(report).toContain('Signature Validation: Signature is Valid.');
    // self-signed demo certificate: not trusted, and that is what pdfsig says
    expect(report).toMatch(/Certificate Validation: (Certificate issuer is unknown|Certificate is Not Trusted|Unknown issue with Certificate or corrupted data)\./);
    expectPdfA(pdf, await poppler('pdffonts', pdf));
    const { text } = await pdfText(pdf);
    expect(text.replace(/\s+/g, ' ')).toContain('Dieses Dokument ist mit dem elektronischen Siegel der Stadt Luzern versehen. DEMO:');

    // one changed byte inside the signed range (the XMP packet, stored uncompressed): invalid
    const at = pdf.indexOf('x-default');
    expect(at).toBeGreaterThan(0);
    const tampered = Buffer.from(pdf);
    tampered[at] = 'X'.charCodeAt(0);
    const tamperedReport = await poppler('pdfsig', tampered);
    expect(tamperedReport).toContain('Signature #1:');
    expect(tamperedReport).not.toContain('Signature is Valid');
    expect(tamperedReport).toMatch(/Signature Validation: (Digest Mismatch|Signature is Invalid)\./);
  });

  it('seals a QR invoice, whose payment part is in the embedded Liberation Sans too', async () => {
    const ports = demoPorts();
    const { pdf } = await renderQrInvoice({
      creditor: { ...emmen, iban: emmen.iban!, address: emmen.address! },
      debtor: { name: 'Anna Muster', address: { street: 'Pilatusstrasse', houseNumber: '12', postalCode: '6003', town: 'Luzern' } },
      amountCents: 3000,
      caseReference: 'LU-2026-000001',
      description: 'Wohnsitzbestätigung: Gebühr',
      createdAt,
      seal: await sealOf(ports, emmen),
    });
    const report = await poppler('pdfsig', pdf);
    expect(report).toContain('Signature #1:');
    expect(report).not.toContain('Signature #2:');
    expect(report).toContain('Signer Certificate Common Name: DEMO Gemeinde Emmen');
    expect(report).toContain('Signature Validation: Signature is Valid.');
    expectPdfA(pdf, await poppler('pdffonts', pdf));
    const { text } = await pdfText(pdf);
    expect(text).toContain('Empfangsschein');
    expect(text).toContain('Zahlteil');
  });

  it('outside demo mode uses the organisation’s file and has no seal for an organisation without one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lu-seals-'));
    try {
      const real = await generateDemoSeal('Gemeinde Emmen');
      fs.writeFileSync(path.join(dir, `${emmen.id}.p12`), real.p12);
      const seals = createDocumentSeals({ dir, passphrase: real.passphrase, demo: false });
      const sealed = await seals.forOrganisation(emmen);
      expect(sealed?.demo).toBe(false);
      expect(sealed?.p12.equals(real.p12)).toBe(true);
      // the same Buffer while the file is unchanged (its parsing is cached per Buffer)
      expect(await seals.forOrganisation(emmen)).toBe(sealed);
      expect(await seals.forOrganisation(stadtLuzern)).toBeUndefined();
      const ports = fakePorts();
      ports.seals = seals;
      await expect(sealOf(ports, stadtLuzern)).rejects.toThrow(/no electronic seal configured for organisation municipality:1061/);
      const { text } = await pdfText(await renderLetter({ organisation: emmen.name, placeAndDate: 'Emmen', title: 'Brief', blocks: [], createdAt, seal: await sealOf(ports, emmen) }));
      // a configured seal is not called a demo seal
      expect(text.replace(/\s+/g, ' ')).toContain('Dieses Dokument ist mit dem elektronischen Siegel der Gemeinde Emmen versehen.');
      expect(text).not.toContain('DEMO');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('generates one demo seal per organisation and process, marked as demo in the certificate', async () => {
    const seals = createDocumentSeals({ dir: undefined, passphrase: '', demo: true });
    const a = await seals.forOrganisation(stadtLuzern);
    expect(await seals.forOrganisation(stadtLuzern)).toBe(a);
    expect((await seals.forOrganisation(emmen))?.p12.equals(a!.p12)).toBe(false);
    expect(a?.demo).toBe(true);
    // the subject as pdfsig prints it from a signed letter
    const ports = fakePorts();
    ports.seals = seals;
    const pdf = await renderLetter({ organisation: stadtLuzern.name, placeAndDate: 'Luzern', title: 'Brief', blocks: [], createdAt, seal: await sealOf(ports, stadtLuzern) });
    const report = await poppler('pdfsig', pdf);
    expect(report).toMatch(/Signer full Distinguished Name: .*OU=DEMO – kein gültiges Siegel/);
    expect(report).toMatch(/Signer full Distinguished Name: .*O=Stadt Luzern/);
    expect(report).toMatch(/Signer full Distinguished Name: .*C=CH/);
  });
});
