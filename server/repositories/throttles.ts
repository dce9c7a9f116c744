/**
 * Counters of rate limits and login throttling, shared by every process through the database
 * (migration 013), and the security events they raise. Times are epoch milliseconds.
 */
import type { Db } from '../db/database';
import { nowIso } from '../db/database';

export interface ThrottleCounter {
  /** hits in the current window */
  hits: number;
  windowEndsAt: number;
  /** 0, or until when the key is locked out */
  blockedUntil: number;
  /** lockouts since the key was last quiet for a whole window */
  lockouts: number;
}

export interface SecurityEvent {
  type: string;
  username?: string;
  address?: string;
  details?: Record<string, unknown>;
}

const TABLE = 'throttle_counters';

export class ThrottleRepository {
  constructor(private readonly db: Db) {}

  /**
   * Counts one hit of `key` and returns the counter after it: a new window (and no lockouts)
   * once the last window ended, no hit while the key is blocked. One upsert, so hits from
   * concurrent processes are never lost.
   */
  async hit(key: string, now: number, windowMs: number): Promise<ThrottleCounter> {
    const t = TABLE;
    const blocked = `${t}.blocked_until > ${Number(now)}`;
    const windowOver = `${t}.window_ends_at <= ${Number(now)}`;
    const [row] = (await this.db(t)
      .insert({ key, hits: 1, window_ends_at: now + windowMs, blocked_until: 0, lockouts: 0 })
      .onConflict('key')
      .merge({
        hits: this.db.raw(`CASE WHEN ${blocked} THEN ${t}.hits WHEN ${windowOver} THEN 1 ELSE ${t}.hits + 1 END`),
        lockouts: this.db.raw(`CASE WHEN ${blocked} THEN ${t}.lockouts WHEN ${windowOver} THEN 0 ELSE ${t}.lockouts END`),
        window_ends_at: this.db.raw(`CASE WHEN ${blocked} THEN ${t}.window_ends_at WHEN ${windowOver} THEN ? ELSE ${t}.window_ends_at END`, [now + windowMs]),
      })
      .returning(['hits', 'window_ends_at', 'blocked_until', 'lockouts'])) as Array<Record<string, number | string>>;
    return { hits: Number(row!.hits), windowEndsAt: Number(row!.window_ends_at), blockedUntil: Number(row!.blocked_until), lockouts: Number(row!.lockouts) };
  }

  /** Locks `key` out until `blockedUntil`; the window is extended past it, so lockouts keep adding up. */
  async block(key: string, counter: Pick<ThrottleCounter, 'hits' | 'blockedUntil' | 'lockouts' | 'windowEndsAt'>): Promise<void> {
    await this.db(TABLE).where({ key }).update({ hits: counter.hits, blocked_until: counter.blockedUntil, lockouts: counter.lockouts, window_ends_at: counter.windowEndsAt });
  }

  /** Takes one hit back (a successful login does not count against its address). */
  async refund(key: string): Promise<void> {
    await this.db(TABLE).where({ key }).andWhere('hits', '>', 0).decrement('hits', 1);
  }

  async reset(key: string): Promise<void> {
    await this.db(TABLE).where({ key }).delete();
  }

  /** Counters whose window and lockout are over are as good as absent. */
  async deleteExpired(now: number): Promise<number> {
    return this.db(TABLE).where('window_ends_at', '<', now).andWhere('blocked_until', '<', now).delete();
  }

  async recordEvent(event: SecurityEvent): Promise<void> {
    await this.db('security_events').insert({
      at: nowIso(),
      type: event.type,
      username: event.username?.slice(0, 100) ?? null,
      address: event.address?.slice(0, 100) ?? null,
      details: event.details ? JSON.stringify(event.details) : null,
    });
  }

  async events(username: string): Promise<Array<SecurityEvent & { at: string }>> {
    const rows = (await this.db('security_events').where({ username }).orderBy('id')) as Array<{ at: string; type: string; username: string | null; address: string | null; details: string | null }>;
    return rows.map((r) => ({
      at: r.at,
      type: r.type,
      username: r.username ?? undefined,
      address: r.address ?? undefined,
      details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : undefined,
    }));
  }
}
