/**
 * Rate limits and login throttling shared by every process (issue 15, DESIGN.md §8): the
 * counters live in the database (repositories/throttles.ts), so a second server behind the load
 * balancer neither resets nor doubles anyone's allowance.
 */
import type { Logger } from 'pino';
import type { Repositories } from '../repositories';
import type { ThrottleCounter } from '../repositories/throttles';
import { DomainError } from './errors';

export interface Limit {
  max: number;
  windowMs: number;
}

const tooManyRequests = (detail: string, retryAfterMs: number) => {
  const seconds = String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
  return new DomainError(429, 'Too Many Requests', `${detail}; bitte in ${seconds} s erneut versuchen`, undefined, { 'Retry-After': seconds });
};

/** A fixed-window rate limit per key: 429 with Retry-After once `limit.max` hits are used up. */
export class RateLimiter {
  constructor(
    private readonly repos: Pick<Repositories, 'throttles'>,
    private readonly now: () => number = Date.now,
  ) {}

  async consume(key: string, limit: Limit, what: string): Promise<void> {
    const now = this.now();
    const counter = await this.repos.throttles.hit(key, now, limit.windowMs);
    if (counter.hits > limit.max) throw tooManyRequests(`Zu viele Anfragen (${what})`, counter.windowEndsAt - now);
  }
}

export interface LoginThrottleSettings {
  /** failed logins of one account within the window before it is locked out */
  maxFailuresPerAccount: number;
  /** failed logins from one address within the window before it is locked out */
  maxFailuresPerAddress: number;
  /** the first lockout; each further one in a row doubles it, up to MAX_LOCKOUT_MS */
  lockoutMs: number;
}

const FAILURE_WINDOW_MS = 15 * 60_000;
const MAX_LOCKOUT_MS = 3600_000;

/**
 * Login throttling per account and per address. An attempt is counted before the password is
 * checked (so parallel guesses cannot slip past the limit); a success takes it back. The failure
 * that reaches the limit locks the key out, and the lockout doubles each time the lockout ends
 * with another failure, until the key has been quiet for a whole window. Each lockout is a
 * security event.
 */
export class LoginThrottle {
  constructor(
    private readonly repos: Pick<Repositories, 'throttles'>,
    private readonly settings: LoginThrottleSettings,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async attempt<T>(username: string, address: string, check: () => Promise<T | undefined>): Promise<T | undefined> {
    const keys = [
      { key: `login:account:${username.toLowerCase()}`, max: this.settings.maxFailuresPerAccount, subject: { username } },
      { key: `login:address:${address}`, max: this.settings.maxFailuresPerAddress, subject: { address } },
    ];
    const now = this.now();
    const counters = await Promise.all(keys.map((k) => this.repos.throttles.hit(k.key, now, FAILURE_WINDOW_MS)));
    const blocked = counters.map((c) => c.blockedUntil).filter((until) => until > now);
    if (blocked.length > 0) throw tooManyRequests('Zu viele fehlgeschlagene Anmeldungen', Math.max(...blocked) - now);
    const overLimit = keys.filter((k, i) => counters[i]!.hits > k.max);
    if (overLimit.length === 0) {
      const result = await check();
      if (result !== undefined) {
        await Promise.all([this.repos.throttles.reset(keys[0]!.key), this.repos.throttles.refund(keys[1]!.key)]);
        return result;
      }
    }
    // a failure: lock out every key whose limit it reached (or that concurrent attempts overran)
    const lockouts = await Promise.all(keys.map((k, i) => (counters[i]!.hits >= k.max ? this.lockOut(k.key, counters[i]!, k.max, { username, address }) : 0)));
    const until = Math.max(0, ...lockouts);
    if (overLimit.length > 0) throw tooManyRequests('Zu viele fehlgeschlagene Anmeldungen', until - now);
    return undefined;
  }

  private async lockOut(key: string, counter: ThrottleCounter, max: number, who: { username: string; address: string }): Promise<number> {
    const now = this.now();
    const lockouts = counter.lockouts + 1;
    const durationMs = Math.min(MAX_LOCKOUT_MS, this.settings.lockoutMs * 2 ** (lockouts - 1));
    const blockedUntil = now + durationMs;
    // after the lockout one more attempt is allowed; its failure locks out again, for twice as long
    await this.repos.throttles.block(key, { hits: max - 1, blockedUntil, lockouts, windowEndsAt: blockedUntil + FAILURE_WINDOW_MS });
    const kind = key.startsWith('login:account:') ? 'account' : 'address';
    const details = { kind, lockouts, lockedForSeconds: Math.round(durationMs / 1000), failures: counter.hits };
    await this.repos.throttles.recordEvent({ type: 'login.locked', ...who, details });
    this.log.warn({ audit: true, event: 'login.locked', ...who, ...details }, 'login locked out after repeated failures');
    return blockedUntil;
  }
}
