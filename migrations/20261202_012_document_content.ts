/**
 * Document content in the database (issue 15, item 3): every server and worker process reads the
 * same documents, wherever it runs. Content is split into chunks so a download or an upload never
 * holds a whole file in memory; a document's `storage_key` names its chunks. With
 * DOCUMENT_STORE=s3 the content lives in object storage instead and this table stays empty.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('document_chunks', (t) => {
    t.string('storage_key', 64).notNullable();
    t.integer('seq').notNullable();
    t.binary('data').notNullable();
    t.string('created_at', 32).notNullable();
    t.primary(['storage_key', 'seq']);
  });
  // the clean-up of content no document links (an upload interrupted by a crash) goes by age
  await knex.schema.alterTable('document_chunks', (t) => {
    t.index(['created_at'], 'document_chunks_created_idx');
  });
  await knex.schema.alterTable('documents', (t) => {
    t.index(['storage_key'], 'documents_storage_key_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('documents', (t) => {
    t.dropIndex(['storage_key'], 'documents_storage_key_idx');
  });
  await knex.schema.dropTable('document_chunks');
}
