/**
 * Files the applicant sends with a reply to a request for information (issue 14): stored as case
 * documents of kind `reply-attachment`, linked to the request they answer, so staff see them
 * beside the question and its answer.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('documents', (t) => {
    t.string('info_request_id', 36).nullable();
  });
  await knex.schema.alterTable('documents', (t) => {
    t.index(['info_request_id'], 'documents_info_request_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('documents', (t) => {
    t.dropIndex(['info_request_id'], 'documents_info_request_idx');
  });
  await knex.schema.alterTable('documents', (t) => {
    t.dropColumn('info_request_id');
  });
}
