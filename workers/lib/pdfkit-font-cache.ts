/**
 * pdfkit parses the metrics file (AFM) of a standard font such as Helvetica again for every new
 * document: about 7 ms of CPU per letter, most of the cost of rendering one. The parsed metrics
 * never change, so this keeps them per font and hands the same tables to later documents.
 *
 * pdfkit does not export its AFM parser class; it is reached through the font object of a probe
 * document. If a pdfkit upgrade changes that shape, nothing is cached and documents are still
 * rendered correctly, only more slowly (`fontMetricsCached` then says false, and its test fails).
 */
import PDFDocument from 'pdfkit';

interface AfmFont {
  contents: string;
  attributes: object;
  glyphWidths: object;
  boundingBoxes: object;
  kernPairs: object;
  parse(): void;
}

type ParsedMetrics = Pick<AfmFont, 'attributes' | 'glyphWidths' | 'boundingBoxes' | 'kernPairs'>;

function installCache(): boolean {
  const probe = new PDFDocument({ autoFirstPage: false }) as unknown as { _font?: { font?: AfmFont } };
  const afmPrototype = probe._font?.font ? (Object.getPrototypeOf(probe._font.font) as AfmFont) : undefined;
  if (!afmPrototype || typeof afmPrototype.parse !== 'function') return false;
  const parseAfm = afmPrototype.parse;
  // keyed by the file's text: one entry per standard font used
  const parsed = new Map<string, ParsedMetrics>();
  afmPrototype.parse = function (this: AfmFont) {
    const known = parsed.get(this.contents);
    if (known) {
      Object.assign(this, known);
      return;
    }
    parseAfm.call(this);
    parsed.set(this.contents, { attributes: this.attributes, glyphWidths: this.glyphWidths, boundingBoxes: this.boundingBoxes, kernPairs: this.kernPairs });
  };
  return true;
}

export const fontMetricsCached = installCache();
