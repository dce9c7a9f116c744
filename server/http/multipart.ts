/**
 * multipart/form-data submissions and replies: a JSON part (`submission`, `reply`) plus file
 * parts. Read as a stream (multipart-reader.ts): each file goes into the document store while it
 * arrives, so memory stays bounded whatever the upload size; the limits are enforced on the way.
 * File types are decided by content (magic bytes), never by the name or the declared type.
 */
import type { Context } from 'koa';
import { DomainError, badRequest, validationFailed } from '../domain/errors';
import type { DocumentUploads, StoredAttachment } from '../domain/document-uploads';
import { readJson } from './middleware';
import { boundaryOf, MultipartReader } from './multipart-reader';

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
/** bytes detectContentType needs */
const SIGNATURE_BYTES = 8;

export function detectContentType(content: Buffer): string | undefined {
  return signatures.find((s) => s.matches(content))?.type;
}

/**
 * Runs `handle` with a JSON body, or with multipart's JSON part `jsonPart` (e.g. `submission` or
 * `reply`) plus its files, already in the document store. Afterwards, whatever the outcome, the
 * stored files that `handle` did not link to a case are removed again: nothing half-written stays.
 */
export async function withJsonOrMultipart<T>(
  ctx: Context,
  jsonPart: string,
  opts: { limits: UploadLimits; maxJsonBytes: number; uploads: DocumentUploads },
  handle: (json: unknown, attachments: StoredAttachment[]) => Promise<T>,
): Promise<T> {
  if (!ctx.is('multipart/form-data')) return handle(await readJson(ctx, opts.maxJsonBytes), []);
  const attachments: StoredAttachment[] = [];
  try {
    const json = await readJsonAndFiles(ctx, jsonPart, opts, attachments).catch((err: unknown) => {
      // refused midway: let the rest of the body flow away unread, so the client gets the answer
      ctx.req.resume();
      throw err;
    });
    return await handle(json, attachments);
  } finally {
    await opts.uploads.discardUnlinked(attachments);
  }
}

/** Reads the parts in order; stored files are pushed to `attachments` as soon as they are complete. */
async function readJsonAndFiles(ctx: Context, jsonPart: string, opts: { limits: UploadLimits; maxJsonBytes: number; uploads: DocumentUploads }, attachments: StoredAttachment[]) {
  const { limits } = opts;
  const boundary = boundaryOf(ctx.get('content-type'));
  if (!boundary) throw badRequest('Ungültiger multipart/form-data-Inhalt (boundary fehlt)');
  if (Number(ctx.get('content-length') || 0) > limits.maxTotalBytes) throw new DomainError(413, 'Content Too Large', `Höchstens ${limits.maxTotalBytes} Bytes erlaubt`);
  const reader = new MultipartReader(ctx.req, boundary, limits.maxTotalBytes);
  let json: unknown;
  let files = 0;
  for (let part = await reader.nextPart(); part; part = await reader.nextPart()) {
    if (part.filename === undefined) {
      if (part.name === jsonPart) json = parseJsonPart(await collect(reader.partBody(), opts.maxJsonBytes, jsonPart), jsonPart);
      continue;
    }
    const path = `attachments[${files}]`;
    files += 1;
    if (files > limits.maxFiles) throw validationFailed([{ path: 'attachments', message: `Höchstens ${limits.maxFiles} Anhänge` }]);
    const name = safeName(part.filename);
    const { head, body } = await peek(limited(reader.partBody(), limits.maxFileBytes, name, path), SIGNATURE_BYTES);
    if (head.length === 0) throw validationFailed([{ path, message: 'Leere Datei' }]);
    const contentType = detectContentType(head);
    if (!contentType) throw new DomainError(415, 'Unsupported Media Type', `${name}: erlaubt sind PDF, PNG und JPEG`, [{ path, message: 'Dateityp nicht erlaubt (PDF, PNG, JPEG)' }]);
    attachments.push({ name, contentType, ...(await opts.uploads.store(body)) });
  }
  if (json === undefined) throw validationFailed([{ path: jsonPart, message: `Der Teil «${jsonPart}» (JSON) fehlt` }]);
  return json;
}

function parseJsonPart(text: Buffer, jsonPart: string): unknown {
  try {
    return JSON.parse(text.toString('utf8'));
  } catch {
    throw badRequest(`Der Teil «${jsonPart}» ist kein gültiges JSON`, [{ path: jsonPart, message: 'ungültiges JSON' }]);
  }
}

async function collect(body: AsyncIterable<Buffer>, maxBytes: number, path: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of body) {
    bytes += chunk.length;
    if (bytes > maxBytes) throw new DomainError(413, 'Content Too Large', `«${path}»: höchstens ${maxBytes} Bytes`, [{ path, message: 'zu gross' }]);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The file's bytes, failing with 413 (field path included) as soon as there are more than `maxBytes`. */
async function* limited(body: AsyncIterable<Buffer>, maxBytes: number, name: string, path: string): AsyncGenerator<Buffer> {
  let bytes = 0;
  for await (const chunk of body) {
    bytes += chunk.length;
    if (bytes > maxBytes) throw new DomainError(413, 'Content Too Large', `${name}: höchstens ${maxBytes} Bytes je Datei`, [{ path, message: 'Datei zu gross' }]);
    yield chunk;
  }
}

/** The first `bytes` bytes of a stream (fewer if it is shorter), and the whole stream again. */
async function peek(body: AsyncGenerator<Buffer>, bytes: number): Promise<{ head: Buffer; body: AsyncIterable<Buffer> }> {
  const seen: Buffer[] = [];
  let length = 0;
  while (length < bytes) {
    const next = await body.next();
    if (next.done) break;
    seen.push(next.value);
    length += next.value.length;
  }
  const head = Buffer.concat(seen);
  return {
    head: head.subarray(0, bytes),
    body: (async function* () {
      if (head.length > 0) yield head;
      yield* body;
    })(),
  };
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
