/**
 * A streaming multipart/form-data reader (RFC 7578): parts are read one after another straight
 * from the request, so a file part can be passed on to the document store while it arrives and
 * memory stays bounded by the chunk size, not the upload size.
 */
import type { IncomingMessage } from 'node:http';
import { DomainError, badRequest } from '../domain/errors';

export interface PartHeaders {
  name: string;
  /** set for file parts (the name as sent, not yet made safe) */
  filename: string | undefined;
}

/** header block of one part at most this long */
const MAX_HEADER_BYTES = 16 * 1024;

/** Pulls the request body chunk by chunk (paused mode), refusing more than `limitBytes`. */
class BodyReader {
  private received = 0;

  constructor(
    private readonly req: IncomingMessage,
    private readonly limitBytes: number,
  ) {}

  async read(): Promise<Buffer | null> {
    for (;;) {
      const chunk = this.req.read() as Buffer | null;
      if (chunk !== null) {
        this.received += chunk.length;
        if (this.received > this.limitBytes) throw new DomainError(413, 'Content Too Large', `Höchstens ${this.limitBytes} Bytes erlaubt`);
        return chunk;
      }
      if (this.req.readableEnded) return null;
      if (this.req.destroyed) throw badRequest('Der Inhalt konnte nicht gelesen werden');
      await this.readable();
    }
  }

  private readable(): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = () => {
        cleanup();
        resolve();
      };
      const failed = () => {
        cleanup();
        reject(badRequest('Der Inhalt konnte nicht gelesen werden'));
      };
      const closed = () => (this.req.readableEnded ? done() : failed());
      const cleanup = () => {
        this.req.off('readable', done);
        this.req.off('end', done);
        this.req.off('error', failed);
        this.req.off('close', closed);
      };
      this.req.on('readable', done);
      this.req.on('end', done);
      this.req.on('error', failed);
      this.req.on('close', closed);
    });
  }
}

export class MultipartReader {
  private readonly body: BodyReader;
  private readonly delimiter: Buffer;
  // a CRLF in front lets the first boundary match the same delimiter as all others
  private buffer: Buffer = Buffer.from('\r\n');
  private finished = false;

  constructor(req: IncomingMessage, boundary: string, limitBytes: number) {
    this.body = new BodyReader(req, limitBytes);
    this.delimiter = Buffer.from(`\r\n--${boundary}`);
  }

  /** The next part's headers, skipping what is left of the current part; undefined after the last part. */
  async nextPart(): Promise<PartHeaders | undefined> {
    if (this.finished) return undefined;
    for await (const skipped of this.partBody()) void skipped;
    this.buffer = this.buffer.subarray(this.delimiter.length);
    await this.fill(2);
    if (this.buffer.subarray(0, 2).toString('latin1') === '--') {
      this.finished = true;
      return undefined;
    }
    let end: number;
    while ((end = this.buffer.indexOf('\r\n\r\n')) < 0) {
      if (this.buffer.length > MAX_HEADER_BYTES) throw badRequest('Ungültiger multipart/form-data-Inhalt');
      await this.fill(this.buffer.length + 1);
    }
    const headers = this.buffer.subarray(0, end).toString('utf8');
    this.buffer = this.buffer.subarray(end + 4);
    return parseDisposition(headers);
  }

  /** The current part's content, chunk by chunk, up to (not including) the next delimiter. */
  async *partBody(): AsyncGenerator<Buffer> {
    for (;;) {
      const at = this.buffer.indexOf(this.delimiter);
      if (at >= 0) {
        if (at > 0) yield this.buffer.subarray(0, at);
        this.buffer = this.buffer.subarray(at);
        return;
      }
      // everything except a possible beginning of the delimiter is content
      const safe = this.buffer.length - (this.delimiter.length - 1);
      if (safe > 0) {
        const content = this.buffer.subarray(0, safe);
        this.buffer = this.buffer.subarray(safe);
        yield content;
      }
      await this.fill(this.buffer.length + 1);
    }
  }

  /** Reads until the buffer holds at least `bytes` bytes; a body that ends first is malformed. */
  private async fill(bytes: number): Promise<void> {
    while (this.buffer.length < bytes) {
      const chunk = await this.body.read();
      if (chunk === null) throw badRequest('Ungültiger multipart/form-data-Inhalt (unvollständig)');
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    }
  }
}

/** The multipart boundary of a content type, or undefined. */
export function boundaryOf(contentType: string): string | undefined {
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

function parseDisposition(headers: string): PartHeaders {
  const line = headers.split('\r\n').find((l) => /^content-disposition:/i.test(l));
  if (!line || !/:\s*form-data\s*(;|$)/i.test(line)) throw badRequest('Ungültiger multipart/form-data-Inhalt (Content-Disposition fehlt)');
  const param = (key: string) => {
    const match = new RegExp(`;\\s*${key}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(line) ?? new RegExp(`;\\s*${key}=([^;\\s]+)`, 'i').exec(line);
    return match ? match[1]!.replace(/\\(.)/g, '$1') : undefined;
  };
  const name = param('name');
  if (name === undefined) throw badRequest('Ungültiger multipart/form-data-Inhalt (Teil ohne Namen)');
  return { name, filename: param('filename') };
}
