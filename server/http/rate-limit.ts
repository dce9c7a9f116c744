/**
 * Rate limits of the public endpoints, per client address and minute, counted in the database
 * so every server process shares them (domain/throttle.ts). A verified portal client
 * (ctx.state.caller.client, DESIGN.md §6) submits for many people from one address: it gets its
 * own counter `client:<id>` with its own limit instead, so it neither exhausts nor is exhausted
 * by the anonymous callers of that address. Answers 429 with Retry-After.
 */
import type { Context, Next } from 'koa';
import type { Caller } from '../domain/identity';
import type { RateLimiter } from '../domain/throttle';

/** A portal client's requests per minute. */
export type ClientLimit = (clientId: string) => Promise<number>;

const MINUTE_MS = 60_000;

export function rateLimit(limiter: Pick<RateLimiter, 'consume'>, perMinute: number, name: string, clientLimit?: ClientLimit) {
  return async (ctx: Context, next: Next) => {
    const client = clientLimit ? (ctx.state as { caller?: Caller }).caller?.client : undefined;
    const [who, max] = client ? [`client:${client.clientId}`, await clientLimit!(client.clientId)] : [`ip:${ctx.ip || 'unknown'}`, perMinute];
    await limiter.consume(`rate:${name}:${who}`, { max, windowMs: MINUTE_MS }, name);
    await next();
  };
}
