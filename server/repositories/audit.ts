/**
 * The administration's audit trail (admin_audit_events, migration 018): who changed what, the
 * values before and after, and when. Written in the transaction of the change it records.
 */
import type { Knex } from 'knex';
import type { Db } from '../db/database';
import { nowIso, parseJson } from '../db/database';
import { cappedCount, COUNT_CAP, containsPattern, type ListPage } from './list-page';

export interface AuditEvent {
  id: number;
  at: string;
  actor: string;
  action: string;
  entityType: 'user' | 'organisation';
  entityId: string;
  organisations: string[];
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export type NewAuditEvent = Omit<AuditEvent, 'id' | 'at'>;

export interface AuditQuery {
  /** 'all', or only events concerning one of these organisations (an organisation admin's view) */
  concerning: string[] | 'all';
  filter: { actor?: string; action?: string; entityType?: 'user' | 'organisation'; entityId?: string; from?: string; to?: string };
  order: 'ASC' | 'DESC';
  range: [number, number];
}

export class AuditRepository {
  constructor(private readonly db: Db) {}

  async record(trx: Knex.Transaction, event: NewAuditEvent): Promise<void> {
    await trx('admin_audit_events').insert({
      at: nowIso(),
      actor: event.actor,
      action: event.action,
      entity_type: event.entityType,
      entity_id: event.entityId,
      organisations: JSON.stringify(event.organisations),
      before: event.before ? JSON.stringify(event.before) : null,
      after: event.after ? JSON.stringify(event.after) : null,
    });
  }

  async list(query: AuditQuery): Promise<ListPage<AuditEvent>> {
    const { actor, action, entityType, entityId, from, to } = query.filter;
    const base = this.db('admin_audit_events').modify((b) => {
      if (query.concerning !== 'all') {
        const orgs = query.concerning;
        // organisations is a JSON array of ids: match each id with its quotes
        b.where((w) => {
          for (const org of orgs) w.orWhereRaw(`organisations like ? escape '\\'`, [containsPattern(JSON.stringify(org))]);
          if (orgs.length === 0) w.whereRaw('1 = 0');
        });
      }
      if (actor) b.where({ actor });
      if (action) b.where({ action });
      if (entityType) b.where({ entity_type: entityType });
      if (entityId) b.where({ entity_id: entityId });
      if (from) b.where('at', '>=', from);
      if (to) b.where('at', '<', to);
    });
    const direction = query.order === 'ASC' ? 'asc' : 'desc';
    const rows = await base
      .clone()
      .orderBy([
        { column: 'at', order: direction },
        { column: 'id', order: direction },
      ])
      .offset(query.range[0])
      .limit(query.range[1] - query.range[0] + 1);
    return { rows: rows.map(toAuditEvent), ...(await cappedCount(this.db, base, query.range, COUNT_CAP)) };
  }
}

function toAuditEvent(row: any): AuditEvent {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    organisations: parseJson<string[]>(row.organisations, []),
    before: parseJson<Record<string, unknown> | null>(row.before, null),
    after: parseJson<Record<string, unknown> | null>(row.after, null),
  };
}
