const MAX_BACKOFF_MS = 3600_000;

/** Delay before the next attempt after `attempts` failed ones: base, 2·base, 4·base … at most one hour. */
export function retryBackoffMs(attempts: number, baseMs: number): number {
  return Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 30));
}
