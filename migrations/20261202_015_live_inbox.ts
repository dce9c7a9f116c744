/**
 * Issue 18, live inbox and search.
 *
 * - `task_changes`: one row per visible change of a task (created; state, assignee, organisation,
 *   candidates or due date changed), written by triggers whoever writes the task, so every server
 *   process sees changes made by any other through one cheap indexed poll (server/domain/task-events.ts).
 *   Note (SQLite): a later migration that rebuilds tasks must create these triggers again.
 * - `tasks.search_text` and the new `cases.search_text` are stored folded (ß → ss, ä → ae, …;
 *   server/lib/search-fold.ts), so "Weiss" finds "Weiß" on both databases.
 * - `tasks.applicant_name`: the inbox shows who applied without a join per row.
 */
import type { Knex } from 'knex';

const isSqlite = (knex: Knex) => (knex.client as { dialect?: string }).dialect === 'sqlite3';

/** columns whose change moves a task in or out of someone's inbox */
const watched = 'state, assignee, organisation_id, candidate_groups, candidate_users, due_date';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('task_changes', (t) => {
    t.bigIncrements('seq').primary();
    t.string('task_id', 32).notNullable();
  });
  if (isSqlite(knex)) {
    await knex.raw(`CREATE TRIGGER task_changes_after_insert AFTER INSERT ON tasks BEGIN INSERT INTO task_changes (task_id) VALUES (new.id); END`);
    await knex.raw(`CREATE TRIGGER task_changes_after_update AFTER UPDATE OF ${watched} ON tasks BEGIN INSERT INTO task_changes (task_id) VALUES (new.id); END`);
  } else {
    await knex.raw(`CREATE FUNCTION task_changes_record() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO task_changes (task_id) VALUES (NEW.id); RETURN NULL; END $$`);
    await knex.raw(`CREATE TRIGGER task_changes_after_insert AFTER INSERT ON tasks FOR EACH ROW EXECUTE FUNCTION task_changes_record()`);
    await knex.raw(`CREATE TRIGGER task_changes_after_update AFTER UPDATE OF ${watched} ON tasks FOR EACH ROW EXECUTE FUNCTION task_changes_record()`);
  }

  await knex.schema.alterTable('cases', (t) => {
    t.string('search_text', 500).nullable();
  });
  await knex.schema.alterTable('tasks', (t) => {
    t.string('applicant_name', 200).nullable();
  });
  const cases = await knex('cases').select('id', 'reference', 'applicant');
  for (const row of cases) {
    const applicant = JSON.parse(row.applicant) as { firstName?: string; lastName?: string };
    const name = [applicant.firstName, applicant.lastName].filter(Boolean).join(' ');
    await knex('cases')
      .where({ id: row.id })
      .update({ search_text: fold(`${row.reference} ${name}`).slice(0, 500) });
    await knex('tasks')
      .where({ case_id: row.id })
      .update({ applicant_name: name.slice(0, 200) });
  }
  // tasks: refold the stored text (SQLite: the triggers of migration 008 update the full-text index)
  const tasks = await knex('tasks').whereNotNull('search_text').select('id', 'search_text');
  for (const row of tasks) {
    const folded = fold(row.search_text).slice(0, 500);
    if (folded !== row.search_text) await knex('tasks').where({ id: row.id }).update({ search_text: folded });
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS task_changes_after_insert' + (isSqlite(knex) ? '' : ' ON tasks'));
  await knex.raw('DROP TRIGGER IF EXISTS task_changes_after_update' + (isSqlite(knex) ? '' : ' ON tasks'));
  if (!isSqlite(knex)) await knex.raw('DROP FUNCTION IF EXISTS task_changes_record()');
  await knex.schema.dropTable('task_changes');
  await knex.schema.alterTable('cases', (t) => {
    t.dropColumn('search_text');
  });
  await knex.schema.alterTable('tasks', (t) => {
    t.dropColumn('applicant_name');
  });
}

/** Frozen copy of server/lib/search-fold.ts (migrations do not import app code). */
function fold(text: string): string {
  return text
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
}
