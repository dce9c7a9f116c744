import pdf from 'pdf-parse/lib/pdf-parse.js';

/**
 * Text and page count of a PDF. pdf-parse's bundled pdf.js misreads Node Buffers (sub-streams
 * start at the wrong offset, "bad XRef entry"), so it gets a plain Uint8Array copy.
 */
export async function pdfText(content: Buffer): Promise<{ text: string; numpages: number }> {
  const { text, numpages } = await pdf(new Uint8Array(content));
  return { text, numpages };
}

/** The text of a PDF on one line (whitespace folded), so a phrase wrapped across lines still matches. */
export async function pdfLine(content: Buffer): Promise<string> {
  return (await pdfText(content)).text.replace(/\s+/g, ' ');
}
