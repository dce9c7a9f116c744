/**
 * multipart/form-data submissions and replies: a JSON part (`submission`, `reply`) plus file
 * parts. Parsed with the WHATWG FormData parser built into Node (undici), after the raw body was
 * read with a limit.
 * File types are decided by content (magic bytes), never by the name or the declared type.
 */
import type { Context } from 'koa';
import { DomainError, badRequest, validationFailed } from '../domain/errors';
import type { Attachment } from '../domain/submissions';
import { readJson, readRawBody } from './middleware';

export interface UploadLimits {
  maxTotalBytes: number;
  maxFileBytes: number;
  maxFiles: number;
}

const signatures: Array<{ type: string; matches: (b: Buffer) => boolean }> = [
  { type: 'application/pdf', matches: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
  { type: 'image/png', matches: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { type: 'image/jpeg', matches: (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
];

export function detectContentType(content: Buffer): string | undefined {
  return signatures.find((s) => s.matches(content))?.type;
}

/**
 * A JSON body, or multipart with that JSON in part `jsonPart` (e.g. `submission` or `reply`) plus
 * files; JSON bodies follow readJson's rules, multipart ones readJsonAndFiles's.
 */
export async function readJsonOrMultipart(ctx: Context, jsonPart: string, limits: UploadLimits, maxJsonBytes: number): Promise<{ json: unknown; attachments: Attachment[] }> {
  return ctx.is('multipart/form-data') ? readJsonAndFiles(ctx, limits, jsonPart) : { json: await readJson(ctx, maxJsonBytes), attachments: [] };
}

async function readJsonAndFiles(ctx: Context, limits: UploadLimits, jsonPart: string): Promise<{ json: unknown; attachments: Attachment[] }> {
  const raw = await readRawBody(ctx, limits.maxTotalBytes);
  let form: FormData;
  try {
    form = await new Response(raw, { headers: { 'content-type': ctx.get('content-type') } }).formData();
  } catch {
    throw badRequest('Ungültiger multipart/form-data-Inhalt');
  }

  const part = form.get(jsonPart);
  if (part === null) throw validationFailed([{ path: jsonPart, message: `Der Teil «${jsonPart}» (JSON) fehlt` }]);
  const partText = typeof part === 'string' ? part : await part.text();
  let json: unknown;
  try {
    json = JSON.parse(partText);
  } catch {
    throw badRequest(`Der Teil «${jsonPart}» ist kein gültiges JSON`, [{ path: jsonPart, message: 'ungültiges JSON' }]);
  }

  const files = [...form.entries()].filter(([key, value]) => key !== jsonPart && typeof value !== 'string') as Array<[string, File]>;
  if (files.length > limits.maxFiles) throw validationFailed([{ path: 'attachments', message: `Höchstens ${limits.maxFiles} Anhänge` }]);
  const attachments: Attachment[] = [];
  for (const [index, [, file]] of files.entries()) {
    const path = `attachments[${index}]`;
    if (file.size > limits.maxFileBytes)
      throw new DomainError(413, 'Content Too Large', `${safeName(file.name)}: höchstens ${limits.maxFileBytes} Bytes je Datei`, [{ path, message: 'Datei zu gross' }]);
    if (file.size === 0) throw validationFailed([{ path, message: 'Leere Datei' }]);
    const content = Buffer.from(await file.arrayBuffer());
    const contentType = detectContentType(content);
    if (!contentType) {
      throw new DomainError(415, 'Unsupported Media Type', `${safeName(file.name)}: erlaubt sind PDF, PNG und JPEG`, [{ path, message: 'Dateityp nicht erlaubt (PDF, PNG, JPEG)' }]);
    }
    attachments.push({ name: safeName(file.name), contentType, content });
  }
  return { json, attachments };
}

/** A file name safe to store and to send back in Content-Disposition. */
export function safeName(name: string): string {
  const base = (name.split(/[\\/]/).pop() ?? '')
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex -- control characters are exactly what this strips
    .replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '_')
    .trim();
  return (base || 'anhang').slice(0, 200);
}
