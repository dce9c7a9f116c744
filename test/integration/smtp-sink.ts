/**
 * A real SMTP server for the mail tests (the `smtp-server` package, plain SMTP on 127.0.0.1):
 * records every message it accepts with its envelope, Message-ID, subject and decoded text. It
 * can be stopped and started again on the same port (a mail server that is down), slowed down
 * per message, and given a hook that runs after a message arrived and before it is accepted.
 */
import { SMTPServer } from 'smtp-server';
import { decodeMail } from './client';

export interface ReceivedMail {
  envelopeTo: string[];
  messageId: string;
  to: string;
  subject: string;
  /** headers and body, decoded */
  text: string;
}

export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  /** runs before the "250 accepted" reply */
  beforeAccept: (mail: ReceivedMail) => Promise<void> | void = () => {};
  delayMs = 0;
  private server: SMTPServer | undefined;

  constructor(readonly port: number) {}

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const mail = parse(
            Buffer.concat(chunks).toString('utf8'),
            session.envelope.rcptTo.map((r) => r.address),
          );
          this.received.push(mail);
          void Promise.resolve(this.beforeAccept(mail))
            .then(() => new Promise((r) => setTimeout(r, this.delayMs)))
            .then(() => callback(), callback);
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    // close() waits for open sessions; none is open between two handovers
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  /** the accepted messages with this Message-ID */
  withMessageId(messageId: string): ReceivedMail[] {
    return this.received.filter((m) => m.messageId === messageId);
  }
}

function parse(raw: string, envelopeTo: string[]): ReceivedMail {
  const text = decodeMail(raw.replace(/\r\n/g, '\n'));
  const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'im').exec(text.slice(0, text.indexOf('\n\n')))?.[1]?.trim() ?? '';
  return { envelopeTo, messageId: header('Message-ID'), to: header('To'), subject: header('Subject'), text };
}
