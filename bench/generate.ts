/**
 * Fast read-side data generator: writes `open` open and `completed` completed tasks, one case per
 * task (plus `timelinePerCase` timeline events each), straight into the server's SQLite file with
 * single INSERT ... SELECT statements over a recursive CTE, in one transaction. The server must
 * not be running. No ANALYZE afterwards: the server never runs it either, so the planner sees what
 * it sees in production. About 25 % of the rows belong to Stadt Luzern (1061), the rest are spread over
 * the other 78 municipalities; five services, three candidate groups. Each case's own row in
 * case_organisations is written too; the full-text index of the tasks (tasks_fts, SQLite) is
 * filled by the insert trigger of migration 008. The search texts of tasks and cases are stored
 * folded as the server stores them (server/lib/search-fold.ts; the only non-ASCII letter here is
 * the ü of "prüfen").
 *
 * Standalone: tsx bench/generate.ts <DATA_DIR> [open] [completed]
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';

export interface GenerateResult {
  open: number;
  completed: number;
  timelinePerCase: number;
  seconds: number;
  dbMb: number;
}

export async function generate(dataDir: string, open: number, completed: number, timelinePerCase = 2): Promise<GenerateResult> {
  const t0 = performance.now();
  const file = path.join(dataDir, 'app.sqlite');
  const db = new Database(file);
  const total = open + completed;
  try {
    // no journal while loading (a throw-away benchmark database); back to WAL, as the server runs it, at the end
    db.exec('PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA foreign_keys = OFF; PRAGMA cache_size = -400000; PRAGMA temp_store = MEMORY;');
    const { n } = db.prepare(`SELECT count(*) AS n FROM organisations WHERE id LIKE 'municipality:%'`).get() as { n: number };
    if (n < 79) throw new Error(`expected the 79 municipalities as organisations, found ${n}: start the server once (demo mode) first`);
    const { base } = db.prepare('SELECT coalesce(max(id), 0) AS base FROM cases').get() as { base: number };
    // i = 1..total; i <= open: open task (case in progress), else completed task (case completed)
    // open tasks created within the last 60 days, completed ones 60..790 days ago
    db.exec(`
BEGIN;
CREATE TEMP TABLE gen_muni AS SELECT row_number() OVER (ORDER BY bfs_number) - 1 AS idx, bfs_number AS bfs FROM municipalities WHERE bfs_number <> 1061;
CREATE TEMP TABLE gen_svc (idx INTEGER PRIMARY KEY, service_key TEXT, task_name TEXT, grp TEXT);
INSERT INTO gen_svc VALUES
  (0, 'wohnsitzbestaetigung', 'Wohnsitz prüfen', 'einwohnerdienste'),
  (1, 'hundeanmeldung', 'Hundehaltung prüfen', 'einwohnerdienste'),
  (2, 'umzug', 'Zuzug prüfen', 'einwohnerdienste'),
  (3, 'parkkarte', 'Fahrzeug prüfen', 'verkehr'),
  (4, 'betreibungsauskunft', 'Interesse prüfen', 'betreibungsamt');
CREATE TEMP TABLE gen (i INTEGER PRIMARY KEY, bfs INTEGER, svc INTEGER, ago INTEGER);
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${total})
INSERT INTO gen (i, bfs, svc, ago)
SELECT i,
       CASE WHEN i % 4 = 0 THEN 1061 ELSE (SELECT bfs FROM gen_muni WHERE idx = (i / 4) % 78) END,
       (i * 7 + i / 13) % 5,
       CASE WHEN i <= ${open} THEN abs(random() % (60 * 86400)) ELSE 60 * 86400 + abs(random() % (730 * 86400)) END
FROM seq;

INSERT INTO cases (id, reference, service_key, process_id, process_definition_key, process_instance_key, municipality_bfs, organisation_id, status,
                   applicant, data, access_token_hash, receipt, submitted_at, updated_at, closed_at, search_text)
SELECT ${base} + g.i, 'LU-2025-' || printf('%07d', g.i), s.service_key, s.service_key, '2251799813685249', CAST(4503599627370496 + g.i AS TEXT),
       g.bfs, 'municipality:' || g.bfs, CASE WHEN g.i <= ${open} THEN 'in_progress' ELSE 'completed' END,
       json_object('firstName', 'Vorname' || (g.i % 997), 'lastName', 'Nachname' || g.i, 'dateOfBirth', '1980-01-01',
                   'email', 'person' || g.i || '@example.ch',
                   'address', json_object('street', 'Musterweg', 'houseNumber', CAST(g.i % 200 AS TEXT), 'postalCode', '6003', 'town', 'Luzern')),
       '{"copies":1}', lower(hex(randomblob(32))), '{"generated":true}',
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || g.ago || ' seconds'),
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || max(0, g.ago - 3600) || ' seconds'),
       CASE WHEN g.i <= ${open} THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || max(0, g.ago - 3600) || ' seconds') END,
       lower('LU-2025-' || printf('%07d', g.i) || ' Vorname' || (g.i % 997) || ' Nachname' || g.i)
FROM gen g JOIN gen_svc s ON s.idx = g.svc ORDER BY g.i;

INSERT INTO tasks (id, case_id, case_reference, service_key, municipality_bfs, organisation_id, name, element_id, process_instance_key,
                   element_instance_key, form_key, candidate_groups, candidate_users, assignee, state, due_date, follow_up_date, retries,
                   variables, result, created_at, updated_at, completed_at, completed_by, search_text)
SELECT CAST(2251799900000000 + g.i AS TEXT), ${base} + g.i, 'LU-2025-' || printf('%07d', g.i), s.service_key, g.bfs, 'municipality:' || g.bfs,
       s.task_name, 'UserTask_Pruefen', CAST(4503599627370496 + g.i AS TEXT), CAST(2251799900000000 + g.i + 7 AS TEXT), 'wohnsitz-pruefen',
       '["' || s.grp || '"]', '[]',
       CASE WHEN g.i <= ${open} THEN (CASE WHEN g.i % 3 = 0 THEN (CASE WHEN g.bfs = 1061 THEN 'luzern.einwohnerdienste' ELSE 'sachbearbeitung.' || g.bfs END) ELSE NULL END)
            ELSE (CASE WHEN g.bfs = 1061 THEN 'luzern.einwohnerdienste' ELSE 'sachbearbeitung.' || g.bfs END) END,
       CASE WHEN g.i <= ${open} THEN 'open' ELSE 'completed' END,
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || g.ago || ' seconds', '+' || (1 + g.i % 10) || ' days'),
       NULL, 3,
       json_object('reference', 'LU-2025-' || printf('%07d', g.i), 'municipality', g.bfs),
       CASE WHEN g.i <= ${open} THEN NULL ELSE '{"approved":true}' END,
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || g.ago || ' seconds'),
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || max(0, g.ago - 3600) || ' seconds'),
       CASE WHEN g.i <= ${open} THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || max(0, g.ago - 3600) || ' seconds') END,
       CASE WHEN g.i <= ${open} THEN NULL ELSE (CASE WHEN g.bfs = 1061 THEN 'luzern.einwohnerdienste' ELSE 'sachbearbeitung.' || g.bfs END) END,
       replace(lower('LU-2025-' || printf('%07d', g.i) || ' ' || s.task_name || ' Vorname' || (g.i % 997) || ' Nachname' || g.i), 'ü', 'ue')
FROM gen g JOIN gen_svc s ON s.idx = g.svc ORDER BY g.i;

INSERT INTO case_organisations (case_id, organisation_id, submitted_at, via_task)
SELECT id, organisation_id, submitted_at, 0 FROM cases WHERE id > ${base} ORDER BY id;

${
  timelinePerCase >= 1
    ? `
INSERT INTO timeline_events (case_id, at, type, actor, label, status, public, details)
SELECT ${base} + g.i, strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || g.ago || ' seconds'), 'submission.received', 'applicant', 'Gesuch eingegangen', 'received', 1, NULL
FROM gen g ORDER BY g.i;`
    : ''
}
${
  timelinePerCase >= 2
    ? `
INSERT INTO timeline_events (case_id, at, type, actor, label, status, public, details)
SELECT ${base} + g.i, strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || g.ago || ' seconds'), 'task.created', 'system', 'Aufgabe «' || s.task_name || '» erstellt', NULL, 0,
       json_object('taskId', CAST(2251799900000000 + g.i AS TEXT))
FROM gen g JOIN gen_svc s ON s.idx = g.svc ORDER BY g.i;`
    : ''
}
DROP TABLE gen; DROP TABLE gen_svc; DROP TABLE gen_muni;
COMMIT;
PRAGMA journal_mode = WAL;
`);
    const check = db.prepare(`SELECT count(*) AS n, max(id) AS mx FROM cases`).get() as { n: number; mx: number };
    if (check.mx !== base + total) throw new Error(`case ids not contiguous (max ${check.mx}, expected ${base + total})`);
    const { pages, size } = db.prepare(`SELECT (SELECT page_count FROM pragma_page_count) AS pages, (SELECT page_size FROM pragma_page_size) AS size`).get() as { pages: number; size: number };
    return { open, completed, timelinePerCase, seconds: Math.round((performance.now() - t0) / 100) / 10, dbMb: Math.round((pages * size) / 1024 / 1024) };
  } finally {
    db.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [dir, open = '100000', completed = '1000000'] = process.argv.slice(2);
  if (!dir) {
    console.error('usage: tsx bench/generate.ts <DATA_DIR> [open] [completed]');
    process.exit(2);
  }
  generate(dir, Number(open), Number(completed)).then(
    (r) => console.log(JSON.stringify(r)),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
