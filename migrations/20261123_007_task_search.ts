/**
 * Full-text search of the inbox without a join per row: each task carries a lowercased
 * "reference, task name, applicant name" text. Backfilled from the cases for existing tasks.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tasks', (t) => {
    t.string('search_text', 500).nullable();
  });
  const tasks = await knex('tasks').join('cases', 'cases.id', 'tasks.case_id').select('tasks.id', 'tasks.case_reference', 'tasks.name', 'cases.applicant');
  for (const row of tasks) {
    const applicant = JSON.parse(row.applicant) as { firstName?: string; lastName?: string };
    await knex('tasks')
      .where({ id: row.id })
      .update({ search_text: taskSearchText(row.case_reference, row.name, applicant) });
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tasks', (t) => {
    t.dropColumn('search_text');
  });
}

/** Frozen copy of the rule in TaskRepository.upsertActivated (migrations do not import app code). */
function taskSearchText(reference: string, taskName: string, applicant: { firstName?: string; lastName?: string }): string {
  return [reference, taskName, applicant.firstName, applicant.lastName].filter(Boolean).join(' ').toLowerCase().slice(0, 500);
}
