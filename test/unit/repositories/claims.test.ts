/**
 * Claims and counters shared by several processes, on a real SQLite file opened twice (two
 * processes' connections; the PostgreSQL side runs in test/integration/several-processes.test.ts):
 * a claimed row belongs to one claimer until its lease runs out, reference numbers never repeat,
 * a named lease has one holder, and the counter continues after references stored before it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationSource } from '../../../migrations/index';
import { openDatabase, type Db } from '../../../server/db/database';
import { createRepositories, type Repositories } from '../../../server/repositories';
import { openSharedSqlite, type SharedSqlite } from '../../support/shared-sqlite';
import { insertCase } from '../../support/cases';

let shared: SharedSqlite;
let db: Db;
let repos: Repositories;
let otherRepos: Repositories;

beforeAll(async () => {
  shared = await openSharedSqlite('lu-claims-');
  ({ db, repos, otherRepos } = shared);
  await db('organisations').insert({ id: 'municipality:1061', kind: 'municipality', name: 'Luzern', bfs_number: 1061 });
});

afterAll(() => shared.close());

const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();

describe('process-start claims', () => {
  it('gives each due start to one claimer; a lease that ran out frees it, a failed start releases it', async () => {
    const ids: number[] = [];
    for (let i = 1; i <= 5; i++) {
      const caseId = await insertCase(db, repos.cases, { reference: `LU-2000-00000${i}` });
      await db.transaction((trx) => repos.cases.enqueueProcessStart(trx, caseId));
      ids.push(caseId);
    }
    const [first, second] = await Promise.all([repos.cases.claimDueProcessStarts('a', inSeconds(60), 3), otherRepos.cases.claimDueProcessStarts('b', inSeconds(60), 3)]);
    expect(first.length + second.length).toBe(5);
    expect(new Set([...first, ...second].map((e) => e.caseId))).toEqual(new Set(ids));
    expect(await repos.cases.claimDueProcessStarts('c', inSeconds(60), 10)).toEqual([]);

    // claimer a died: its lease runs out, and the next claimer takes its starts
    await db('process_start_outbox')
      .whereIn(
        'id',
        first.map((e) => e.id),
      )
      .update({ claimed_until: inSeconds(-1) });
    const taken = await otherRepos.cases.claimDueProcessStarts('b', inSeconds(60), 10);
    expect(taken.map((e) => e.id).sort()).toEqual(first.map((e) => e.id).sort());

    // a failed start is due again at its backoff time, for anyone
    await repos.cases.markProcessStartFailed(taken[0]!.id, 1, inSeconds(-1), 'engine down');
    expect((await repos.cases.claimDueProcessStarts('c', inSeconds(60), 10)).map((e) => [e.id, e.attempts])).toEqual([[taken[0]!.id, 1]]);
  });
});

describe('reference counter', () => {
  it('hands out each number once, per prefix, also to two processes asking at once', async () => {
    const numbers = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? repos : otherRepos).cases.nextReferenceNumber('LU-2030')));
    expect(numbers.sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await repos.cases.nextReferenceNumber('LU-2031')).toBe(1);
  });

  it('continues after the references stored before the counter existed (migration 011)', async () => {
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'lu-counter-'));
    const old = await openDatabase({ dataDir: fresh });
    try {
      // back to before migration 011: undo the newest migration until 011 is undone
      const applied = async () => ((await old.migrate.list({ migrationSource }))[0] as Array<{ name: string }>).map((m) => m.name);
      while ((await applied()).some((name) => name.includes('_011_'))) await old.migrate.down({ migrationSource });
      await old('organisations').insert({ id: 'municipality:1061', kind: 'municipality', name: 'Luzern', bfs_number: 1061 });
      const oldRepos = createRepositories(old);
      for (const reference of ['LU-2026-000041', 'LU-2026-000007', 'LU-2025-000300']) await insertCase(old, oldRepos.cases, { reference });
      await old.migrate.latest({ migrationSource });
      const next = (prefix: string) => oldRepos.cases.nextReferenceNumber(prefix);
      expect([await next('LU-2026'), await next('LU-2025'), await next('LU-2027')]).toEqual([42, 301, 1]);
    } finally {
      await old.destroy();
      fs.rmSync(fresh, { recursive: true, force: true });
    }
  });
});

describe('named leases and the installation id', () => {
  it('has one holder until the lease runs out; the holder may renew it', async () => {
    const now = new Date().toISOString();
    expect(await repos.installation.tryLease('housekeeping-test', 'a', now, inSeconds(60))).toBe(true);
    expect(await otherRepos.installation.tryLease('housekeeping-test', 'b', now, inSeconds(60))).toBe(false);
    expect(await repos.installation.tryLease('housekeeping-test', 'a', now, inSeconds(120))).toBe(true);
    expect(await otherRepos.installation.tryLease('housekeeping-test', 'b', inSeconds(121), inSeconds(200))).toBe(true);
  });

  it('generates the installation id once', async () => {
    const ids = await Promise.all([repos.installation.installationId(), otherRepos.installation.installationId(), repos.installation.installationId()]);
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
  });
});
