import type { Db } from '../db/database';
import { nowIso } from '../db/database';

export interface CaseNote {
  id: number;
  caseId: number;
  author: string;
  authorName: string;
  body: string;
  createdAt: string;
}

/** Internal notes on a case: staff only; authors may delete their own. */
export class NoteRepository {
  constructor(private readonly db: Db) {}

  async forCase(caseId: number): Promise<CaseNote[]> {
    const rows = await this.db('case_notes').where({ case_id: caseId }).orderBy('id', 'desc');
    return rows.map(toNote);
  }

  async get(caseId: number, id: number): Promise<CaseNote | undefined> {
    const row = await this.db('case_notes').where({ case_id: caseId, id }).first();
    return row ? toNote(row) : undefined;
  }

  async insert(note: Omit<CaseNote, 'id' | 'createdAt'>): Promise<CaseNote> {
    const createdAt = nowIso();
    const [row] = await this.db('case_notes').insert({ case_id: note.caseId, author: note.author, author_name: note.authorName, body: note.body, created_at: createdAt }).returning('id');
    const id = typeof row === 'object' ? row.id : row;
    return { ...note, id, createdAt };
  }

  /** Deletes a note only if the given user wrote it; false otherwise. */
  async deleteOwn(caseId: number, id: number, author: string): Promise<boolean> {
    return (await this.db('case_notes').where({ case_id: caseId, id, author }).delete()) === 1;
  }
}

function toNote(row: any): CaseNote {
  return { id: row.id, caseId: row.case_id, author: row.author, authorName: row.author_name, body: row.body, createdAt: row.created_at };
}
