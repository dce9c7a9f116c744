/**
 * Dev helper: times TaskRepository.list (page + capped count) as the clerk luzern.einwohnerdienste
 * on a database, prints the SQL with SHOWSQL=1 and the query plans with PLAN=1. With CASES=1 it
 * times CaseRepository.list instead (filter: status, serviceKey, q, plus `organisations`, default
 * ["municipality:1061"], and `sort`).
 *
 * The database is an SQLite file or a PostgreSQL URL (`postgres://…`, e.g. a cluster kept with
 * BENCH_KEEP=1, see bench/README.md). On PostgreSQL PLAN=1 runs `EXPLAIN (ANALYZE, BUFFERS)`
 * of every statement (it executes them again) and REPS=n times each filter n times (median).
 *   tsx bench/explain.ts <app.sqlite> '[{"state":"open"},{"caseReference":"LU-2025-0000400"},{"q":"zuzug"}]'
 *   CASES=1 tsx bench/explain.ts <app.sqlite> '[{},{"status":"in_progress"},{"organisations":["municipality:1001"]}]'
 *   PLAN=1 tsx bench/explain.ts postgres://lu@127.0.0.1:5432/lu_… '[{"state":"open"}]'
 */
import knexFactory from 'knex';
import { sqliteFile } from '../server/db/database';
import { CaseRepository } from '../server/repositories/cases';
import { TaskRepository } from '../server/repositories/tasks';

const target = process.argv[2]!;
const postgres = /^postgres(ql)?:\/\//.test(target);
const db = postgres ? knexFactory({ client: 'pg', connection: target, pool: { min: 1, max: 4 } }) : sqliteFile(target);
const tasks = new TaskRepository(db);
const cases = new CaseRepository(db);
const visibility = { organisations: ['municipality:1061'], groupsOf: { username: 'luzern.einwohnerdienste', groups: ['einwohnerdienste'] } };
const filters: any[] = JSON.parse(process.argv[3] ?? '[{}]');
const reps = Math.max(1, Number(process.env.REPS) || 1);
const seen: Array<{ sql: string; bindings: unknown[] }> = [];
db.on('query', (q: any) => {
  seen.push({ sql: q.sql, bindings: q.bindings });
  if (process.env.SHOWSQL) console.log(q.sql, JSON.stringify(q.bindings).slice(0, 300));
});
for (const filter of filters) {
  const times: number[] = [];
  let line = '';
  for (let k = 0; k < reps; k++) {
    seen.length = 0;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const r = process.env.CASES
      ? await cases.list({ organisations: ['municipality:1061'], sort: { field: 'submittedAt', order: 'DESC' }, range: [0, 24], ...filter })
      : await tasks.list({ visibility: visibility as any, filter, sort: { field: 'createdAt', order: 'DESC' }, range: [0, 24] });
    const c = process.cpuUsage(c0);
    times.push(performance.now() - t0);
    line = `total ${r.total}${r.totalCapped ? ' (capped)' : ''}, rows ${r.rows.length}, cpu ${((c.user + c.system) / 1000).toFixed(1)} ms`;
  }
  times.sort((a, b) => a - b);
  console.log(JSON.stringify(filter), line, `${times[Math.floor(times.length / 2)]!.toFixed(1)} ms (median of ${reps})`);
  if (process.env.PLAN) {
    for (const q of [...seen]) {
      if (/^explain /i.test(q.sql)) continue; // the repository's own (planner estimate of a search term)
      if (postgres) {
        // the statement as sent ($1, $2, … placeholders), on a connection of the pool
        const conn = await (db.client as any).acquireConnection();
        try {
          const plan = await conn.query(`explain (analyze, buffers) ${q.sql}`, q.bindings);
          console.log((plan.rows as Array<{ 'QUERY PLAN': string }>).map((p) => `   ${p['QUERY PLAN']}`).join('\n'));
        } finally {
          await (db.client as any).releaseConnection(conn);
        }
      } else {
        const plan = await db.raw(`explain query plan ${q.sql}`, q.bindings as any[]);
        console.log('  ', (plan as Array<{ detail: string }>).map((p) => p.detail).join(' | '));
      }
    }
  }
}
await db.destroy();
