/**
 * poppler-utils' reports on a PDF, for tests: `pdfsig` (signatures) and `pdffonts` (fonts). A
 * missing tool fails the test (ENOENT), it is never skipped.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function poppler(tool: 'pdfsig' | 'pdffonts', pdf: Buffer): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lu-poppler-'));
  const file = path.join(dir, 'doc.pdf');
  fs.writeFileSync(file, pdf);
  try {
    // pdfsig exits non-zero for an invalid signature; its report is what the tests read
    const result = await run(tool, [file]).catch((err: { stdout?: unknown; code?: unknown }) => {
      if (typeof err.stdout !== 'string' || err.stdout === '' || err.code === 'ENOENT') throw err;
      return { stdout: err.stdout };
    });
    return result.stdout;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
