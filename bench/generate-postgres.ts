/**
 * The read-side data of generate.ts for PostgreSQL (`BENCH_DB=postgres`): the same rows (same
 * references, names, municipalities, services, assignees and ages), written with
 * `INSERT … SELECT` over `generate_series` into the server's database in one transaction. The
 * server must have migrated the database once (demo mode) and must not be running. The search
 * texts of tasks and cases are stored folded as the server stores them (ü → ue, see generate.ts).
 *
 * Unlike the SQLite generator this one ends with VACUUM (ANALYZE): PostgreSQL's autovacuum does
 * both by itself after that many inserts (autovacuum_vacuum_insert_threshold/_scale_factor and
 * autovacuum_analyze_*, PostgreSQL ≥ 13), so a production database has statistics and a set
 * visibility map; the server never has to run it. Without the visibility map every index-only
 * scan (the capped counts of the lists) still reads each row's heap page to learn whether the
 * row is visible; a freshly bulk-loaded table would measure that until autovacuum came by.
 */
import knexFactory from 'knex';
import type { GenerateResult } from './generate';

/** an ISO timestamp `seconds` before now, as the server writes it (UTC, milliseconds, Z) */
const ago = (seconds: string) => `to_char((now() AT TIME ZONE 'UTC') - make_interval(secs => ${seconds}), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export async function generatePostgres(databaseUrl: string, open: number, completed: number, timelinePerCase = 2): Promise<GenerateResult> {
  const t0 = performance.now();
  const total = open + completed;
  const db = knexFactory({ client: 'pg', connection: databaseUrl, pool: { min: 1, max: 1 } });
  try {
    const { rows: muni } = await db.raw(`SELECT count(*)::int AS n FROM organisations WHERE id LIKE 'municipality:%'`);
    if (muni[0].n < 79) throw new Error(`expected the 79 municipalities as organisations, found ${muni[0].n}: start the server once (demo mode) first`);
    const { rows: b } = await db.raw('SELECT coalesce(max(id), 0)::int AS base FROM cases');
    const base = b[0].base as number;
    const assignee = `CASE WHEN g.bfs = 1061 THEN 'luzern.einwohnerdienste' ELSE 'sachbearbeitung.' || g.bfs END`;
    const ref = `'LU-2025-' || lpad(g.i::text, 7, '0')`;
    await db.transaction(async (trx) => {
      await trx.raw(`SET LOCAL maintenance_work_mem = '256MB'`);
      await trx.raw(`SET LOCAL work_mem = '64MB'`);
      await trx.raw(`CREATE TEMP TABLE gen_muni ON COMMIT DROP AS SELECT (row_number() OVER (ORDER BY bfs_number) - 1)::int AS idx, bfs_number AS bfs FROM municipalities WHERE bfs_number <> 1061`);
      await trx.raw(`CREATE TEMP TABLE gen_svc (idx int PRIMARY KEY, service_key text, task_name text, grp text) ON COMMIT DROP`);
      await trx.raw(`INSERT INTO gen_svc VALUES
        (0, 'wohnsitzbestaetigung', 'Wohnsitz prüfen', 'einwohnerdienste'),
        (1, 'hundeanmeldung', 'Hundehaltung prüfen', 'einwohnerdienste'),
        (2, 'umzug', 'Zuzug prüfen', 'einwohnerdienste'),
        (3, 'parkkarte', 'Fahrzeug prüfen', 'verkehr'),
        (4, 'betreibungsauskunft', 'Interesse prüfen', 'betreibungsamt')`);
      // i = 1..total; i <= open: open task (case in progress), else completed; ages as in generate.ts
      await trx.raw(`CREATE TEMP TABLE gen ON COMMIT DROP AS
        SELECT i, CASE WHEN i % 4 = 0 THEN 1061 ELSE (SELECT bfs FROM gen_muni WHERE idx = (i / 4) % 78) END AS bfs,
               (i * 7 + i / 13) % 5 AS svc,
               CASE WHEN i <= ${open} THEN floor(random() * 60 * 86400)::int ELSE 60 * 86400 + floor(random() * 730 * 86400)::int END AS ago
        FROM generate_series(1, ${total}) AS i`);
      await trx.raw(`INSERT INTO cases (id, reference, service_key, process_id, process_definition_key, process_instance_key, municipality_bfs, organisation_id, status,
                       applicant, data, access_token_hash, receipt, submitted_at, updated_at, closed_at, search_text)
        SELECT ${base} + g.i, ${ref}, s.service_key, s.service_key, '2251799813685249', (4503599627370496 + g.i)::text,
               g.bfs, 'municipality:' || g.bfs, CASE WHEN g.i <= ${open} THEN 'in_progress' ELSE 'completed' END,
               json_build_object('firstName', 'Vorname' || (g.i % 997), 'lastName', 'Nachname' || g.i, 'dateOfBirth', '1980-01-01',
                                 'email', 'person' || g.i || '@example.ch',
                                 'address', json_build_object('street', 'Musterweg', 'houseNumber', (g.i % 200)::text, 'postalCode', '6003', 'town', 'Luzern'))::text,
               '{"copies":1}', md5(random()::text) || md5(random()::text), '{"generated":true}',
               ${ago('g.ago')}, ${ago('greatest(0, g.ago - 3600)')},
               CASE WHEN g.i <= ${open} THEN NULL ELSE ${ago('greatest(0, g.ago - 3600)')} END,
               lower(${ref} || ' Vorname' || (g.i % 997) || ' Nachname' || g.i)
        FROM gen g JOIN gen_svc s ON s.idx = g.svc ORDER BY g.i`);
      await trx.raw(`INSERT INTO tasks (id, case_id, case_reference, service_key, municipality_bfs, organisation_id, name, element_id, process_instance_key,
                       element_instance_key, form_key, candidate_groups, candidate_users, assignee, state, due_date, follow_up_date, retries,
                       variables, result, created_at, updated_at, completed_at, completed_by, search_text)
        SELECT (2251799900000000 + g.i)::text, ${base} + g.i, ${ref}, s.service_key, g.bfs, 'municipality:' || g.bfs,
               s.task_name, 'UserTask_Pruefen', (4503599627370496 + g.i)::text, (2251799900000000 + g.i + 7)::text, 'wohnsitz-pruefen',
               '["' || s.grp || '"]', '[]',
               CASE WHEN g.i <= ${open} THEN (CASE WHEN g.i % 3 = 0 THEN ${assignee} ELSE NULL END) ELSE ${assignee} END,
               CASE WHEN g.i <= ${open} THEN 'open' ELSE 'completed' END,
               to_char((now() AT TIME ZONE 'UTC') - make_interval(secs => g.ago) + make_interval(days => 1 + g.i % 10), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
               NULL, 3,
               json_build_object('reference', ${ref}, 'municipality', g.bfs)::text,
               CASE WHEN g.i <= ${open} THEN NULL ELSE '{"approved":true}' END,
               ${ago('g.ago')}, ${ago('greatest(0, g.ago - 3600)')},
               CASE WHEN g.i <= ${open} THEN NULL ELSE ${ago('greatest(0, g.ago - 3600)')} END,
               CASE WHEN g.i <= ${open} THEN NULL ELSE ${assignee} END,
               replace(lower(${ref} || ' ' || s.task_name || ' Vorname' || (g.i % 997) || ' Nachname' || g.i), 'ü', 'ue')
        FROM gen g JOIN gen_svc s ON s.idx = g.svc ORDER BY g.i`);
      await trx.raw(`INSERT INTO case_organisations (case_id, organisation_id, submitted_at, via_task)
        SELECT id, organisation_id, submitted_at, false FROM cases WHERE id > ${base} ORDER BY id`);
      if (timelinePerCase >= 1) {
        await trx.raw(`INSERT INTO timeline_events (case_id, at, type, actor, label, status, public, details)
          SELECT ${base} + g.i, ${ago('g.ago')}, 'submission.received', 'applicant', 'Gesuch eingegangen', 'received', true, NULL FROM gen g ORDER BY g.i`);
      }
      if (timelinePerCase >= 2) {
        await trx.raw(`INSERT INTO timeline_events (case_id, at, type, actor, label, status, public, details)
          SELECT ${base} + g.i, ${ago('g.ago')}, 'task.created', 'system', 'Aufgabe «' || s.task_name || '» erstellt', NULL, false,
                 json_build_object('taskId', (2251799900000000 + g.i)::text)::text
          FROM gen g JOIN gen_svc s ON s.idx = g.svc ORDER BY g.i`);
      }
      // explicit ids bypass the serial sequence: move it past them, or the next submission collides
      await trx.raw(`SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT max(id) FROM cases))`);
    });
    await db.raw('VACUUM (ANALYZE)');
    const { rows: check } = await db.raw('SELECT max(id)::int AS mx, pg_database_size(current_database())::bigint AS size FROM cases');
    if (check[0].mx !== base + total) throw new Error(`case ids not contiguous (max ${check[0].mx}, expected ${base + total})`);
    return { open, completed, timelinePerCase, seconds: Math.round((performance.now() - t0) / 100) / 10, dbMb: Math.round(Number(check[0].size) / 1024 / 1024) };
  } finally {
    await db.destroy();
  }
}
