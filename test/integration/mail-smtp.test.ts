/**
 * Mail over real SMTP (issue 15, items 1 and 12): server processes with SMTP_URL hand the mail
 * outbox to a real SMTP server (test/integration/smtp-sink.ts) through nodemailer's SMTP
 * transport, as in production. Delivery, retry while the SMTP server is down, a crash in the
 * middle of a handover, and two sender processes on one database (SQLite file or, with
 * TEST_DB=postgres, one PostgreSQL database: both processes use the same DATA_DIR).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Db } from '../../server/db/database';
import { retryBackoffMs } from '../../server/lib/backoff';
import { createRepositories, type Repositories } from '../../server/repositories';
import { waitFor } from './client';
import { freePort, openTestDatabase, startServerProcess, UNLIMITED, type ServerProcess } from './server-process';
import { SmtpSink } from './smtp-sink';

const RETRY_BASE_MS = 500;
const SEND_TIMEOUT_MS = 2000; // the claim lasts five times it: 10 s

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lu-mail-'));
let sink: SmtpSink;
let db: Db;
let repos: Repositories;
const servers: ServerProcess[] = [];

const startSender = async () => {
  const server = await startServerProcess({
    dataDir,
    zeebeAddress: inject('zeebeAddress'),
    env: { ...UNLIMITED, SMTP_URL: sink.url, MAIL_RETRY_BASE_MS: String(RETRY_BASE_MS), MAIL_SEND_TIMEOUT_MS: String(SEND_TIMEOUT_MS) },
  });
  servers.push(server);
  return server;
};

const queue = (key: string, subject: string, body = `Text von ${key}`) => repos.mail.enqueue({ caseId: null, dedupeKey: key, to: `${key}@example.ch`, subject, body });
const mailOf = async (key: string) => (await repos.mail.byDedupeKey(key))!;
const waitForStatus = (key: string, status: string, timeoutMs = 30_000) => waitFor(`mail ${key} ${status}`, async () => ((await mailOf(key)).status === status ? mailOf(key) : undefined), timeoutMs);

beforeAll(async () => {
  sink = new SmtpSink(await freePort());
  await sink.start();
  db = await openTestDatabase(dataDir);
  repos = createRepositories(db);
  await startSender();
}, 120_000);

afterAll(async () => {
  for (const s of servers) await s.stop();
  await db?.destroy();
  await sink?.stop();
});

describe('mail over SMTP', () => {
  it('delivers a queued mail: recipient, subject, text and its stable Message-ID', { timeout: 60_000 }, async () => {
    await queue('anna', 'Ihr Gesuch LU-2026-0000001 ist eingegangen', 'Grüezi Anna Muster\n\nWir haben Ihr Gesuch erhalten.');
    const sent = await waitForStatus('anna', 'sent');

    const [mail, ...more] = sink.withMessageId(sent.messageId!);
    expect(more).toHaveLength(0);
    expect(mail!.envelopeTo).toEqual(['anna@example.ch']);
    expect(mail!.to).toBe('anna@example.ch');
    expect(mail!.subject).toBe('Ihr Gesuch LU-2026-0000001 ist eingegangen');
    expect(mail!.text).toContain('Grüezi Anna Muster');
    expect(mail!.text).toContain('Wir haben Ihr Gesuch erhalten.');
    expect(mail!.text).toMatch(/^From: .*no-reply@example\.lu\.ch/m);
    expect(sent.messageId).toMatch(/^<[0-9a-f-]{36}@example\.lu\.ch>$/);
    expect(sent.deliveries).toEqual([expect.objectContaining({ attempt: 1, outcome: 'accepted', messageId: sent.messageId, response: expect.stringMatching(/^250/) })]);
  });

  it('keeps a mail queued while the SMTP server is down and delivers it once, with backoff, when it is back', { timeout: 90_000 }, async () => {
    await sink.stop();
    await queue('bruno', 'Rückfrage zu Ihrem Gesuch');
    const failing = await waitFor(
      'three failed attempts',
      async () => {
        const m = await mailOf('bruno');
        return m.deliveries.filter((d) => d.outcome === 'failed').length >= 3 ? m : undefined;
      },
      60_000,
    );
    expect(failing.status).toBe('pending');
    // every retry waited at least its backoff (base, 2·base, …) after the failure before it
    for (let i = 1; i < failing.deliveries.length; i++) {
      const gap = Date.parse(failing.deliveries[i]!.startedAt) - Date.parse(failing.deliveries[i - 1]!.finishedAt!);
      expect(gap).toBeGreaterThanOrEqual(retryBackoffMs(i, RETRY_BASE_MS));
    }
    console.log(`[mail] attempts while down: ${failing.deliveries.map((d) => `${d.startedAt.slice(11, 23)} ${d.outcome}`).join(', ')}`);

    await sink.start();
    const sent = await waitForStatus('bruno', 'sent', 60_000);
    expect(sink.withMessageId(sent.messageId!)).toHaveLength(1);
    expect(sent.deliveries.at(-1)!.outcome).toBe('accepted');
    expect(sent.deliveries.slice(0, -1).every((d) => d.outcome === 'failed')).toBe(true);
    // one Message-ID for every attempt
    expect(new Set(sent.deliveries.map((d) => d.messageId))).toEqual(new Set([sent.messageId]));
  });

  it('never hands a mail over again after its sender died in the middle of the handover', { timeout: 120_000 }, async () => {
    const victim = servers.at(-1)!;
    // the SMTP server has the message, and the sender dies before it hears "accepted": from the
    // database's view the same as a crash between "sent" and "marked sent" (delivery record open)
    sink.beforeAccept = async (m) => {
      if (!m.subject.includes('Absturz')) return;
      victim.child.kill('SIGKILL');
      await new Promise((r) => victim.child.once('exit', r));
    };
    await queue('carla', 'Absturz beim Senden');
    await waitFor('sender killed', async () => (victim.child.exitCode !== null || victim.child.signalCode !== null ? true : undefined), 30_000);
    sink.beforeAccept = () => {};
    const [received] = sink.received.filter((m) => m.subject.includes('Absturz'));
    expect((await mailOf('carla')).deliveries).toEqual([expect.objectContaining({ messageId: received!.messageId, outcome: null })]);

    await startSender();
    await queue('dario', 'Nach dem Neustart');
    const after = await waitForStatus('dario', 'sent'); // the restarted sender works
    const uncertain = await waitForStatus('carla', 'uncertain'); // once the dead sender's claim ran out
    await new Promise((r) => setTimeout(r, 3000)); // a resend would show within the next poll

    expect(sink.withMessageId(uncertain.messageId!)).toHaveLength(1);
    expect(sink.withMessageId(after.messageId!)).toHaveLength(1);
    expect(uncertain.deliveries).toEqual([expect.objectContaining({ outcome: 'interrupted', finishedAt: expect.any(String) })]);
    expect((await mailOf('carla')).status).toBe('uncertain');
  });

  it('two sender processes on one database never send one mail twice', { timeout: 360_000 }, async () => {
    await startSender(); // a second process, same DATA_DIR: the same SQLite file or PostgreSQL database
    sink.delayMs = 40; // a slow server: the queue takes seconds to drain, so both senders take part
    const keys = Array.from({ length: 100 }, (_, i) => `pair-${i}`);
    for (const key of keys) await queue(key, `Paar ${key}`);
    await waitFor(
      'all 100 sent',
      async () => {
        const states = await Promise.all(keys.map(async (k) => (await mailOf(k)).status));
        return states.every((s) => s === 'sent') ? true : undefined;
      },
      300_000,
    );
    await new Promise((r) => setTimeout(r, 3000)); // a duplicate would show within the next poll

    const mails = await Promise.all(keys.map(mailOf));
    const received = sink.received.filter((m) => m.subject.startsWith('Paar '));
    expect(received).toHaveLength(100);
    expect(new Set(received.map((m) => m.messageId)).size).toBe(100);
    expect(mails.every((m) => m.deliveries.length === 1 && sink.withMessageId(m.messageId!).length === 1)).toBe(true);
    const bySender = new Map<string, number>();
    for (const m of mails) {
      const process = m.deliveries[0]!.sender.split('#')[0]!; // host:pid:random of the MailSender
      bySender.set(process, (bySender.get(process) ?? 0) + 1);
    }
    console.log(`[mail] 100 mails by sender process: ${[...bySender.values()].join(' + ')}`);
    expect(bySender.size).toBe(2); // both processes sent: the claims were contended, not taken in turn by one
  });
});
