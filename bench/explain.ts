/**
 * Dev helper: times TaskRepository.list (page + capped count) as the clerk luzern.einwohnerdienste
 * on a database, prints the SQL with SHOWSQL=1 and the query plans with PLAN=1. With CASES=1 it
 * times CaseRepository.list instead (filter: status, serviceKey, q, plus `organisations`, default
 * ["municipality:1061"], and `sort`).
 *   tsx bench/explain.ts <app.sqlite> '[{"state":"open"},{"caseReference":"LU-2025-0000400"},{"q":"zuzug"}]'
 *   CASES=1 tsx bench/explain.ts <app.sqlite> '[{},{"status":"in_progress"},{"organisations":["municipality:1001"]}]'
 */
import { sqliteFile } from '../server/db/database';
import { CaseRepository } from '../server/repositories/cases';
import { TaskRepository } from '../server/repositories/tasks';

const db = sqliteFile(process.argv[2]!);
const tasks = new TaskRepository(db);
const cases = new CaseRepository(db);
const visibility = { organisations: ['municipality:1061'], groupsOf: { username: 'luzern.einwohnerdienste', groups: ['einwohnerdienste'] } };
const filters: any[] = JSON.parse(process.argv[3] ?? '[{}]');
const seen: Array<{ sql: string; bindings: unknown[] }> = [];
db.on('query', (q: any) => {
  seen.push({ sql: q.sql, bindings: q.bindings });
  if (process.env.SHOWSQL) console.log(q.sql, JSON.stringify(q.bindings).slice(0, 300));
});
for (const filter of filters) {
  seen.length = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = process.env.CASES
    ? await cases.list({ organisations: ['municipality:1061'], sort: { field: 'submittedAt', order: 'DESC' }, range: [0, 24], ...filter })
    : await tasks.list({ visibility: visibility as any, filter, sort: { field: 'createdAt', order: 'DESC' }, range: [0, 24] });
  const c = process.cpuUsage(c0);
  console.log(JSON.stringify(filter), 'total', r.total, r.totalCapped ? '(capped)' : '', `${(performance.now() - t0).toFixed(1)} ms, cpu ${((c.user + c.system) / 1000).toFixed(1)} ms`);
  if (process.env.PLAN) {
    for (const q of [...seen]) {
      const plan = await db.raw(`explain query plan ${q.sql}`, q.bindings as any[]);
      console.log('  ', (plan as Array<{ detail: string }>).map((p) => p.detail).join(' | '));
    }
  }
}
await db.destroy();
