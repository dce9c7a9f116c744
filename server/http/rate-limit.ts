/**
 * Rate limits of the public endpoints: a token bucket per client address, kept in memory (per
 * server process; behind several servers the proxy should limit as well). A verified portal
 * client (ctx.state.caller.client, DESIGN.md §6) submits for many people from one address: it
 * gets its own bucket `client:<id>` with its own limit instead, so it neither exhausts nor is
 * exhausted by the anonymous callers of that address. Answers 429 with Retry-After.
 */
import type { Context, Next } from 'koa';
import { DomainError } from '../domain/errors';
import type { Caller } from '../domain/identity';
import { LruMap } from '../lib/lru-map';

const MAX_TRACKED_CLIENTS = 50_000;

/** A portal client's requests per minute. */
export type ClientLimit = (clientId: string) => Promise<number>;

export function rateLimit(perMinute: number, name: string, clientLimit?: ClientLimit) {
  const buckets = new LruMap<string, { tokens: number; updated: number }>(MAX_TRACKED_CLIENTS);
  return async (ctx: Context, next: Next) => {
    const client = clientLimit ? (ctx.state as { caller?: Caller }).caller?.client : undefined;
    const [key, limit] = client ? [`client:${client.clientId}`, await clientLimit!(client.clientId)] : [`ip:${ctx.ip || 'unknown'}`, perMinute];
    const now = Date.now();
    const refillPerMs = limit / 60_000;
    const bucket = buckets.get(key) ?? { tokens: limit, updated: now };
    bucket.tokens = Math.min(limit, bucket.tokens + (now - bucket.updated) * refillPerMs);
    bucket.updated = now;
    buckets.set(key, bucket);
    if (bucket.tokens < 1) {
      const retryAfter = Math.ceil((1 - bucket.tokens) / refillPerMs / 1000);
      throw new DomainError(429, 'Too Many Requests', `Zu viele Anfragen (${name}); bitte in ${retryAfter} s erneut versuchen`, undefined, { 'Retry-After': String(retryAfter) });
    }
    bucket.tokens -= 1;
    await next();
  };
}
