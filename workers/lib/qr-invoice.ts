/**
 * Invoice PDF with a Swiss QR-bill payment part (swissqrbill on pdfkit). The creditor is the
 * responsible organisation with its IBAN; the reference is derived from the case reference
 * (QR reference for a QR-IBAN, creditor reference otherwise). PDF/A-2b, sealed by the creditor
 * (workers/lib/sealed-pdf.ts).
 */
import { SwissQRBill } from 'swissqrbill/pdf';
import { createPdfA, drawFieldRows, FONT, FONT_BOLD, sealAndFinish, sealNotice, type IssuerSeal } from './sealed-pdf.js';
import type { Address, OrganisationInfo } from '../../model/types.js';
import { formatAddressLines, formatChf, formatDateCH } from '../../model/format.js';
import { paymentReference } from '../../model/payment-reference.js';

export interface QrInvoiceSpec {
  creditor: OrganisationInfo & { iban: string; address: Address };
  debtor: { name: string; address: Address };
  amountCents: number;
  caseReference: string;
  /** one line: what is charged */
  description: string;
  createdAt: Date;
  /** days until due */
  paymentTermDays?: number;
  /** the creditor's electronic seal (sealOf) */
  seal: IssuerSeal;
}

const MARGIN = 56.7;

export async function renderQrInvoice(spec: QrInvoiceSpec): Promise<{ pdf: Buffer; reference: string }> {
  const reference = paymentReference(spec.creditor.iban, spec.caseReference);
  const amount = spec.amountCents / 100;
  const qrBill = new SwissQRBill(
    {
      currency: 'CHF',
      amount,
      reference,
      message: `${spec.description}`.slice(0, 140),
      creditor: {
        account: spec.creditor.iban,
        name: spec.creditor.name.slice(0, 70),
        address: spec.creditor.address.street,
        buildingNumber: spec.creditor.address.houseNumber || undefined,
        zip: spec.creditor.address.postalCode,
        city: spec.creditor.address.town,
        country: 'CH',
      },
      debtor: {
        name: spec.debtor.name.slice(0, 70),
        address: spec.debtor.address.street,
        buildingNumber: spec.debtor.address.houseNumber || undefined,
        zip: spec.debtor.address.postalCode,
        city: spec.debtor.address.town,
        country: 'CH',
      },
    },
    // the payment part in the embedded Liberation Sans (createPdfA provides FONT and FONT_BOLD = `${FONT}-Bold`, the names swissqrbill asks for)
    { language: 'DE', fontName: FONT },
  );

  // bufferPages: the seal's signature field goes on the first page, the QR-bill may add one
  const doc = createPdfA({ margins: MARGIN, bufferPages: true, info: { Title: `Rechnung ${spec.caseReference}`, Author: spec.creditor.name, CreationDate: spec.createdAt } });
  const left = MARGIN;
  const width = doc.page.width - 2 * MARGIN;
  doc.font(FONT_BOLD).fontSize(16).text(spec.creditor.name, left, MARGIN, { width });
  if (spec.creditor.department) doc.font(FONT).fontSize(11).text(spec.creditor.department);
  doc.font(FONT).fontSize(9).text(formatAddressLines(spec.creditor.address).join(', '));
  doc.moveDown(2);
  const [street, town] = formatAddressLines(spec.debtor.address);
  for (const line of [spec.debtor.name, street, town]) doc.fontSize(11).text(line, left + width / 2, doc.y, { width: width / 2 });
  doc.moveDown(1.5);
  const issued = formatDateCH(spec.createdAt);
  doc.text(`${spec.creditor.address.town}, ${issued}`, left, doc.y, { width, align: 'right' });
  doc.moveDown(1.5);
  doc.font(FONT_BOLD).fontSize(18).text('Rechnung', left, doc.y, { width });
  doc.moveDown(0.8);
  const rows: Array<[string, string]> = [
    ['Referenz Gesuch', spec.caseReference],
    ['Leistung', spec.description],
    ['Betrag', formatChf(spec.amountCents)],
    ['Zahlbar innert', `${spec.paymentTermDays ?? 30} Tagen`],
  ];
  drawFieldRows(doc, rows, { left, width, valueOffset: 160 });
  doc.moveDown(1);
  doc.font(FONT).fontSize(10).text('Bitte bezahlen Sie den Betrag mit dem untenstehenden QR-Einzahlungsschein.', left, doc.y, { width });
  if (spec.creditor.ibanIsDemo) {
    doc.moveDown(0.5);
    doc.font(FONT_BOLD).fontSize(10).fillColor('#b00020').text('DEMO: Konto und Rechnung sind Testwerte. Bitte nichts einzahlen.', left, doc.y, { width });
    doc.fillColor('black');
  }
  doc.moveDown(0.5);
  doc.font(FONT).fontSize(9).text(sealNotice(spec.seal), left, doc.y, { width });
  qrBill.attachTo(doc);
  const pdf = await sealAndFinish(doc, spec.seal, spec.createdAt);
  return { pdf, reference };
}
