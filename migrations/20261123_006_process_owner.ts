/**
 * Process owners (issue 5): drafts with history, the deployed content of every version, and the
 * process definition of each task (so a running case keeps the forms of its own version).
 *
 * - process_revisions: drafts saved in the modeler (BPMN XML + forms JSON, comment, author).
 * - deployments: bpmn_xml / forms_json hold what was deployed (null for rows from before);
 *   the (process_id, sha256) uniqueness goes: redeploying an older content is a new version.
 * - tasks.process_definition_key: the Zeebe process definition of the task's job.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('process_revisions', (t) => {
    t.increments('id');
    t.string('service_key', 100).notNullable();
    t.text('bpmn_xml').notNullable();
    t.text('forms_json').notNullable();
    t.string('comment', 1000).notNullable().defaultTo('');
    t.string('author', 100).notNullable();
    t.string('created_at', 30).notNullable();
    t.index(['service_key', 'id'], 'process_revisions_service_idx');
  });
  await knex.schema.alterTable('deployments', (t) => {
    t.dropUnique(['process_id', 'sha256']);
  });
  await knex.schema.alterTable('deployments', (t) => {
    t.text('bpmn_xml').nullable();
    t.text('forms_json').nullable();
    t.integer('revision_id').nullable();
    t.index(['process_id', 'sha256'], 'deployments_process_sha_idx');
    t.unique(['process_definition_key'], { indexName: 'deployments_definition_key_unique' });
  });
  await knex.schema.alterTable('tasks', (t) => {
    t.string('process_definition_key', 30).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tasks', (t) => {
    t.dropColumn('process_definition_key');
  });
  await knex.schema.alterTable('deployments', (t) => {
    t.dropUnique(['process_definition_key'], 'deployments_definition_key_unique');
    t.dropIndex(['process_id', 'sha256'], 'deployments_process_sha_idx');
    t.dropColumn('revision_id');
    t.dropColumn('forms_json');
    t.dropColumn('bpmn_xml');
  });
  await knex.schema.alterTable('deployments', (t) => {
    t.unique(['process_id', 'sha256']);
  });
  await knex.schema.dropTableIfExists('process_revisions');
}
