/**
 * Files that applicants send, and files left in a local DATA_DIR by earlier versions: both go
 * into the document store every process reads (issue 15, item 3).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Readable } from 'node:stream';
import type { Repositories } from '../repositories';
import type { StoredContent } from '../repositories/document-store';
import type { DocumentRecord } from '../repositories/documents';
import { notFound } from './errors';

/** An uploaded file, already in the store, not yet linked to a case. */
export interface StoredAttachment extends StoredContent {
  name: string;
  contentType: string;
}

export class DocumentUploads {
  constructor(
    private readonly repos: Repositories,
    private readonly log: Logger,
  ) {}

  store(body: AsyncIterable<Buffer>): Promise<StoredContent> {
    return this.repos.documents.writeContent(body);
  }

  /** Removes stored uploads that did not become part of a case (refused, failed or replayed request). */
  async discardUnlinked(attachments: StoredAttachment[]): Promise<void> {
    await this.repos.documents.discardUnlinked(attachments.map((a) => a.storageKey));
  }

  /**
   * Moves document files from `<dataDir>/documents` into the store, once, at start-up. Each file is
   * copied first and its document switched to the copy only if it still names the file, so two
   * processes starting together keep one copy, and an interruption loses nothing (the file is
   * deleted only after the switch). Files of another process's DATA_DIR are that process's to move.
   */
  async migrateLocalFiles(dataDir: string): Promise<number> {
    const root = path.join(dataDir, 'documents');
    let moved = 0;
    for (const doc of await this.repos.documents.withLocalFiles()) {
      const file = path.join(root, doc.storageKey);
      const copy = await this.repos.documents.writeContent(fs.createReadStream(file)).catch((err: NodeJS.ErrnoException) => {
        // not in this DATA_DIR, or another process moved it a moment ago
        if (err.code === 'ENOENT') return undefined;
        throw err;
      });
      if (!copy) continue;
      if (copy.sha256 !== doc.sha256) {
        // the file is not what was filed: leave it (and the document) for a person to look at
        this.log.error({ documentId: doc.id, file }, 'document file does not match its recorded SHA-256; not migrated');
        await this.repos.documents.removeContent(copy.storageKey);
        continue;
      }
      if (await this.repos.documents.moveContent(doc.id, doc.storageKey, copy.storageKey)) {
        moved += 1;
        await fs.promises.rm(file, { force: true });
      } else {
        await this.repos.documents.removeContent(copy.storageKey);
      }
    }
    if (moved > 0) this.log.info({ moved, from: root }, 'document files moved into the document store');
    return moved;
  }
}

/** A document's content for download; 404 when the store has none (never a 500). */
export async function contentOf(repos: Repositories, doc: DocumentRecord): Promise<Readable> {
  const content = await repos.documents.read(doc);
  if (!content) throw notFound('Dokument nicht gefunden');
  return content;
}
