/** Back office: internal case notes (staff only, never shown to the applicant). */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('case_notes', (t) => {
    t.increments('id');
    t.integer('case_id').notNullable().references('cases.id');
    t.string('author', 100).notNullable(); // username
    t.string('author_name', 200).notNullable();
    t.text('body').notNullable();
    t.string('created_at', 30).notNullable();
    t.index(['case_id', 'id']);
  });
  // inbox filters by due date and sorts completed tasks by completion time
  await knex.schema.alterTable('tasks', (t) => {
    t.index(['organisation_id', 'state', 'completed_at'], 'tasks_org_state_completed_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tasks', (t) => t.dropIndex(['organisation_id', 'state', 'completed_at'], 'tasks_org_state_completed_idx'));
  await knex.schema.dropTableIfExists('case_notes');
}
