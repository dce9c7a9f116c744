/**
 * Sends the queued e-mails of the mail outbox with nodemailer. Without SMTP_URL (demo and
 * development) messages are written as .eml files to DATA_DIR/mail, where tests read them.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import { Poller } from '../lib/poller';
import type { Repositories } from '../repositories';

export class MailSender {
  private readonly transport: Transporter;
  private readonly loop = new Poller(
    () => this.flush(),
    (err) => this.log.error({ err }, 'mail sender failed'),
  );

  constructor(
    private readonly repos: Repositories,
    private readonly log: Logger,
    private readonly opts: { smtpUrl?: string; from: string; dataDir: string },
  ) {
    this.transport = opts.smtpUrl ? nodemailer.createTransport(opts.smtpUrl) : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  start(intervalMs = 2000): void {
    this.loop.start(intervalMs);
  }

  stop(): void {
    this.loop.stop();
  }

  /** Sends what is pending now; only in a process that started the sender (ROLE), and not after stop(). */
  kick(): void {
    this.loop.kick();
  }

  private async flush(): Promise<void> {
    for (const mail of await this.repos.mail.pending(20)) {
      try {
        const info = await this.transport.sendMail({ from: this.opts.from, to: mail.to, subject: mail.subject, text: mail.body });
        if (!this.opts.smtpUrl) {
          const dir = path.join(this.opts.dataDir, 'mail');
          await fs.mkdir(dir, { recursive: true });
          await fs.writeFile(path.join(dir, `${String(mail.id).padStart(8, '0')}.eml`), (info as { message: Buffer }).message);
        }
        await this.repos.mail.markSent(mail.id);
      } catch (err) {
        this.log.warn({ err, mailId: mail.id }, 'sending mail failed');
        await this.repos.mail.markFailed(mail.id, mail.attempts + 1, String((err as Error).message));
      }
    }
  }
}
