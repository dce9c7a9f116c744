/**
 * Deputies (Stellvertretung, issue 17 item 4):
 * - absences: a window (starts_at ≤ now < ends_at, ISO 8601 UTC) in which a user's open tasks of one
 *   organisation go to a deputy of that organisation. Deleting the row ends the absence.
 * - tasks.delegated_from: the absent user a task was handed to the deputy for; while it is set the
 *   task goes back to that user when the absence ends (domain/absences.ts). Any other assignment
 *   (claim, release, assign) clears it.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('absences', (t) => {
    t.increments('id');
    t.string('username', 100).notNullable();
    t.string('organisation_id', 100).notNullable();
    t.string('deputy', 100).notNullable();
    t.string('starts_at', 30).notNullable();
    t.string('ends_at', 30).notNullable();
    t.text('note').nullable();
    t.string('created_by', 100).notNullable();
    t.string('created_at', 30).notNullable();
    t.index(['username', 'organisation_id', 'ends_at'], 'absences_user_idx');
    t.index(['deputy', 'ends_at'], 'absences_deputy_idx');
    t.index(['ends_at', 'starts_at'], 'absences_window_idx');
  });
  await knex.schema.alterTable('tasks', (t) => {
    t.string('delegated_from', 100).nullable();
    t.index(['delegated_from'], 'tasks_delegated_from_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tasks', (t) => {
    t.dropIndex(['delegated_from'], 'tasks_delegated_from_idx');
    t.dropColumn('delegated_from');
  });
  await knex.schema.dropTable('absences');
}
