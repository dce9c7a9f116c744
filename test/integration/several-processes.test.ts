/**
 * Several processes on one database, several installations on one broker (issue 15, DESIGN.md §8),
 * on SQLite (processes sharing the data folder) and on PostgreSQL (processes sharing a database):
 * - two server processes: concurrent submissions spread over both get unique references and no
 *   5xx, and every case gets exactly one process instance (the start relay claims its rows);
 * - two installations (databases of their own) on the shared broker, whose references collide:
 *   neither cancels the other's instances, and every case of both completes;
 * - three processes starting at once on an empty database all become ready (migrations and seeds
 *   under a lock).
 * Each test prints its figures.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { applicant, call, dogData, login, waitFor, type Reply } from './client';
import { openTestDatabase, startServerProcess, testDatabaseUrl, UNLIMITED, type ServerProcess } from './server-process';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lu-several-'));
const started: ServerProcess[] = [];

afterAll(async (suite) => {
  await Promise.all(started.map((s) => s.stop()));
  // the processes' logs stay for a failed run
  if (suite.tasks.every((t) => t.result?.state === 'pass')) fs.rmSync(root, { recursive: true, force: true });
});

/** A server process of its own (log and pid in `name`), on the shared broker. */
async function startProcess(name: string, env: Record<string, string> = {}, readyTimeoutMs?: number): Promise<ServerProcess> {
  const server = await startServerProcess({ dataDir: path.join(root, name), zeebeAddress: inject('zeebeAddress'), env: { ...UNLIMITED, ...env }, readyTimeoutMs });
  started.push(server);
  return server;
}

/** Settings that put processes on one database: the same data folder (SQLite file, documents) and the same PostgreSQL database. */
async function sharedDatabase(name: string): Promise<Record<string, string>> {
  const dir = path.join(root, name);
  const url = await testDatabaseUrl(dir);
  return { DATA_DIR: dir, ...(url ? { DATABASE_URL: url } : {}) };
}

/** An anonymous dog registration (a companion dog: decided without a person, ends `completed`). */
const submitDog = (base: string): Promise<Reply> => call('POST', '/api/v1/services/hundeanmeldung/submissions', { base, json: { municipality: 1061, applicant: applicant(), data: dogData() } });

interface Dossier {
  status: string;
  timeline: Array<{ type: string; label: string }>;
}

/** Waits until every case is completed; returns the dossiers (as the admin sees them). */
async function waitUntilCompleted(base: string, references: string[]): Promise<Dossier[]> {
  const admin = await login('admin', undefined, base);
  return Promise.all(
    references.map((reference) =>
      waitFor(
        `${reference} completed at ${base}`,
        async () => {
          const dossier = (await call<Dossier>('GET', `/api/cases/${reference}`, { base, token: admin })).body;
          return dossier.status === 'completed' ? dossier : undefined;
        },
        240_000,
      ),
    ),
  );
}

const count = (d: Dossier, type: string) => d.timeline.filter((e) => e.type === type).length;
const duplicateLabels = (d: Dossier) => d.timeline.filter((e) => e.label.includes('Doppelt gestarteter Prozess')).length;

describe('several processes', () => {
  it('two server processes on one database: 40 concurrent submissions, unique references, one process instance per case', { timeout: 420_000 }, async () => {
    const database = await sharedDatabase('shared-two');
    // one after the other: both are demo-mode processes sharing one data folder
    const a = await startProcess('two-a', database);
    const b = await startProcess('two-b', database);

    const replies = await Promise.all(Array.from({ length: 40 }, (_, i) => submitDog(i % 2 === 0 ? a.baseUrl : b.baseUrl)));
    const failed = replies.filter((r) => r.status >= 500);
    const references = replies.filter((r) => r.status === 201).map((r) => r.body.reference as string);
    console.log(`[several-processes] two servers: ${failed.length} of 40 submissions answered 5xx, ${new Set(references).size} distinct references`);
    expect(
      failed.map((r) => r.body),
      'no 5xx',
    ).toEqual([]);
    expect(replies.map((r) => r.status)).toEqual(Array(40).fill(201));
    expect(new Set(references).size).toBe(40);

    const dossiers = await waitUntilCompleted(a.baseUrl, references);
    const duplicates = dossiers.filter((d) => count(d, 'process.duplicate_cancelled') > 0 || duplicateLabels(d) > 0).length;
    console.log(`[several-processes] two servers: ${duplicates} of 40 cases had a duplicate process instance`);
    expect(dossiers.map((d) => count(d, 'process.started'))).toEqual(Array(40).fill(1));
    expect(dossiers.map(duplicateLabels)).toEqual(Array(40).fill(0));
  });

  it("two installations on one broker submitting at once do not touch each other's instances", { timeout: 420_000 }, async () => {
    // databases of their own: both number their cases from LU-<year>-000001, so references collide
    const [one, two] = await Promise.all([startProcess('installation-one'), startProcess('installation-two')]);
    const replies = await Promise.all(Array.from({ length: 30 }, (_, i) => submitDog(i % 2 === 0 ? one.baseUrl : two.baseUrl)));
    expect(replies.map((r) => r.status)).toEqual(Array(30).fill(201));
    const refsOne = replies.filter((_, i) => i % 2 === 0).map((r) => r.body.reference as string);
    const refsTwo = replies.filter((_, i) => i % 2 === 1).map((r) => r.body.reference as string);
    expect(refsOne.filter((r) => refsTwo.includes(r)).length, 'the same references in both installations').toBeGreaterThan(0);

    const dossiers = [...(await waitUntilCompleted(one.baseUrl, refsOne)), ...(await waitUntilCompleted(two.baseUrl, refsTwo))];
    const cancelled = dossiers.filter((d) => count(d, 'process.duplicate_cancelled') > 0).length;
    console.log(`[several-processes] two installations: ${cancelled} of 30 cases had an instance cancelled`);
    expect(dossiers.map((d) => count(d, 'process.duplicate_cancelled'))).toEqual(Array(30).fill(0));
    expect(dossiers.map((d) => count(d, 'process.started'))).toEqual(Array(30).fill(1));

    const ids = await Promise.all(
      ['installation-one', 'installation-two'].map(async (name) => {
        const db = await openTestDatabase(path.join(root, name));
        try {
          return (await db('installation').first('installation_id')).installation_id as string;
        } finally {
          await db.destroy();
        }
      }),
    );
    expect(new Set(ids).size, 'each installation generated an id of its own').toBe(2);
  });

  it('three processes starting at once on an empty database all become ready, and migrate and seed once', { timeout: 720_000 }, async () => {
    const database = await sharedDatabase('shared-three');
    const t0 = Date.now();
    // generous: the three start one after the other behind the lock, each slow on a loaded machine (about 80 s each at load 33)
    const results = await Promise.allSettled(['three-a', 'three-b', 'three-c'].map((name) => startProcess(name, database, 600_000)));
    console.log(`[several-processes] three processes at once: ${results.filter((r) => r.status === 'fulfilled').length} of 3 ready in ${Date.now() - t0} ms`);
    expect(results.map((r) => (r.status === 'fulfilled' ? 'ready' : String(r.reason)))).toEqual(['ready', 'ready', 'ready']);

    const db = await openTestDatabase(database.DATA_DIR!);
    try {
      const migrations = await db('knex_migrations').select('name');
      expect(migrations.length).toBe(new Set(migrations.map((m) => m.name)).size);
      expect(Number((await db('municipalities').count({ n: '*' }).first())?.n)).toBe(79);
      const doubled = await db('residents').select('first_name', 'last_name', 'date_of_birth').count({ n: '*' }).groupBy('first_name', 'last_name', 'date_of_birth').havingRaw('count(*) > 1');
      expect(doubled, 'demo residents seeded once').toEqual([]);
    } finally {
      await db.destroy();
    }
  });
});
