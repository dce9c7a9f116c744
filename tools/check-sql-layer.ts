/**
 * SQL only in server/repositories (and server/db, migrations): dependency-cruiser sees imports,
 * not a knex instance handed around (a transaction from Repositories.transaction, the connection
 * in services.ts), so this finds query building on `db(...)` / `trx(...)` / `.raw(` / knex
 * builder methods in the other server folders and in workers/ and model/. Exits 1 on a find.
 */
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const scanned = ['server', 'workers', 'model'];
const allowed = [/^server\/(repositories|db)\//];
// `repos.db(…)`, `repos.db.transaction`, `db('table')`, `trx('table')`, `.raw(`, `.whereIn(` …
const sql = /\b(?:repos|repositories)\.db\b|\b(?:db|trx|knex)\s*\(\s*['"`]|\.raw\s*\(|\.(?:whereIn|whereNotNull|groupBy|onConflict)\s*\(/;

function* files(dir: string): Generator<string> {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) yield full;
  }
}

const finds: string[] = [];
for (const folder of scanned) {
  for (const file of files(path.join(root, folder))) {
    const rel = path.relative(root, file).split(path.sep).join('/');
    if (allowed.some((re) => re.test(rel))) continue;
    fs.readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (sql.test(line) && !/^\s*(\/\/|\*)/.test(line)) finds.push(`${rel}:${i + 1}: ${line.trim().slice(0, 140)}`);
      });
  }
}
if (finds.length > 0) {
  console.error(`SQL outside server/repositories (${finds.length}):\n${finds.map((f) => `  ${f}`).join('\n')}`);
  process.exit(1);
}
console.log('sql-layer: no query building outside server/repositories, server/db, migrations');
