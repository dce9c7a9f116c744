/**
 * The PDFs the workers issue are PDF/A-2b (ISO 19005-2, level B) and carry the electronic seal of
 * the issuing organisation:
 *
 * - PDF/A-2b: pdfkit's `subset: 'PDF/A-2b'` writes the XMP identification (pdfaid:part 2,
 *   conformance B) and the sRGB output intent; every font is embedded (ISO 19005-2 6.2.11.4):
 *   Liberation Sans from workers/fonts, one of the fonts the Swiss QR-bill style guide allows,
 *   so the QR payment part uses it too. No standard (non-embedded) PDF font is ever selected.
 * - Seal: a signature field (an invisible widget on page 1, /AcroForm with /SigFlags 3) whose
 *   /Sig dictionary holds /ByteRange and /Contents placeholders, written with pdfkit's own object
 *   API before the document ends; the finished file is then signed with @signpdf (PKCS#7 detached,
 *   SHA-256, ISO 32000-1 12.8.3.3). pdfkit writes the file as one revision and the signature only
 *   fills the placeholders in place, so the signature covers the whole file except its own value.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import forge from 'node-forge';
import { SignPdf } from '@signpdf/signpdf';
import { DEFAULT_BYTE_RANGE_PLACEHOLDER, SIG_FLAGS, ANNOTATION_FLAGS, SUBFILTER_ADOBE_PKCS7_DETACHED, Signer } from '@signpdf/utils';
import type { DocumentSeal, WorkerPorts } from '../ports.js';

/** The font names used with `doc.font()`; the QR-bill part (swissqrbill) asks for `<name>` and `<name>-Bold`. */
export const FONT = 'Liberation Sans';
export const FONT_BOLD = 'Liberation Sans-Bold';

const PRODUCER = 'Kanton Luzern – Verwaltungsportal';

/** workers/fonts, found both from the sources and from the server bundle (dist/server) */
function fontsDir(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'workers', 'fonts');
    if (fs.existsSync(path.join(candidate, 'LiberationSans-Regular.ttf'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error('workers/fonts/LiberationSans-Regular.ttf not found');
  }
}

/**
 * pdfkit reads an embedded font (fontkit) anew for every document, and decoding its tables is
 * most of the cost of a letter (about 40 ms of CPU). The parsed fonts never change, so they are
 * made once per process and every document gets its own pdfkit font object (its own subset and
 * font id) over the shared fontkit font. pdfkit does not export its font class; it is taken from
 * a probe document, the way pdfkit itself builds an embedded font from a Buffer.
 */
interface SharedFonts {
  EmbeddedFont: new (doc: PDFKit.PDFDocument, font: unknown, id: string) => unknown;
  regular: unknown;
  bold: unknown;
}

let sharedFonts: SharedFonts | undefined;

function fonts(): SharedFonts {
  if (sharedFonts) return sharedFonts;
  const dir = fontsDir();
  const parse = (file: string) => {
    // the font files are read once per process
    const probe = new PDFDocument({ font: fs.readFileSync(path.join(dir, file)), autoFirstPage: false } as unknown as PDFKit.PDFDocumentOptions) as unknown as {
      _font: { font: unknown; constructor: SharedFonts['EmbeddedFont'] };
    };
    return probe._font;
  };
  const regular = parse('LiberationSans-Regular.ttf');
  const bold = parse('LiberationSans-Bold.ttf');
  sharedFonts = { EmbeddedFont: regular.constructor, regular: regular.font, bold: bold.font };
  return sharedFonts;
}

export interface PdfInfo {
  Title: string;
  Author: string;
  Subject?: string;
  CreationDate: Date;
}

/**
 * A new pdfkit document set up as PDF/A-2b with Liberation Sans as FONT and FONT_BOLD (FONT
 * selected); no other font is available in it. Info and XMP carry the same entries (ISO 19005-2 6.6.3): no ModDate, which
 * pdfkit does not write into the XMP; Creator and Producer the same, since pdfkit's XMP
 * pdf:Producer is the info's Creator.
 */
export function createPdfA(options: { margins: number; bufferPages?: boolean; info: PdfInfo }): PDFKit.PDFDocument {
  const shared = fonts();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: options.margins, bottom: options.margins, left: options.margins, right: options.margins },
    lang: 'de-CH',
    pdfVersion: '1.7',
    subset: 'PDF/A-2b',
    // no default font: pdfkit's would be the standard (not embedded) Helvetica
    font: '',
    bufferPages: options.bufferPages ?? false,
    info: { ...options.info, Creator: PRODUCER, Producer: PRODUCER },
  });
  // doc.font(FONT) and doc.font(FONT_BOLD) find these (pdfkit looks a font name up in _fontFamilies first)
  const internals = doc as unknown as { _fontFamilies: Record<string, unknown>; _fontCount: number };
  internals._fontFamilies[FONT] = new shared.EmbeddedFont(doc, shared.regular, 'F1');
  internals._fontFamilies[FONT_BOLD] = new shared.EmbeddedFont(doc, shared.bold, 'F2');
  internals._fontCount = 2;
  doc.font(FONT);
  return doc;
}

/**
 * Label/value rows (label in FONT, value in FONT_BOLD) at the current line: labels from `left`,
 * values from `left + valueOffset`, each row below the taller of the two.
 */
export function drawFieldRows(doc: PDFKit.PDFDocument, rows: Array<[label: string, value: string]>, layout: { left: number; width: number; valueOffset: number }): void {
  const { left, width, valueOffset } = layout;
  doc.fontSize(11);
  for (const [label, value] of rows) {
    const y = doc.y;
    doc.font(FONT).text(label, left, y, { width: valueOffset - 10 });
    const afterLabel = doc.y;
    doc.font(FONT_BOLD).text(value, left + valueOffset, y, { width: width - valueOffset });
    doc.y = Math.max(afterLabel, doc.y) + 3;
  }
}

/** How the seal is described in the signature dictionary. */
export interface SealText {
  /** the organisation whose seal it is */
  organisation: string;
  /** signing time (the clock's, so the /M entry depends only on the inputs) */
  signedAt: Date;
}

// The signature value: a PKCS#7 SignedData with one RSA-2048 (or -4096) certificate chain is
// well below 8 KiB; the placeholder has room for DEFAULT_SIGNATURE_LENGTH bytes (hex: twice that).
const SIGNATURE_BYTES = 8192;

/**
 * Adds the signature field the seal fills: the /Sig value with placeholders, an invisible widget
 * annotation (zero-size /Rect, /F Print as ISO 19005-2 6.3.2 requires) on the first page, and the
 * /AcroForm with /SigFlags 3 (SignaturesExist | AppendOnly). Call on a document with
 * `bufferPages` before `doc.end()`.
 */
export function addSignatureField(doc: PDFKit.PDFDocument, text: SealText): void {
  const internals = doc as unknown as PdfKitInternals;
  const signature = doc.ref({
    Type: 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: SUBFILTER_ADOBE_PKCS7_DETACHED,
    // pdfkit writes strings as names: [0 /********** /********** /**********], the placeholder @signpdf looks for
    ByteRange: [0, DEFAULT_BYTE_RANGE_PLACEHOLDER, DEFAULT_BYTE_RANGE_PLACEHOLDER, DEFAULT_BYTE_RANGE_PLACEHOLDER],
    // a Buffer is written as a hex string: <0000…>
    Contents: Buffer.alloc(SIGNATURE_BYTES),
    Name: new String(text.organisation),
    Reason: new String('Elektronisches Siegel'),
    M: text.signedAt,
  });
  signature.end(undefined);

  doc.switchToPage(doc.bufferedPageRange().start);
  const widget = doc.ref({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    Rect: [0, 0, 0, 0],
    F: ANNOTATION_FLAGS.PRINT,
    T: new String('Siegel'),
    V: signature,
    P: internals.page.dictionary,
  });
  widget.end(undefined);
  internals.page.annotations.push(widget);

  // pdfkit ends the /AcroForm it finds in the catalog (its form mixin); the state it expects of
  // its own initForm() is given without fonts, since a signature field needs none (and initForm
  // would set /NeedAppearances, which PDF/A forbids: ISO 19005-2 6.4.1).
  internals._acroform = { fonts: {}, defaultFont: FONT };
  internals._root.data.AcroForm = doc.ref({ Fields: [widget], SigFlags: SIG_FLAGS.SIGNATURES_EXIST | SIG_FLAGS.APPEND_ONLY, DR: { Font: {} } });
}

interface PdfKitInternals {
  page: { dictionary: PDFKit.PDFKitReference; annotations: PDFKit.PDFKitReference[] };
  _root: { data: Record<string, unknown> };
  _acroform?: { fonts: Record<string, unknown>; defaultFont: string };
}

/** Ends the document and collects its bytes. */
export function finish(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

// ---- signing ----------------------------------------------------------------------------------

/** DER prefix of a SHA-256 DigestInfo (RFC 8017 9.2 note 1): what RSASSA-PKCS1-v1_5 signs. */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

interface ParsedSeal {
  key: crypto.KeyObject;
  certificate: forge.pki.Certificate;
  chain: forge.pki.Certificate[];
}

/**
 * A PKCS#12 file parsed once per seal (its key derivation and decryption, done by node-forge in
 * JavaScript, cost more than rendering a letter). Keyed by the Buffer the seals port hands out.
 */
const parsedSeals = new WeakMap<Buffer, ParsedSeal>();

function parseSeal(seal: DocumentSeal): ParsedSeal {
  const known = parsedSeals.get(seal.p12);
  if (known) return known;
  const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(seal.p12.toString('binary'))), false, seal.passphrase);
  const keyBag = p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag]?.[0] ?? p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag]?.[0];
  const forgeKey = keyBag?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!forgeKey) throw new Error('the seal (PKCS#12) holds no private key');
  const chain = (p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? []).flatMap((bag) => (bag.cert ? [bag.cert] : []));
  const certificate = chain.find((cert) => {
    const publicKey = cert.publicKey as forge.pki.rsa.PublicKey;
    return publicKey.n.equals(forgeKey.n) && publicKey.e.equals(forgeKey.e);
  });
  if (!certificate) throw new Error('the seal (PKCS#12) holds no certificate for its private key');
  const key = crypto.createPrivateKey(forge.pki.privateKeyToPem(forgeKey));
  const parsed = { key, certificate, chain };
  parsedSeals.set(seal.p12, parsed);
  return parsed;
}

/**
 * PKCS#7 detached signature as @signpdf/signer-p12 builds it (content type, signing time and
 * message digest as signed attributes, in that order), with the p12 parsed once per seal and the
 * RSA operation done by node's crypto instead of node-forge's JavaScript.
 */
class SealSigner extends Signer {
  constructor(private readonly seal: ParsedSeal) {
    super();
  }

  override async sign(pdf: Buffer, signingTime?: Date): Promise<Buffer> {
    const { key, certificate, chain } = this.seal;
    const p7 = forge.pkcs7.createSignedData();
    p7.content = forge.util.createBuffer(pdf.toString('binary'));
    for (const cert of chain) p7.addCertificate(cert);
    const rsa = {
      // forge calls key.sign(md) with the SHA-256 of the signed attributes
      sign: (md: forge.md.MessageDigest) =>
        crypto.privateEncrypt({ key, padding: crypto.constants.RSA_PKCS1_PADDING }, Buffer.concat([SHA256_DIGEST_INFO, Buffer.from(md.digest().getBytes(), 'binary')])).toString('binary'),
    };
    p7.addSigner({
      key: rsa as unknown as forge.pki.rsa.PrivateKey,
      certificate,
      digestAlgorithm: forge.pki.oids.sha256,
      authenticatedAttributes: [
        { type: forge.pki.oids.contentType, value: forge.pki.oids.data },
        { type: forge.pki.oids.signingTime, value: (signingTime ?? new Date()) as unknown as string },
        { type: forge.pki.oids.messageDigest },
      ],
    });
    p7.sign({ detached: true });
    const signed = p7.toAsn1();
    (signerIssuer(signed).value as forge.asn1.Asn1[])[0] = issuerName(certificate);
    return Buffer.from(forge.asn1.toDer(signed).getBytes(), 'binary');
  }
}

/**
 * node-forge writes the signer's issuer (SignerInfo.issuerAndSerialNumber) anew from the parsed
 * attributes and encodes UTF8String values twice ("ü" in a name): the issuer then matches no
 * certificate and a verifier finds no signer. The issuer goes in exactly as the certificate has it.
 */
function issuerName(certificate: forge.pki.Certificate): forge.asn1.Asn1 {
  const tbs = (certificate as unknown as { tbsCertificate: forge.asn1.Asn1 }).tbsCertificate;
  const fields = tbs.value as forge.asn1.Asn1[];
  // TBSCertificate: [0] version (v2/v3), serialNumber, signature, issuer, …
  const versioned = fields[0]?.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  const issuer = fields[versioned + 2];
  if (!issuer || issuer.type !== forge.asn1.Type.SEQUENCE) throw new Error('the seal certificate has no readable issuer');
  return issuer;
}

/** SignerInfo.issuerAndSerialNumber of the one signer: ContentInfo → [0] SignedData → signerInfos (last) → SignerInfo → its second field. */
function signerIssuer(contentInfo: forge.asn1.Asn1): forge.asn1.Asn1 {
  const signedData = ((contentInfo.value as forge.asn1.Asn1[])[1]?.value as forge.asn1.Asn1[] | undefined)?.[0];
  const signerInfos = (signedData?.value as forge.asn1.Asn1[] | undefined)?.at(-1);
  const signerInfo = (signerInfos?.value as forge.asn1.Asn1[] | undefined)?.[0];
  const issuerAndSerial = (signerInfo?.value as forge.asn1.Asn1[] | undefined)?.[1];
  if (!issuerAndSerial || issuerAndSerial.type !== forge.asn1.Type.SEQUENCE) throw new Error('unexpected PKCS#7 structure from node-forge');
  return issuerAndSerial;
}

const signPdf = new SignPdf();

/** Fills the placeholders of a document made with addSignatureField with the seal's signature. */
export function applySeal(pdf: Buffer, seal: DocumentSeal, signedAt: Date): Promise<Buffer> {
  return signPdf.sign(pdf, new SealSigner(parseSeal(seal)), signedAt);
}

// ---- issuing ----------------------------------------------------------------------------------

/** The seal a document is issued with: its organisation and certificate. */
export interface IssuerSeal {
  organisation: string;
  seal: DocumentSeal;
}

/**
 * The seal of the organisation issuing a document. Without one (outside demo mode: no
 * `<id>.p12` in DOCUMENT_SEAL_DIR) the job fails, and after its retries opens an incident: a
 * document is never issued unsealed.
 */
export async function sealOf(ports: WorkerPorts, organisation: { id: string; name: string }): Promise<IssuerSeal> {
  const seal = await ports.seals.forOrganisation({ id: organisation.id, name: organisation.name });
  if (!seal) {
    throw new Error(`no electronic seal configured for organisation ${organisation.id} (${organisation.name}): add ${organisation.id}.p12 to DOCUMENT_SEAL_DIR; the document is not issued unsealed`);
  }
  return { organisation: organisation.name, seal };
}

/** The line a sealed document carries about its seal. */
export function sealNotice(issuer: IssuerSeal): string {
  const line = `Dieses Dokument ist mit dem elektronischen Siegel der ${issuer.organisation} versehen.`;
  return issuer.seal.demo ? `${line} DEMO: Das Siegel ist ein selbst ausgestelltes Demo-Zertifikat und hat keine Rechtswirkung.` : line;
}

/**
 * Adds the signature field, ends the document and signs the finished file (the signature is the
 * last thing written). `signedAt`: the clock's time.
 */
export async function sealAndFinish(doc: PDFKit.PDFDocument, issuer: IssuerSeal, signedAt: Date): Promise<Buffer> {
  addSignatureField(doc, { organisation: issuer.organisation, signedAt });
  return applySeal(await finish(doc), issuer.seal, signedAt);
}
