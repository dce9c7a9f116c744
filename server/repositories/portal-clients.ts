/**
 * Portal clients (portal_clients, migration 009): per-client settings of OAuth clients that submit
 * for many people: name, rate limit, status-callback URL and its HMAC secret, active flag.
 * The callback secret is stored sealed (domain/secret-box.ts) and read only by the status-callback
 * relay; listings never carry it.
 */
import type { Db } from '../db/database';
import { nowIso } from '../db/database';

export interface PortalClientRecord {
  clientId: string;
  name: string;
  rateLimitPerMinute: number | null;
  callbackUrl: string | null;
  /** whether a callback secret is stored (the secret itself is never listed) */
  hasCallbackSecret: boolean;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

/** Where and how a client's status callbacks go (the secret sealed, as stored). */
export interface CallbackTarget {
  url: string | null;
  secret: string | null;
  active: boolean;
}

/** Fields of an upsert; an omitted (undefined) field keeps the stored value, null clears it. */
export interface PortalClientChange {
  name: string;
  rateLimitPerMinute?: number | null;
  callbackUrl?: string | null;
  callbackSecret?: string | null;
  active?: boolean;
}

export class PortalClientRepository {
  constructor(private readonly db: Db) {}

  async get(clientId: string): Promise<PortalClientRecord | undefined> {
    const row = await this.db('portal_clients').where({ client_id: clientId }).first();
    return row ? toPortalClient(row) : undefined;
  }

  async list(): Promise<PortalClientRecord[]> {
    const rows = await this.db('portal_clients').orderBy('client_id');
    return rows.map(toPortalClient);
  }

  /** Where and how to send a client's status callbacks; undefined when the client is unknown. */
  async callbackTarget(clientId: string): Promise<CallbackTarget | undefined> {
    const row = await this.db('portal_clients').where({ client_id: clientId }).first('callback_url', 'callback_secret', 'active');
    return row ? { url: row.callback_url, secret: row.callback_secret, active: Boolean(row.active) } : undefined;
  }

  /** Creates or updates a client (one statement: safe when two admins save at once). */
  async upsert(clientId: string, change: PortalClientChange): Promise<PortalClientRecord> {
    const now = nowIso();
    const values: Record<string, unknown> = { name: change.name, updated_at: now };
    if (change.rateLimitPerMinute !== undefined) values.rate_limit_per_minute = change.rateLimitPerMinute;
    if (change.callbackUrl !== undefined) values.callback_url = change.callbackUrl;
    if (change.callbackSecret !== undefined) values.callback_secret = change.callbackSecret;
    if (change.active !== undefined) values.active = change.active;
    await this.db('portal_clients')
      .insert({ client_id: clientId, active: true, created_at: now, ...values })
      .onConflict('client_id')
      .merge(Object.keys(values));
    return (await this.get(clientId))!;
  }
}

function toPortalClient(row: any): PortalClientRecord {
  return {
    clientId: row.client_id,
    name: row.name,
    rateLimitPerMinute: row.rate_limit_per_minute ?? null,
    callbackUrl: row.callback_url ?? null,
    hasCallbackSecret: Boolean(row.callback_secret),
    active: Boolean(row.active),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
