/** The streaming multipart reader: parts come out whole however the body is cut into chunks. */
import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundaryOf, MultipartReader } from '../../../server/http/multipart-reader';

async function encoded(form: FormData): Promise<{ body: Buffer; contentType: string }> {
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { body: Buffer.from(await request.arrayBuffer()), contentType: request.headers.get('content-type')! };
}

/** the body as a request stream, cut at the given offsets */
function requestOf(body: Buffer, cuts: number[]): IncomingMessage {
  const offsets = [...new Set(cuts.map((c) => c % (body.length + 1)))].sort((a, b) => a - b);
  const chunks = [0, ...offsets, body.length].slice(1).map((end, i, ends) => body.subarray(i === 0 ? 0 : ends[i - 1], end));
  return Readable.from(chunks.filter((c) => c.length > 0)) as unknown as IncomingMessage;
}

async function readAll(req: IncomingMessage, contentType: string, limit = 1 << 30) {
  const reader = new MultipartReader(req, boundaryOf(contentType)!, limit);
  const parts: Array<{ name: string; filename: string | undefined; content: Buffer }> = [];
  for (let part = await reader.nextPart(); part; part = await reader.nextPart()) {
    const chunks: Buffer[] = [];
    for await (const chunk of reader.partBody()) chunks.push(chunk);
    parts.push({ ...part, content: Buffer.concat(chunks) });
  }
  return parts;
}

describe('MultipartReader', () => {
  it('returns every part with its name, file name and exact content for any chunking', async () => {
    // content that contains CRLFs and dashes, the pieces a delimiter is made of
    const file = Buffer.concat([Buffer.from('%PDF-\r\n--\r\n-'), crypto.randomBytes(5000), Buffer.from('\r\n--')]);
    const form = new FormData();
    form.append('submission', JSON.stringify({ a: 'ä' }));
    form.append('scan', new Blob([file]), 'Ausweis Müller.pdf');
    form.append('empty', new Blob([]), 'leer.pdf');
    const { body, contentType } = await encoded(form);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 40 }), async (cuts) => {
        const parts = await readAll(requestOf(body, cuts), contentType);
        expect(parts.map((p) => [p.name, p.filename])).toEqual([
          ['submission', undefined],
          ['scan', 'Ausweis Müller.pdf'],
          ['empty', 'leer.pdf'],
        ]);
        expect(parts[0]!.content.toString('utf8')).toBe('{"a":"ä"}');
        expect(parts[1]!.content.equals(file)).toBe(true);
        expect(parts[2]!.content.length).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a truncated body (400) and a body over its limit (413)', async () => {
    const form = new FormData();
    form.append('scan', new Blob([crypto.randomBytes(1000)]), 'a.pdf');
    const { body, contentType } = await encoded(form);
    await expect(readAll(requestOf(body.subarray(0, body.length - 10), []), contentType)).rejects.toMatchObject({ status: 400 });
    await expect(readAll(requestOf(body, [100, 200]), contentType, 500)).rejects.toMatchObject({ status: 413 });
  });

  it('finds the boundary in a content type, quoted or not', () => {
    expect(boundaryOf('multipart/form-data; boundary=abc123')).toBe('abc123');
    expect(boundaryOf('multipart/form-data; charset=utf-8; boundary="a b"')).toBe('a b');
    expect(boundaryOf('multipart/form-data')).toBeUndefined();
  });
});
