/**
 * The mail outbox's claims on a real SQLite database, two connections to one file standing for
 * two sender processes: no mail claimed twice, a lease that runs out, a lost claim that may not
 * start a handover, the delivery record that recognises an interrupted handover, backoff.
 * (PostgreSQL's FOR UPDATE SKIP LOCKED path runs in test/integration/mail-smtp.test.ts with
 * TEST_DB=postgres.)
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../server/db/database';
import type { Repositories } from '../../../server/repositories';
import { openSharedSqlite, type SharedSqlite } from '../../support/shared-sqlite';

let shared: SharedSqlite;
let db: Db;
let repos: Repositories;
let otherRepos: Repositories;

beforeAll(async () => {
  shared = await openSharedSqlite('lu-mail-repo-');
  ({ db, repos, otherRepos } = shared);
});

afterAll(() => shared.close());

beforeEach(async () => {
  await db('mail_deliveries').delete();
  await db('mail_outbox').delete();
});

const at = (s: number) => new Date(Date.UTC(2026, 11, 2, 10, 0, s)).toISOString();
const queue = (n: number) => Promise.all(Array.from({ length: n }, (_, i) => repos.mail.enqueue({ caseId: null, dedupeKey: `k${i}`, to: `p${i}@example.ch`, subject: `S${i}`, body: 'B' })));

describe('mail outbox claims', () => {
  it('two processes claiming at once never get the same mail', async () => {
    await queue(60);
    const claimed: number[] = [];
    for (let round = 0; round < 5; round++) {
      const [a, b] = await Promise.all([repos.mail.claimDue('A', at(0), at(60), 7), otherRepos.mail.claimDue('B', at(0), at(60), 7)]);
      claimed.push(...a.map((m) => m.id), ...b.map((m) => m.id));
    }
    expect(claimed).toHaveLength(60); // 5 rounds × 2 × 7 places: every mail claimed, none twice
    expect(new Set(claimed).size).toBe(claimed.length);
  });

  it('a mail is claimable again only after its lease ran out, and a lost claim starts no handover', async () => {
    await queue(1);
    const [first] = await repos.mail.claimDue('A', at(0), at(60), 10);
    expect(await otherRepos.mail.claimDue('B', at(30), at(90), 10)).toEqual([]);
    const [second] = await otherRepos.mail.claimDue('B', at(61), at(120), 10);
    expect(second!.id).toBe(first!.id);
    expect(await repos.mail.startDelivery(first!, '<a@example.ch>', at(180))).toBeUndefined();
    expect(await otherRepos.mail.startDelivery(second!, '<b@example.ch>', at(180))).toEqual({ deliveryId: expect.any(Number), messageId: '<b@example.ch>' });
    // the handover renewed the claim past the claim's own lease (120): nobody takes it at 150
    expect(await repos.mail.claimDue('A', at(150), at(210), 10)).toEqual([]);
  });

  it('keeps the Message-ID of the first handover and recognises a handover its process never finished', async () => {
    await queue(1);
    const [mail] = await repos.mail.claimDue('A', at(0), at(60), 10);
    const first = (await repos.mail.startDelivery(mail!, '<first@example.ch>', at(60)))!;
    await repos.mail.markFailed(mail!, first.deliveryId, 'connection refused', { nextAttemptAt: at(70) });
    expect(await repos.mail.claimDue('A', at(65), at(125), 10)).toEqual([]); // backoff: not before 70
    const [again] = await repos.mail.claimDue('A', at(70), at(130), 10);
    expect(again).toMatchObject({ attempts: 1, messageId: '<first@example.ch>', interrupted: false });
    expect((await repos.mail.startDelivery(again!, '<second@example.ch>', at(130)))!.messageId).toBe('<first@example.ch>');
    // the process dies here, before the outcome is recorded; another one claims after the lease
    const [orphan] = await otherRepos.mail.claimDue('B', at(131), at(191), 10);
    expect(orphan).toMatchObject({ id: mail!.id, interrupted: true });
    await otherRepos.mail.markInterrupted(orphan!);
    const row = (await repos.mail.byDedupeKey('k0'))!;
    expect(row.status).toBe('uncertain');
    expect(row.deliveries.map((d) => d.outcome)).toEqual(['failed', 'interrupted']);
    expect(await repos.mail.claimDue('A', at(300), at(360), 10)).toEqual([]);
  });
});
