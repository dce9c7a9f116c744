/**
 * Where document content lives (DESIGN.md §8: storage every process reads). The port has two
 * implementations: the database (default, below) and S3-compatible object storage
 * (s3-document-store.ts). Both take content as a stream and hand it back as one, so neither an
 * upload nor a download holds a whole file in memory.
 *
 * Content is written under a fresh key and only becomes part of a case when a `documents` row
 * names that key; a writer that fails removes what it wrote, and content no row links is
 * discarded by its writer or, after a crash, by the hourly clean-up.
 */
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import type { Db } from '../db/database';
import { nowIso } from '../db/database';

/** content to store: a buffer (generated PDFs) or a byte stream (uploads, migrated files) */
export type ContentSource = Buffer | AsyncIterable<Uint8Array>;

export interface StoredContent {
  storageKey: string;
  size: number;
  sha256: string;
}

export interface DocumentStore {
  /** Stores content under a new key. When the source fails (e.g. an upload over its limit), nothing stays written and the error is rethrown. */
  write(source: ContentSource): Promise<StoredContent>;
  /** The content as a stream, or undefined when the store has nothing under the key. */
  read(storageKey: string): Promise<Readable | undefined>;
  remove(storageKey: string): Promise<void>;
  /** Removes content written before `cutoff` that no document names (left by a crash); returns how many went. */
  removeUnlinkedBefore(cutoff: string): Promise<number>;
}

/** Splits a source into pieces of `size` bytes (the last one shorter) while counting and hashing it. */
export async function* pieces(source: ContentSource, size: number, digest: { hash: crypto.Hash; bytes: number }): AsyncGenerator<Buffer> {
  const input = Buffer.isBuffer(source) ? [source] : source;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of input) {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    digest.hash.update(bytes);
    digest.bytes += bytes.length;
    pending.push(bytes);
    pendingBytes += bytes.length;
    while (pendingBytes >= size) {
      const all = Buffer.concat(pending);
      yield all.subarray(0, size);
      pending = [all.subarray(size)];
      pendingBytes -= size;
    }
  }
  if (pendingBytes > 0) yield Buffer.concat(pending);
}

/** 256 KiB rows: small enough for any PostgreSQL or SQLite setting, few enough rows per file */
const CHUNK_BYTES = 256 * 1024;

/** Content as `document_chunks` rows (PostgreSQL `bytea`, SQLite blob), read back one chunk at a time. */
export class DatabaseDocumentStore implements DocumentStore {
  constructor(private readonly db: Db) {}

  async write(source: ContentSource): Promise<StoredContent> {
    const storageKey = crypto.randomUUID();
    const digest = { hash: crypto.createHash('sha256'), bytes: 0 };
    const createdAt = nowIso();
    let seq = 0;
    try {
      for await (const data of pieces(source, CHUNK_BYTES, digest)) {
        await this.db('document_chunks').insert({ storage_key: storageKey, seq: seq++, data, created_at: createdAt });
      }
      // empty content still exists: one empty chunk tells it apart from missing content
      if (seq === 0) await this.db('document_chunks').insert({ storage_key: storageKey, seq: 0, data: Buffer.alloc(0), created_at: createdAt });
    } catch (err) {
      await this.remove(storageKey);
      throw err;
    }
    return { storageKey, size: digest.bytes, sha256: digest.hash.digest('hex') };
  }

  async read(storageKey: string): Promise<Readable | undefined> {
    const first = await this.chunk(storageKey, 0);
    if (!first) return undefined;
    const next = (seq: number) => this.chunk(storageKey, seq);
    return Readable.from(
      (async function* () {
        yield first;
        for (let seq = 1; ; seq++) {
          const data = await next(seq);
          if (!data) return;
          yield data;
        }
      })(),
    );
  }

  async remove(storageKey: string): Promise<void> {
    await this.db('document_chunks').where({ storage_key: storageKey }).delete();
  }

  async removeUnlinkedBefore(cutoff: string): Promise<number> {
    const linked = this.db('documents').select('storage_key');
    const orphans = this.db('document_chunks').distinct('storage_key').where('created_at', '<', cutoff).whereNotIn('storage_key', linked);
    const keys = (await orphans).map((r: { storage_key: string }) => r.storage_key);
    for (const key of keys) await this.remove(key);
    return keys.length;
  }

  private async chunk(storageKey: string, seq: number): Promise<Buffer | undefined> {
    const row = await this.db('document_chunks').where({ storage_key: storageKey, seq }).first('data');
    return row ? Buffer.from(row.data) : undefined;
  }
}
