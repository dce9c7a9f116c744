/**
 * Per-client-address rate limit for the public endpoints: a token bucket per address, kept in
 * memory (per server process; behind several servers the proxy should limit as well).
 * Answers 429 with Retry-After.
 */
import type { Context, Next } from 'koa';
import { DomainError } from '../domain/errors';
import { LruMap } from '../lib/lru-map';

const MAX_TRACKED_CLIENTS = 50_000;

export function rateLimit(perMinute: number, name: string) {
  const buckets = new LruMap<string, { tokens: number; updated: number }>(MAX_TRACKED_CLIENTS);
  const refillPerMs = perMinute / 60_000;
  return async (ctx: Context, next: Next) => {
    const now = Date.now();
    const client = ctx.ip || 'unknown';
    const bucket = buckets.get(client) ?? { tokens: perMinute, updated: now };
    bucket.tokens = Math.min(perMinute, bucket.tokens + (now - bucket.updated) * refillPerMs);
    bucket.updated = now;
    buckets.set(client, bucket);
    if (bucket.tokens < 1) {
      const retryAfter = Math.ceil((1 - bucket.tokens) / refillPerMs / 1000);
      throw new DomainError(429, 'Too Many Requests', `Zu viele Anfragen (${name}); bitte in ${retryAfter} s erneut versuchen`, undefined, { 'Retry-After': String(retryAfter) });
    }
    bucket.tokens -= 1;
    await next();
  };
}
