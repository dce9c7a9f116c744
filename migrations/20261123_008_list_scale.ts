/**
 * Task and case lists at 100 000 open and 1 000 000 completed tasks (issue 7).
 *
 * - Full-text search of the inbox (`q`: reference, task name, applicant name, kept lowercased in
 *   tasks.search_text since migration 007) gets a real index instead of `LIKE '%…%'` over every
 *   visible task:
 *   - SQLite: `tasks_fts`, an FTS5 table with the trigram tokenizer (substring matches, SQLite
 *     ≥ 3.34; the better-sqlite3 package bundles 3.53). Contentless (it stores only the index, not a
 *     second copy of the text); its rowid is the task's job key as an integer (Zeebe keys are
 *     64-bit integers), which, unlike the tasks table's implicit rowid, survives a VACUUM.
 *     Triggers keep it in sync with every write of tasks.search_text, whoever writes it.
 *     Note: SQLite table rebuilds (knex `alterTable` with dropColumn/alter on tasks) drop these
 *     triggers: a later migration that rebuilds tasks must create them again.
 *   - PostgreSQL: a pg_trgm GIN index on tasks.search_text serves the same `LIKE '%…%'`; without
 *     the extension (no privilege to create it) search stays correct, only unindexed.
 * - `case_organisations` (case_id, organisation_id, submitted_at, via_task): which organisations
 *   see a case: its own and every organisation a task of it was routed to (via_task; umzug: the
 *   municipality moved to). Replaces "own organisation OR EXISTS (a task in the organisation)"
 *   in the case list, which probed the tasks of every case. submitted_at (never changes) is
 *   copied so that (organisation_id, submitted_at, case_id) returns an organisation's cases in
 *   the default order of the case list; (via_task, organisation_id, case_id) finds the few cases
 *   an organisation sees without owning them, so filtered counts can use the indexes of cases.
 *   Written by the repositories (case created, task projected).
 */
import type { Knex } from 'knex';

const isSqlite = (knex: Knex) => (knex.client as { dialect?: string }).dialect === 'sqlite3';

/** The task id is a canonical 64-bit integer (a Zeebe job key): only those are indexed. */
const canonical = (col: string) => `CAST(CAST(${col} AS INTEGER) AS TEXT) = ${col}`;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('case_organisations', (t) => {
    t.integer('case_id').notNullable().references('cases.id');
    t.string('organisation_id', 64).notNullable();
    t.string('submitted_at', 30).notNullable();
    t.boolean('via_task').notNullable().defaultTo(false);
    t.primary(['case_id', 'organisation_id']);
  });
  // the case's own organisation, then the other organisations its tasks were routed to
  await knex.raw(`INSERT INTO case_organisations (case_id, organisation_id, submitted_at, via_task) SELECT id, organisation_id, submitted_at, FALSE FROM cases ORDER BY id`);
  await knex.raw(
    `INSERT INTO case_organisations (case_id, organisation_id, submitted_at, via_task)
     SELECT DISTINCT t.case_id, t.organisation_id, c.submitted_at, TRUE FROM tasks t JOIN cases c ON c.id = t.case_id WHERE t.organisation_id <> c.organisation_id`,
  );
  // indexes after the rows: one sort instead of a million random inserts
  await knex.schema.alterTable('case_organisations', (t) => {
    t.index(['organisation_id', 'submitted_at', 'case_id'], 'case_organisations_org_submitted_idx');
    t.index(['via_task', 'organisation_id', 'case_id'], 'case_organisations_via_task_idx');
  });

  if (isSqlite(knex)) {
    await knex.raw(`CREATE VIRTUAL TABLE tasks_fts USING fts5(search_text, content='', tokenize='trigram')`);
    await knex.raw(`INSERT INTO tasks_fts (rowid, search_text) SELECT CAST(id AS INTEGER), search_text FROM tasks WHERE search_text IS NOT NULL AND ${canonical('id')}`);
    await knex.raw(
      `CREATE TRIGGER tasks_fts_after_insert AFTER INSERT ON tasks WHEN new.search_text IS NOT NULL AND ${canonical('new.id')} BEGIN
         INSERT INTO tasks_fts (rowid, search_text) VALUES (CAST(new.id AS INTEGER), new.search_text);
       END`,
    );
    // a contentless FTS5 table forgets a row by being told the indexed text again ('delete')
    await knex.raw(
      `CREATE TRIGGER tasks_fts_after_delete AFTER DELETE ON tasks WHEN old.search_text IS NOT NULL AND ${canonical('old.id')} BEGIN
         INSERT INTO tasks_fts (tasks_fts, rowid, search_text) VALUES ('delete', CAST(old.id AS INTEGER), old.search_text);
       END`,
    );
    await knex.raw(
      `CREATE TRIGGER tasks_fts_after_update AFTER UPDATE OF id, search_text ON tasks BEGIN
         INSERT INTO tasks_fts (tasks_fts, rowid, search_text) SELECT 'delete', CAST(old.id AS INTEGER), old.search_text WHERE old.search_text IS NOT NULL AND ${canonical('old.id')};
         INSERT INTO tasks_fts (rowid, search_text) SELECT CAST(new.id AS INTEGER), new.search_text WHERE new.search_text IS NOT NULL AND ${canonical('new.id')};
       END`,
    );
  } else {
    if (await createPgTrgm(knex)) {
      await knex.raw(`CREATE INDEX tasks_search_text_trgm_idx ON tasks USING gin (search_text gin_trgm_ops)`);
    }
  }
}

export async function down(knex: Knex): Promise<void> {
  if (isSqlite(knex)) {
    await knex.raw('DROP TRIGGER IF EXISTS tasks_fts_after_update');
    await knex.raw('DROP TRIGGER IF EXISTS tasks_fts_after_delete');
    await knex.raw('DROP TRIGGER IF EXISTS tasks_fts_after_insert');
    await knex.raw('DROP TABLE IF EXISTS tasks_fts');
  } else {
    await knex.raw('DROP INDEX IF EXISTS tasks_search_text_trgm_idx');
  }
  await knex.schema.dropTableIfExists('case_organisations');
}

/** pg_trgm present or created; false when the database user may not create it (search then scans). */
async function createPgTrgm(knex: Knex): Promise<boolean> {
  const present = await knex.raw(`SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'`);
  if (present.rows.length > 0) return true;
  try {
    // a savepoint: a refused CREATE EXTENSION must not abort the migration's transaction
    await knex.transaction(async (trx) => {
      await trx.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    });
    return true;
  } catch (err) {
    console.warn(`migration 008: pg_trgm not available (${(err as Error).message}); task search runs without a trigram index`);
    return false;
  }
}
