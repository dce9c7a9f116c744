/**
 * Sends the status-callback outbox (repositories/status-callbacks.ts) to the portal clients'
 * registered callback URLs (DESIGN.md §6 "Status callbacks"). Runs in every process with
 * ROLE all or server; several processes share the outbox safely: each claims due rows with a
 * lease (one UPDATE) and only the claim holder marks a row.
 *
 * Receiver contract (what a portal client must implement):
 * - POST with JSON body `{ eventId, reference, status, at }` and headers `Content-Type:
 *   application/json`, `X-Event-Id`, `X-Timestamp` (unix seconds) and
 *   `X-Signature: sha256=<hex HMAC-SHA256(secret, "<X-Timestamp>.<raw body>")>`. Verify the
 *   signature over the raw body and reject old timestamps (replay).
 * - Answer 2xx within 10 s once the event is stored. Anything else (other status, timeout,
 *   redirect; redirects are not followed) is retried with exponential backoff
 *   (CALLBACK_RETRY_BASE_MS doubling, at most one hour apart) up to CALLBACK_MAX_ATTEMPTS, then
 *   the event is `dead` and shown to admins, who may retry it.
 * - The same event may arrive more than once: if this process dies between the receiver's 2xx and
 *   marking the row delivered, another process sends it again after the lease. A retry carries
 *   the same eventId and the same body (only X-Timestamp and X-Signature are new), so receivers
 *   dedupe by eventId. After a 2xx is recorded the event is never sent again.
 *
 * Clients without an active callback registration: their due events become `skipped` (with the
 * reason) instead of waiting or failing: there is nobody to deliver to, and retrying would only
 * fill the dead-letter view. An admin can put them back to pending after registering a URL.
 */
import { createHmac } from 'node:crypto';
import { retryBackoffMs } from '../lib/backoff';
import { processName } from '../lib/process-name';
import { Poller } from '../lib/poller';
import type { Logger } from 'pino';
import type { Repositories } from '../repositories';
import type { CallbackTarget } from '../repositories/portal-clients';
import type { ClaimedStatusCallback, StatusCallback } from '../repositories/status-callbacks';
import type { SecretBox } from './secret-box';

export const CALLBACK_TIMEOUT_MS = 10_000;
/** a claim outlives one attempt (timeout plus marking) by a wide margin */
const LEASE_MS = CALLBACK_TIMEOUT_MS + 10_000;
const BATCH = 20;

export interface CallbackRelayOptions {
  retryBaseMs: number;
  maxAttempts: number;
  intervalMs?: number;
}

/** `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>` */
export function callbackSignature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Delay before the next attempt after `attempts` failed ones: base, 2·base, 4·base … at most one hour. */
export const callbackBackoffMs = retryBackoffMs;

/** The body of an event: the same bytes on every attempt (fixed key order, stored values). */
export function callbackBody(e: Pick<StatusCallback, 'eventId' | 'reference' | 'status' | 'at'>): string {
  return JSON.stringify({ eventId: e.eventId, reference: e.reference, status: e.status, at: e.at });
}

export class StatusCallbackRelay {
  readonly claimer = processName;
  private readonly loop = new Poller(
    () => this.drain(),
    (err) => this.log.error({ err }, 'status callback relay failed'),
  );

  constructor(
    private readonly repos: Repositories,
    private readonly log: Logger,
    private readonly opts: CallbackRelayOptions,
    /** opens the callback secrets the admin API sealed */
    private readonly secrets: SecretBox,
  ) {}

  start(): void {
    this.loop.start(this.opts.intervalMs ?? 1000);
  }

  stop(): void {
    this.loop.stop();
  }

  /** One pass: claims due events batch by batch and sends them. Exposed for tests. */
  async drain(): Promise<void> {
    for (;;) {
      const now = Date.now();
      const due = await this.repos.statusCallbacks.claimDue(this.claimer, new Date(now).toISOString(), new Date(now + LEASE_MS).toISOString(), BATCH);
      if (due.length === 0) return;
      // a batch mostly goes to a few clients: each client's registration is read once per batch
      const targets = new Map([...new Set(due.map((e) => e.clientId))].map((id) => [id, this.repos.portalClients.callbackTarget(id)]));
      await Promise.all(due.map((e) => this.deliver(e, targets.get(e.clientId)!)));
      if (!this.loop.started) return;
    }
  }

  private async deliver(e: ClaimedStatusCallback, registration: Promise<CallbackTarget | undefined>): Promise<void> {
    const target = await registration;
    if (!target?.active || !target.url || !target.secret) {
      await this.repos.statusCallbacks.markSkipped(e.id, e.claimedBy, 'Kein aktiver Callback registriert');
      return;
    }
    const error = await this.post(target.url, target.secret, e).catch((err: Error) => `Geheimnis nicht lesbar: ${err.message}`);
    if (error === undefined) {
      await this.repos.statusCallbacks.markDelivered(e.id, e.claimedBy);
      return;
    }
    const attempts = e.attempts + 1;
    const dead = attempts >= this.opts.maxAttempts;
    this.log.warn({ eventId: e.eventId, clientId: e.clientId, attempts, dead, error }, 'status callback failed');
    await this.repos.statusCallbacks.markFailed(
      e.id,
      e.claimedBy,
      attempts,
      error,
      dead ? 'dead' : { nextAttemptAt: new Date(Date.now() + callbackBackoffMs(attempts, this.opts.retryBaseMs)).toISOString() },
    );
  }

  /** One POST; undefined on a 2xx, else what went wrong. */
  private async post(url: string, sealedSecret: string, e: StatusCallback): Promise<string | undefined> {
    const secret = this.secrets.open(sealedSecret); // throws for a secret sealed with another key
    const body = callbackBody(e);
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Timestamp': String(timestamp), 'X-Signature': callbackSignature(secret, timestamp, body), 'X-Event-Id': e.eventId },
        body,
        redirect: 'manual', // a redirect could lead anywhere (e.g. into the internal network)
        signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS),
      });
      await res.body?.cancel().catch(() => undefined); // the answer's content is not needed
      return res.status >= 200 && res.status < 300 ? undefined : `HTTP ${res.status}`;
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      return (err as Error).name === 'TimeoutError' ? 'Zeitüberschreitung (10 s)' : `${(err as Error).message}${cause ? ` (${cause})` : ''}`;
    }
  }
}
