/**
 * Sends the queued e-mails of the mail outbox with nodemailer: over SMTP with SMTP_URL, without
 * it (demo and development) as .eml files in DATA_DIR/mail, where tests read them. Runs in every
 * process with ROLE all or workers; any number of them share the outbox: each claims due mails
 * with a lease (repositories/mail.ts) and only the claim holder hands a mail over.
 *
 * What a recipient gets (SMTP cannot be exactly-once: the server's "250 accepted" can be lost
 * with the connection or with our process, and SMTP has no way to ask "did you get X?"):
 * - Every mail carries one Message-ID for its whole life, set at its first handover.
 * - Before each handover a delivery record is written (mail_deliveries), and its outcome after.
 * - A handover that ends in an error we see (server down, refused, 4xx/5xx, timeout) is retried
 *   with exponential backoff (MAIL_RETRY_BASE_MS doubling, at most one hour apart), at most
 *   MAIL_MAX_ATTEMPTS times, then the mail is `failed`.
 * - The claim is renewed at the start of each handover, so it always outlasts the running one.
 * - A handover whose process died before recording the outcome (a crash between "sent" and
 *   "marked sent", or earlier in the handover) leaves its record open. Whoever claims the mail
 *   next (after the lease, which outlasts any handover) marks it `uncertain` and logs an error; it is
 *   never handed over again automatically. So we send each Message-ID at most once in that
 *   case: the price is that a crash *before* the server accepted loses the mail, which is rare
 *   (a crash inside a handover of well under a second) and visible (status and log).
 * - The one case that can still deliver a Message-ID twice: an SMTP timeout after the server
 *   received the message but before its reply reached us. It is retried with the same
 *   Message-ID, so mailbox stores that deduplicate by Message-ID and mail clients recognise it.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import { retryBackoffMs } from '../lib/backoff';
import { Poller } from '../lib/poller';
import type { Repositories } from '../repositories';
import type { ClaimedMail } from '../repositories/mail';

const BATCH = 20;

export interface MailSenderOptions {
  smtpUrl?: string;
  from: string;
  dataDir: string;
  retryBaseMs: number;
  maxAttempts: number;
  /** bounds each step of a handover (connect, greeting, every reply); the lease is five times it */
  sendTimeoutMs: number;
  intervalMs?: number;
}

export class MailSender {
  /** this process's name in claims: host, pid and a random part (a restarted pid is another claimer) */
  readonly claimer = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly transport: Transporter;
  private readonly loop = new Poller(
    () => this.drain(),
    (err) => this.log.error({ err }, 'mail sender failed'),
  );

  constructor(
    private readonly repos: Repositories,
    private readonly log: Logger,
    private readonly opts: MailSenderOptions,
  ) {
    this.transport = opts.smtpUrl ? nodemailer.createTransport(withTimeouts(opts.smtpUrl, opts.sendTimeoutMs)) : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  start(): void {
    this.loop.start(this.opts.intervalMs ?? 2000);
  }

  stop(): void {
    this.loop.stop();
  }

  /** Sends what is pending now; only in a process that started the sender (ROLE), and not after stop(). */
  kick(): void {
    this.loop.kick();
  }

  /** One pass: claims due mails batch by batch and hands them over one by one. */
  private async drain(): Promise<void> {
    for (;;) {
      const now = Date.now();
      const due = await this.repos.mail.claimDue(this.claimer, new Date(now).toISOString(), this.leaseUntil(), BATCH);
      if (due.length === 0) return;
      for (const mail of due) await this.send(mail);
      if (!this.loop.started) return;
    }
  }

  private async send(mail: ClaimedMail): Promise<void> {
    if (mail.interrupted) {
      this.log.error({ mailId: mail.id, messageId: mail.messageId }, 'mail handover was interrupted by a crash: not sent again (status uncertain)');
      await this.repos.mail.markInterrupted(mail);
      return;
    }
    const delivery = await this.repos.mail.startDelivery(mail, `<${randomUUID()}@${senderDomain(this.opts.from)}>`, this.leaseUntil());
    if (!delivery) return; // the lease ran out and another process holds the mail now
    let info: { response?: string; message?: Buffer };
    try {
      info = await this.transport.sendMail({ from: this.opts.from, to: mail.to, subject: mail.subject, text: mail.body, messageId: delivery.messageId });
    } catch (err) {
      const attempts = mail.attempts + 1;
      const failed = attempts >= this.opts.maxAttempts;
      this.log.warn({ err, mailId: mail.id, attempts, failed }, 'sending mail failed');
      const next = failed ? 'failed' : { nextAttemptAt: new Date(Date.now() + retryBackoffMs(attempts, this.opts.retryBaseMs)).toISOString() };
      await this.repos.mail.markFailed(mail, delivery.deliveryId, String((err as Error).message), next);
      return;
    }
    // accepted: from here on an error must not lead to a retry (it would be a second delivery);
    // if marking fails, the open delivery record makes the mail `uncertain` after the lease
    if (!this.opts.smtpUrl) await this.writeEml(mail.id, info.message!);
    await this.repos.mail.markSent(mail, delivery.deliveryId, String(info.response ?? 'written to DATA_DIR/mail'));
  }

  /** a claim outlasts one handover (each of its steps is bounded by sendTimeoutMs) and the marking */
  private leaseUntil(): string {
    return new Date(Date.now() + 5 * this.opts.sendTimeoutMs).toISOString();
  }

  private async writeEml(mailId: number, message: Buffer): Promise<void> {
    const dir = path.join(this.opts.dataDir, 'mail');
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, `${String(mailId).padStart(8, '0')}.eml`), message);
  }
}

/**
 * The SMTP URL with nodemailer's timeouts set to `ms` where the URL does not set them itself
 * (nodemailer reads transport options from the query; its own socket timeout is ten minutes).
 */
function withTimeouts(smtpUrl: string, ms: number): string {
  const url = new URL(smtpUrl);
  for (const option of ['connectionTimeout', 'greetingTimeout', 'socketTimeout', 'dnsTimeout']) {
    if (!url.searchParams.has(option)) url.searchParams.set(option, String(ms));
  }
  return url.href;
}

/** the domain of the sender address (`Name <no-reply@example.ch>` → `example.ch`), for Message-IDs */
function senderDomain(from: string): string {
  return /@([^>\s]+)/.exec(from)?.[1] ?? 'localhost';
}
