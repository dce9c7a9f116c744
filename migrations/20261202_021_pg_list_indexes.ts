/**
 * PostgreSQL indexes for the inbox at 100 000 open and 1 000 000 completed tasks (issue 15
 * item 13; found with `PLAN=1 tsx bench/explain.ts postgres://…`, see bench/README.md). SQLite
 * is left as it is (its plans and figures are those of migrations 005 and 008).
 *
 * - tasks(organisation_id, state, created_at DESC, id): the inbox of one state in its default
 *   order (created_at DESC, id ASC) straight from the index. With (organisation_id, state,
 *   created_at) alone the planner costs it the same as walking (organisation_id, created_at)
 *   and filtering the state, and took the latter: the completed view then stepped over all
 *   25 000 open tasks of Luzern (newer than every completed one) before its first row. An
 *   index that returns the exact order needs no incremental sort and wins. It replaces
 *   (organisation_id, state, created_at), whose every use it serves.
 * - a pg_trgm GIN index on the search text of open tasks only: the inbox searches open tasks,
 *   and in the full index every trigram of a word on nearly every task (a task name, "prüfen")
 *   has a posting list as long as the table: a name search read 4 400 index pages (about
 *   30 ms of CPU) there, 340 in the open tasks' index. Without pg_trgm (no privilege to create
 *   it, see migration 008) it is left out, as the full one was.
 */
import type { Knex } from 'knex';

const isSqlite = (knex: Knex) => (knex.client as { dialect?: string }).dialect === 'sqlite3';

export async function up(knex: Knex): Promise<void> {
  if (isSqlite(knex)) return;
  await knex.raw('CREATE INDEX IF NOT EXISTS tasks_org_state_created_id_idx ON tasks (organisation_id, state, created_at DESC, id)');
  await knex.raw('DROP INDEX IF EXISTS tasks_organisation_id_state_created_at_index');
  const trgm = await knex.raw(`SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'`);
  if (trgm.rows.length > 0) {
    await knex.raw(`CREATE INDEX IF NOT EXISTS tasks_open_search_text_trgm_idx ON tasks USING gin (search_text gin_trgm_ops) WHERE state = 'open'`);
  }
}

export async function down(knex: Knex): Promise<void> {
  if (isSqlite(knex)) return;
  await knex.raw('DROP INDEX IF EXISTS tasks_open_search_text_trgm_idx');
  await knex.raw('CREATE INDEX IF NOT EXISTS tasks_organisation_id_state_created_at_index ON tasks (organisation_id, state, created_at)');
  await knex.raw('DROP INDEX IF EXISTS tasks_org_state_created_id_idx');
}
