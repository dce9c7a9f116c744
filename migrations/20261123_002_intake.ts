/** Intake: requests for information sent to applicants, and attachments of submissions. */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('info_requests', (t) => {
    t.string('id', 36).primary();
    t.integer('case_id').notNullable().references('cases.id');
    t.string('job_key', 30).notNullable().unique(); // the request-information job: idempotency
    t.text('message').notNullable();
    t.string('status', 16).notNullable(); // open | answered | cancelled
    t.string('requested_at', 30).notNullable();
    t.text('answer').nullable();
    t.text('answer_data').nullable(); // JSON
    t.string('answered_at', 30).nullable();
    t.index(['case_id', 'status']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('info_requests');
}
