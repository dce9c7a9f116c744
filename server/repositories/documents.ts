import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Knex } from 'knex';
import type { Db } from '../db/database';
import { nowIso } from '../db/database';
import { DatabaseDocumentStore, type ContentSource, type DocumentStore, type StoredContent } from './document-store';

export interface DocumentRecord {
  id: string;
  caseId: number;
  kind: string;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  storageKey: string;
  /** the request for information a `reply-attachment` answers */
  infoRequestId: string | null;
  createdAt: string;
}

/** Document metadata in the `documents` table; the content in the document store (database or S3). */
export class DocumentRepository {
  constructor(
    private readonly db: Db,
    private readonly content: DocumentStore = new DatabaseDocumentStore(db),
  ) {}

  /** Idempotent per (case, job key, kind): a retried job gets its first document back. */
  async store(doc: { caseId: number; jobKey: string; kind: string; name: string; contentType: string; content: Buffer }): Promise<DocumentRecord> {
    const key = { case_id: doc.caseId, job_key: doc.jobKey, kind: doc.kind };
    const existing = await this.db('documents').where(key).first();
    if (existing) return toDocument(existing);
    const stored = await this.content.write(doc.content);
    const id = await this.insertRecord(this.db, { ...doc, ...stored });
    const saved = await this.db('documents').where(key).first();
    // lost a race against a concurrent retry of the same job: keep theirs, drop our content
    if (saved.id !== id) await this.content.remove(stored.storageKey);
    return toDocument(saved);
  }

  /**
   * Writes content to the store under a new key. The caller links it with insertRecord (possibly
   * in its own transaction); content nobody links is removed by discardUnlinked.
   */
  async writeContent(source: ContentSource): Promise<StoredContent> {
    return this.content.write(source);
  }

  /** Removes the content under these keys that no document names (a refused or replayed upload). */
  async discardUnlinked(storageKeys: string[]): Promise<void> {
    if (storageKeys.length === 0) return;
    const linked = new Set((await this.db('documents').whereIn('storage_key', storageKeys).select('storage_key')).map((r: { storage_key: string }) => r.storage_key));
    await Promise.all(storageKeys.filter((k) => !linked.has(k)).map((k) => this.content.remove(k)));
  }

  /** Content left unlinked by a crash between writing and linking, older than `cutoff`. */
  async removeUnlinkedContentBefore(cutoff: string): Promise<number> {
    return this.content.removeUnlinkedBefore(cutoff);
  }

  /** Inserts the record of written content; a second record for the same job and kind is ignored. */
  async insertRecord(
    db: Knex | Knex.Transaction,
    doc: { caseId: number; jobKey?: string; infoRequestId?: string; kind: string; name: string; contentType: string; storageKey: string; sha256: string; size: number },
  ): Promise<string> {
    const id = crypto.randomUUID();
    await db('documents')
      .insert({
        id,
        case_id: doc.caseId,
        kind: doc.kind,
        name: doc.name,
        content_type: doc.contentType,
        size: doc.size,
        sha256: doc.sha256,
        storage_key: doc.storageKey,
        job_key: doc.jobKey ?? null,
        info_request_id: doc.infoRequestId ?? null,
        created_at: nowIso(),
      })
      .onConflict(['case_id', 'job_key', 'kind'])
      .ignore();
    return id;
  }

  /** Unlinks the files of a reply that could not be delivered; returns their storage keys to discard. */
  async removeForInfoRequest(db: Knex | Knex.Transaction, infoRequestId: string): Promise<string[]> {
    const rows = await db('documents').where({ info_request_id: infoRequestId }).select('storage_key');
    await db('documents').where({ info_request_id: infoRequestId }).delete();
    return rows.map((r: { storage_key: string }) => r.storage_key);
  }

  async forCase(caseId: number): Promise<DocumentRecord[]> {
    const rows = await this.db('documents').where({ case_id: caseId }).orderBy('created_at');
    return rows.map(toDocument);
  }

  async get(caseId: number, id: string): Promise<DocumentRecord | undefined> {
    const row = await this.db('documents').where({ case_id: caseId, id }).first();
    return row ? toDocument(row) : undefined;
  }

  /** The document's content as a stream; undefined when the store has none (e.g. a file never migrated). */
  async read(doc: DocumentRecord): Promise<Readable | undefined> {
    return this.content.read(doc.storageKey);
  }

  /** Documents whose content is still a file below an old local `DATA_DIR/documents` (key `files/<uuid>`). */
  async withLocalFiles(): Promise<DocumentRecord[]> {
    const rows = await this.db('documents').where('storage_key', 'like', `${LOCAL_FILE_PREFIX}%`).orderBy('created_at');
    return rows.map(toDocument);
  }

  /**
   * Points a document at content moved into the store, if it still names `fromKey`: false when
   * another process moved it first (the caller removes its own copy).
   */
  async moveContent(id: string, fromKey: string, toKey: string): Promise<boolean> {
    return (await this.db('documents').where({ id, storage_key: fromKey }).update({ storage_key: toKey })) === 1;
  }

  async removeContent(storageKey: string): Promise<void> {
    await this.content.remove(storageKey);
  }
}

/** storage keys of content written to the local DATA_DIR before the document store (issue 15) */
export const LOCAL_FILE_PREFIX = 'files/';

function toDocument(row: any): DocumentRecord {
  return {
    id: row.id,
    caseId: row.case_id,
    kind: row.kind,
    name: row.name,
    contentType: row.content_type,
    size: row.size,
    sha256: row.sha256,
    storageKey: row.storage_key,
    infoRequestId: row.info_request_id ?? null,
    createdAt: row.created_at,
  };
}
