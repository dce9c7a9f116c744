import type { Knex } from 'knex';
import type { Db } from '../db/database';
import { nowIso, parseJson } from '../db/database';
import type { CaseStatus } from '../../model/types';

export interface TimelineEvent {
  id: number;
  caseId: number;
  at: string;
  type: string;
  actor: string;
  label: string;
  status: CaseStatus | null;
  public: boolean;
  details: Record<string, unknown> | null;
}

export type NewTimelineEvent = Omit<TimelineEvent, 'id' | 'at' | 'status' | 'public' | 'details'> & Partial<Pick<TimelineEvent, 'status' | 'public' | 'details' | 'at'>>;

/** Append-only audit trail of a case: nothing here is ever updated or deleted. */
export class TimelineRepository {
  constructor(private readonly db: Db) {}

  async append(event: NewTimelineEvent, trx: Knex | Knex.Transaction = this.db): Promise<void> {
    await trx('timeline_events').insert({
      case_id: event.caseId,
      at: event.at ?? nowIso(),
      type: event.type,
      actor: event.actor,
      label: event.label.slice(0, 500),
      status: event.status ?? null,
      public: event.public ?? false,
      details: event.details ? JSON.stringify(event.details) : null,
    });
  }

  async forCase(caseId: number, onlyPublic = false): Promise<TimelineEvent[]> {
    const rows = await this.db('timeline_events')
      .where({ case_id: caseId })
      .modify((b) => {
        if (onlyPublic) b.where({ public: true });
      })
      .orderBy('id');
    return rows.map((r: any) => ({
      id: r.id,
      caseId: r.case_id,
      at: r.at,
      type: r.type,
      actor: r.actor,
      label: r.label,
      status: r.status,
      public: Boolean(r.public),
      details: parseJson(r.details, null),
    }));
  }
}
