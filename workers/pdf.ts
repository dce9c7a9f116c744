/**
 * Shared letter layout for the documents the workers issue (certificate, decision letter):
 * A4, letterhead with the issuing authority, place and date, title, paragraphs and label/value
 * rows, reference in the footer. Rendered with pdfkit into a Buffer, as PDF/A-2b with the
 * issuer's electronic seal (workers/lib/sealed-pdf.ts).
 */
import type { JobInput, StoredDocument, WorkerPorts } from './ports.js';
import { createPdfA, drawFieldRows, FONT, FONT_BOLD, sealAndFinish, sealNotice, sealOf, type IssuerSeal } from './lib/sealed-pdf.js';
import type { CaseVariables, OrganisationInfo } from '../model/types.js';
import { fullName } from '../model/case-text.js';
import { formatAddressLines, formatDateCH } from '../model/format.js';
import { todayIso } from '../model/dates.js';

export type LetterBlock = { kind: 'paragraph'; text: string; bold?: boolean; small?: boolean } | { kind: 'fields'; rows: Array<[label: string, value: string]> } | { kind: 'space'; lines?: number };

export interface LetterSpec {
  /** first letterhead line, e.g. "Stadt Luzern" */
  organisation: string;
  /** second letterhead line, e.g. "Einwohnerdienste" */
  department?: string;
  /** recipient address block (window envelope position) */
  recipient?: string[];
  /** e.g. "Luzern, 02.05.2025" */
  placeAndDate: string;
  title: string;
  blocks: LetterBlock[];
  /** printed small at the bottom of every page, e.g. "Referenz: WB-2025-000123" */
  footer?: string;
  /** PDF metadata */
  subject?: string;
  /** PDF creation date (pass the clock's time so output depends only on the inputs) */
  createdAt: Date;
  /**
   * The issuer's electronic seal (sealOf): the letter is signed with it and says so in a last
   * line. A letter is never issued unsealed.
   */
  seal: IssuerSeal;
}

const MARGIN = 56.7; // 2 cm
const LABEL_WIDTH = 170;

export function renderLetter(spec: LetterSpec): Promise<Buffer> {
  const doc = createPdfA({
    margins: MARGIN,
    bufferPages: true,
    info: { Title: spec.title, Author: spec.organisation, Subject: spec.subject ?? spec.title, CreationDate: spec.createdAt },
  });
  const left = doc.page.margins.left;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;

  // Letterhead
  doc.font(FONT_BOLD).fontSize(16).text(spec.organisation, left, MARGIN);
  if (spec.department) doc.font(FONT).fontSize(11).text(spec.department);
  const ruleY = doc.y + 6;
  doc
    .moveTo(left, ruleY)
    .lineTo(left + width, ruleY)
    .lineWidth(0.8)
    .stroke();
  doc.y = ruleY + 18;

  // Recipient
  if (spec.recipient?.length) {
    doc.font(FONT).fontSize(11);
    for (const line of spec.recipient) doc.text(line, left + width / 2, doc.y, { width: width / 2 });
    doc.moveDown(1.5);
  }

  doc.font(FONT).fontSize(11).text(spec.placeAndDate, left, doc.y, { width, align: 'right' });
  doc.moveDown(2);

  doc.font(FONT_BOLD).fontSize(18).text(spec.title, left, doc.y, { width });
  doc.moveDown(1);

  const blocks: LetterBlock[] = [...spec.blocks, { kind: 'paragraph', text: sealNotice(spec.seal), small: true }];
  for (const block of blocks) {
    switch (block.kind) {
      case 'paragraph':
        doc
          .font(block.bold ? FONT_BOLD : FONT)
          .fontSize(block.small ? 9 : 11)
          .text(block.text, left, doc.y, { width, align: 'left' });
        doc.moveDown(0.8);
        break;
      case 'fields':
        drawFieldRows(doc, block.rows, { left, width, valueOffset: LABEL_WIDTH });
        doc.moveDown(0.8);
        break;
      case 'space':
        doc.moveDown(block.lines ?? 1);
        break;
    }
  }

  if (spec.footer) {
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      const bottom = doc.page.margins.bottom;
      doc.page.margins.bottom = 0; // write inside the bottom margin without a page break
      doc
        .font(FONT)
        .fontSize(8)
        .fillColor('#555555')
        .text(spec.footer, left, doc.page.height - bottom + 14, { width, align: 'left', lineBreak: false });
      doc.page.margins.bottom = bottom;
    }
  }
  return sealAndFinish(doc, spec.seal, spec.createdAt);
}

/** Stores a PDF the job produced with the case; idempotent per job and kind. */
export function storePdf(ports: WorkerPorts, job: JobInput, caseReference: string, kind: string, name: string, content: Buffer): Promise<StoredDocument> {
  return ports.documents.store({ caseReference, jobKey: job.key, kind, name, contentType: 'application/pdf', content });
}

/**
 * A letter of the case's organisation to the applicant: letterhead, recipient, place and date,
 * the organisation's signature block and the reference footer around the blocks `build` returns
 * (given the organisation and today's date, ISO and as printed); returns the PDF and what `build` returned.
 */
export async function renderCaseLetter<C extends { title: string; blocks: LetterBlock[]; subject?: string }>(
  ports: WorkerPorts,
  vars: CaseVariables,
  build: (ctx: { org: OrganisationInfo; today: string; issued: string }) => C,
): Promise<{ pdf: Buffer; content: C }> {
  const org = await ports.organisations.forCase(vars.reference);
  const now = ports.clock.now();
  const today = todayIso(now);
  const issued = formatDateCH(today);
  const seal = await sealOf(ports, org);
  const content = build({ org, today, issued });
  const { title, blocks, subject } = content;
  const [street, town] = formatAddressLines(vars.applicant.address);
  const pdf = await renderLetter({
    organisation: org.name,
    department: org.department ?? undefined,
    recipient: [fullName(vars.applicant), street, town],
    placeAndDate: `${org.address?.town ?? org.name}, ${issued}`,
    title,
    blocks: [...blocks, { kind: 'paragraph', text: `${org.name}${org.department ? `\n${org.department}` : ''}` }],
    footer: `Referenz: ${vars.reference} · ${org.name} · ${issued}`,
    subject: subject ?? `${title} ${vars.reference}`,
    createdAt: now,
    seal,
  });
  return { pdf, content };
}
