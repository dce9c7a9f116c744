import { sha256 } from '../lib/hash';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Db } from '../db/database';
import { nowIso } from '../db/database';

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

/** Document metadata in the database, file content on disk below `<dataDir>/documents`. */
export class DocumentRepository {
  private readonly root: string;

  constructor(
    private readonly db: Db,
    dataDir: string,
  ) {
    this.root = path.join(dataDir, 'documents');
  }

  /** Idempotent per (case, job key, kind): a retried job gets its first document back. */
  async store(doc: { caseId: number; jobKey: string; kind: string; name: string; contentType: string; content: Buffer }): Promise<DocumentRecord> {
    const key = { case_id: doc.caseId, job_key: doc.jobKey, kind: doc.kind };
    const existing = await this.db('documents').where(key).first();
    if (existing) return toDocument(existing);
    const file = await this.writeContent(doc.content);
    const id = await this.insertRecord(this.db, { ...doc, ...file });
    const saved = await this.db('documents').where(key).first();
    // lost a race against a concurrent retry of the same job: keep theirs, drop our file
    if (saved.id !== id) await this.discard(file.storageKey);
    return toDocument(saved);
  }

  /**
   * Writes file content below the documents folder, to a temporary name first so a crash never
   * leaves a half-written file under the real name. The caller inserts the record (with
   * insertRecord, possibly in its own transaction) or removes the file with discard.
   */
  async writeContent(content: Buffer): Promise<{ storageKey: string; sha256: string; size: number }> {
    const storageKey = path.join('files', crypto.randomUUID());
    const file = path.join(this.root, storageKey);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(`${file}.tmp`, content);
    await fs.rename(`${file}.tmp`, file);
    return { storageKey, sha256: sha256(content), size: content.length };
  }

  async discard(storageKey: string): Promise<void> {
    await fs.rm(path.join(this.root, storageKey), { force: true });
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

  async read(doc: DocumentRecord): Promise<Buffer> {
    return fs.readFile(path.join(this.root, doc.storageKey));
  }
}

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
