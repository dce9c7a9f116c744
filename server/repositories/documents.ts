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
  async store(doc: { caseId: number; jobKey: string | null; kind: string; name: string; contentType: string; content: Buffer }): Promise<DocumentRecord> {
    if (doc.jobKey) {
      const existing = await this.db('documents').where({ case_id: doc.caseId, job_key: doc.jobKey, kind: doc.kind }).first();
      if (existing) return toDocument(existing);
    }
    const id = crypto.randomUUID();
    const storageKey = path.join(String(doc.caseId), id);
    const file = path.join(this.root, storageKey);
    await fs.mkdir(path.dirname(file), { recursive: true });
    // write to a temp name and rename: a crash never leaves a half-written file under the real name
    await fs.writeFile(`${file}.tmp`, doc.content);
    await fs.rename(`${file}.tmp`, file);
    const record = {
      id,
      case_id: doc.caseId,
      kind: doc.kind,
      name: doc.name,
      content_type: doc.contentType,
      size: doc.content.length,
      sha256: crypto.createHash('sha256').update(doc.content).digest('hex'),
      storage_key: storageKey,
      job_key: doc.jobKey,
      created_at: nowIso(),
    };
    const inserted = await this.db('documents').insert(record).onConflict(['case_id', 'job_key', 'kind']).ignore();
    if (Array.isArray(inserted) && inserted.length === 0 && doc.jobKey) {
      // lost a race against a concurrent retry of the same job: keep theirs
      await fs.rm(file, { force: true });
      return toDocument(await this.db('documents').where({ case_id: doc.caseId, job_key: doc.jobKey, kind: doc.kind }).first());
    }
    return toDocument(record);
  }

  /**
   * Writes file content below the documents folder and returns where; the caller inserts the
   * record (in its own transaction) with insertRecord, or removes the file with discard.
   */
  async writeContent(content: Buffer): Promise<{ storageKey: string; sha256: string; size: number }> {
    const storageKey = path.join('uploads', crypto.randomUUID());
    const file = path.join(this.root, storageKey);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(`${file}.tmp`, content);
    await fs.rename(`${file}.tmp`, file);
    return { storageKey, sha256: crypto.createHash('sha256').update(content).digest('hex'), size: content.length };
  }

  async discard(storageKey: string): Promise<void> {
    await fs.rm(path.join(this.root, storageKey), { force: true });
  }

  async insertRecord(
    trx: Knex.Transaction,
    doc: { caseId: number; kind: string; name: string; contentType: string; storageKey: string; sha256: string; size: number },
  ): Promise<string> {
    const id = crypto.randomUUID();
    await trx('documents').insert({
      id,
      case_id: doc.caseId,
      kind: doc.kind,
      name: doc.name,
      content_type: doc.contentType,
      size: doc.size,
      sha256: doc.sha256,
      storage_key: doc.storageKey,
      job_key: null,
      created_at: nowIso(),
    });
    return id;
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
    createdAt: row.created_at,
  };
}
