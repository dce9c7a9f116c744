/** Drafts of a service's process saved by process owners (BPMN XML + forms), with history. */
import type { Db } from '../db/database';
import { nowIso } from '../db/database';
import type { StoredForm } from './deployments';

export interface ProcessRevision {
  id: number;
  serviceKey: string;
  bpmnXml: string;
  forms: StoredForm[];
  comment: string;
  author: string;
  createdAt: string;
}

export class ProcessRevisionRepository {
  constructor(private readonly db: Db) {}

  async create(r: Omit<ProcessRevision, 'id' | 'createdAt'>): Promise<ProcessRevision> {
    const createdAt = nowIso();
    const [row] = await this.db('process_revisions')
      .insert({ service_key: r.serviceKey, bpmn_xml: r.bpmnXml, forms_json: JSON.stringify(r.forms), comment: r.comment, author: r.author, created_at: createdAt })
      .returning('id');
    const id = typeof row === 'object' ? (row as { id: number }).id : (row as number);
    return { ...r, id, createdAt };
  }

  async get(serviceKey: string, id: number): Promise<ProcessRevision | undefined> {
    const row = await this.db('process_revisions').where({ service_key: serviceKey, id }).first();
    return row ? toRevision(row) : undefined;
  }

  /** Newest first, without the content. */
  async list(serviceKey: string): Promise<Array<Omit<ProcessRevision, 'bpmnXml' | 'forms'>>> {
    const rows = await this.db('process_revisions').where({ service_key: serviceKey }).orderBy('id', 'desc').select('id', 'service_key', 'comment', 'author', 'created_at');
    return rows.map((row: any) => ({ id: row.id, serviceKey: row.service_key, comment: row.comment, author: row.author, createdAt: row.created_at }));
  }
}

function toRevision(row: any): ProcessRevision {
  return { id: row.id, serviceKey: row.service_key, bpmnXml: row.bpmn_xml, forms: JSON.parse(row.forms_json), comment: row.comment, author: row.author, createdAt: row.created_at };
}
