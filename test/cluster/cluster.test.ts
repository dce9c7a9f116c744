/**
 * Issue 15, item 11: the production shape under load and failures (see installation.ts).
 * 300 submissions (a third take the human path) and 60 task completions, spread over both
 * servers; meanwhile one broker and one server are killed with SIGKILL and restarted, and the
 * other server is stopped with SIGTERM (and started again). Then: nothing lost, no case with a
 * second process instance, no 5xx, every document downloadable through every server, every case
 * finished or waiting on exactly one task. Figures are printed; all checks are soft, so one run
 * reports every failing one.
 */
import crypto from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seconds, startInstallation, type Installation } from './installation';
import { Load, sleep } from './load';

const SUBMISSIONS = 300;
const COMPLETIONS = 60;
const CONCURRENCY = 6;
const SETTLE_TIMEOUT_MS = 6 * 60_000;
const FINAL = ['completed', 'rejected'];

const say = (message: string) => console.log(`[cluster] ${message}`);
let installation: Installation;
let db: Knex;

beforeAll(async () => {
  installation = await startInstallation(say);
  db = knexFactory({ client: 'pg', connection: installation.databaseUrl, pool: { min: 0, max: 2 } });
});

afterAll(async () => {
  await db?.destroy();
  await installation?.stop();
});

describe('cluster: 3 brokers, 2 servers, 1 workers process, PostgreSQL', () => {
  it(`${SUBMISSIONS} submissions and ${COMPLETIONS} task completions through a broker crash, a server crash and a server stop`, async () => {
    const { servers, cluster } = installation;
    const load = new Load(servers);
    const started = Date.now();
    const events: string[] = [];
    const note = (what: string) => {
      events.push(`${seconds(started)} s ${what}`);
      say(what);
    };

    // disruptions, one after the other, each starting when the submissions reach its mark; the
    // load runs on during each one and waits at the next mark until the previous one is over
    const marks: [number, () => Promise<void>][] = [
      [
        60,
        async () => {
          note(`kill -9 broker 2 (pid ${cluster.brokers[2]!.pid})`);
          await cluster.brokers[2]!.kill();
          await cluster.restart(2);
          note('broker 2 back');
        },
      ],
      [
        130,
        async () => {
          note(`kill -9 server-a (pid ${servers[0].pid})`);
          await servers[0].kill();
          await servers[0].start();
          note('server-a back');
        },
      ],
      [
        200,
        async () => {
          note(`SIGTERM server-b (pid ${servers[1].pid})`);
          await servers[1].terminate();
          note('server-b stopped');
          await servers[1].start();
          note('server-b back');
        },
      ],
    ];
    let running: Promise<void> = Promise.resolve();
    let gate: Promise<void> = Promise.resolve();
    const beforeSubmission = (index: number) => {
      if (marks.length && index >= marks[0]![0]) {
        const disrupt = marks.shift()![1];
        gate = running;
        running = running.then(disrupt);
      }
      return gate;
    };

    const clerk = await load.send('login', 0, '/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'luzern.einwohnerdienste', password: 'demo1234' }),
    });
    expect(clerk.status).toBe(200);
    const deadline = started + SETTLE_TIMEOUT_MS + 8 * 60_000;
    try {
      await Promise.all([load.submit(SUBMISSIONS, CONCURRENCY, beforeSubmission), load.completeTasks(COMPLETIONS, clerk.body.token, deadline)]);
    } catch (err) {
      // a process restarting when the load failed would outlive afterAll's stop: let it finish first
      await running.catch(() => undefined);
      throw err;
    }
    note(`${load.submissions.length} submissions accepted, ${load.completedTasks.size} tasks completed`);
    await running;
    await cluster.waitUntilComplete();
    note('all processes and brokers up again');

    const settled = await settle(load.submissions.map((s) => s.reference));
    note(settled.done ? 'every case settled' : 'settling timed out');
    const downloads = await downloadEverywhere(load);
    note(`${downloads.files} documents checked through ${servers.length} servers`);
    const duplicates = await duplicateInstances();

    const figures = {
      seconds: Number(seconds(started)),
      submissionsAccepted: load.submissions.length,
      distinctCases: new Set(load.submissions.map((s) => s.reference)).size,
      humanPath: load.submissions.filter((s) => s.human).length,
      tasksCompleted: load.completedTasks.size,
      connectionErrorsRetried: load.connectionErrors,
      fiveXx: load.fiveXx.length,
      fiveXxByRequest: countBy(load.fiveXx.map((f) => f.what.split(' ')[0]!)),
      lost: settled.lost.length,
      duplicateInstances: duplicates.length,
      unsettled: settled.unsettled.length,
      finished: settled.finished,
      waitingOnOneTask: settled.waiting,
      documents: downloads.files,
      downloadFailures: downloads.failures.length,
    };
    say(`timeline:\n  ${events.join('\n  ')}`);
    say(`figures: ${JSON.stringify(figures, null, 2)}`);
    if (load.fiveXx.length) say(`5xx (first 10): ${JSON.stringify(load.fiveXx.slice(0, 10), null, 2)}`);
    if (settled.unsettled.length) say(`unsettled (first 10): ${JSON.stringify(settled.unsettled.slice(0, 10))}`);
    if (duplicates.length) say(`duplicate instances (first 10): ${JSON.stringify(duplicates.slice(0, 10))}`);
    if (downloads.failures.length) say(`download failures (first 10): ${JSON.stringify(downloads.failures.slice(0, 10))}`);

    expect.soft(figures.submissionsAccepted, 'submissions accepted').toBe(SUBMISSIONS);
    expect.soft(figures.distinctCases, 'one case per idempotency key').toBe(SUBMISSIONS);
    expect.soft(figures.tasksCompleted, 'tasks completed').toBe(COMPLETIONS);
    expect.soft(figures.lost, 'cases without a process instance (lost)').toBe(0);
    expect.soft(figures.duplicateInstances, 'cases with a second process instance').toBe(0);
    expect.soft(load.fiveXx, '5xx answers').toEqual([]);
    expect.soft(figures.unsettled, 'cases neither finished nor waiting on exactly one task').toBe(0);
    expect.soft(figures.documents, 'documents issued').toBeGreaterThan(0);
    expect.soft(downloads.failures, 'documents not downloadable through every server').toEqual([]);
  });
});

function countBy(keys: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const key of keys) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}

interface Settled {
  done: boolean;
  lost: string[];
  unsettled: { reference: string; status: string; openTasks: number }[];
  finished: number;
  waiting: number;
}

/**
 * Waits until every case is finished (completed/rejected) or in progress with exactly one open
 * task, and has its process instance; reads the shared database (the state every server serves).
 */
async function settle(references: string[]): Promise<Settled> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  for (;;) {
    const rows: { reference: string; status: string; process_instance_key: string | null; open_tasks: string }[] = await db('cases')
      .whereIn('reference', references)
      .select('reference', 'status', 'process_instance_key', db.raw(`(SELECT count(*) FROM tasks WHERE tasks.case_id = cases.id AND tasks.state = 'open') AS open_tasks`));
    const found = new Set(rows.map((r) => r.reference));
    const lost = [...references.filter((r) => !found.has(r)), ...rows.filter((r) => !r.process_instance_key).map((r) => r.reference)];
    const finished = rows.filter((r) => FINAL.includes(r.status) && Number(r.open_tasks) === 0);
    const waiting = rows.filter((r) => !FINAL.includes(r.status) && Number(r.open_tasks) === 1);
    const unsettled = rows.filter((r) => !finished.includes(r) && !waiting.includes(r)).map((r) => ({ reference: r.reference, status: r.status, openTasks: Number(r.open_tasks) }));
    const done = lost.length === 0 && unsettled.length === 0;
    if (done || Date.now() > deadline) return { done, lost, unsettled, finished: finished.length, waiting: waiting.length };
    await sleep(2000);
  }
}

/** Cases whose timeline shows a second process instance (cancelled by the instance guard) or a second start. */
async function duplicateInstances(): Promise<{ caseId: number; starts: number; cancelled: number }[]> {
  const rows: { case_id: number; starts: string; cancelled: string }[] = await db('timeline_events')
    .select('case_id')
    .select(db.raw(`count(*) FILTER (WHERE type = 'process.started') AS starts`))
    .select(db.raw(`count(*) FILTER (WHERE type = 'process.duplicate_cancelled') AS cancelled`))
    .groupBy('case_id');
  return rows.map((r) => ({ caseId: r.case_id, starts: Number(r.starts), cancelled: Number(r.cancelled) })).filter((r) => r.starts > 1 || r.cancelled > 0);
}

/** Every document of every case, through every server, as its applicant: same bytes everywhere. */
async function downloadEverywhere(load: Load): Promise<{ files: number; failures: { reference: string; document: string; server: string; status: number }[] }> {
  const failures: { reference: string; document: string; server: string; status: number }[] = [];
  let files = 0;
  for (const s of load.submissions) {
    const auth = { authorization: `Bearer ${s.accessToken}` };
    const status = await load.send(`status ${s.reference}`, 0, `/api/v1/submissions/${s.reference}`, { headers: auth });
    for (const doc of (status.body.documents ?? []) as { name: string; url: string }[]) {
      files += 1;
      const hashes = new Set<string>();
      for (const [i, server] of installation.servers.entries()) {
        const res = await fetch(`${server.baseUrl}${new URL(doc.url).pathname}`, { headers: auth });
        const bytes = Buffer.from(await res.arrayBuffer());
        if (res.status !== 200) failures.push({ reference: s.reference, document: doc.name, server: server.name, status: res.status });
        else hashes.add(crypto.createHash('sha256').update(bytes).digest('hex'));
        if (res.status >= 500) load.fiveXx.push({ what: `download ${doc.name} (server ${i})`, status: res.status, server: server.name, body: bytes.toString('utf8', 0, 300) });
      }
      if (hashes.size > 1) failures.push({ reference: s.reference, document: doc.name, server: 'all', status: -1 });
    }
  }
  return { files, failures };
}
