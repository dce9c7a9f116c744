/**
 * Foundation schema. Written with portable knex builders only, so the same migration runs on
 * SQLite (default) and PostgreSQL (DATABASE_URL). Timestamps are ISO-8601 UTC strings: sortable
 * and identical on both databases. JSON payloads are text columns.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('organisations', (t) => {
    t.string('id', 64).primary(); // e.g. "municipality:1061", "canton:steuerverwaltung"
    t.string('kind', 16).notNullable(); // municipality | canton
    t.string('name', 200).notNullable();
    t.integer('bfs_number').nullable();
  });

  await knex.schema.createTable('municipalities', (t) => {
    t.integer('bfs_number').primary();
    t.string('name', 100).notNullable();
    t.string('district', 100).notNullable();
    t.integer('population').nullable();
    t.text('postal_codes').notNullable(); // JSON array of strings
  });

  await knex.schema.createTable('users', (t) => {
    t.increments('id');
    t.string('username', 100).notNullable().unique();
    t.string('display_name', 200).notNullable();
    t.string('email', 200).nullable();
    t.string('password_hash', 200).notNullable();
    t.text('roles').notNullable(); // JSON array: admin | clerk | teamlead | process_owner
    t.text('groups').notNullable(); // JSON array of candidate groups, e.g. ["einwohnerdienste"]
    t.boolean('active').notNullable().defaultTo(true);
    t.string('created_at', 30).notNullable();
  });

  await knex.schema.createTable('user_organisations', (t) => {
    t.integer('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.string('organisation_id', 64).notNullable().references('organisations.id');
    t.primary(['user_id', 'organisation_id']);
  });

  await knex.schema.createTable('sessions', (t) => {
    t.string('id', 64).primary(); // SHA-256 of the session token; the token itself is never stored
    t.integer('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.string('created_at', 30).notNullable();
    t.string('expires_at', 30).notNullable();
  });

  await knex.schema.createTable('cases', (t) => {
    t.increments('id');
    t.string('reference', 32).notNullable().unique();
    t.string('service_key', 100).notNullable();
    t.string('process_id', 100).notNullable();
    t.string('process_definition_key', 30).nullable();
    t.string('process_instance_key', 30).nullable().unique();
    t.integer('municipality_bfs').notNullable();
    t.string('organisation_id', 64).notNullable().references('organisations.id');
    t.string('status', 32).notNullable();
    t.text('applicant').notNullable();
    t.text('data').notNullable();
    t.string('access_token_hash', 64).notNullable();
    t.text('receipt').notNullable();
    t.string('submitted_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.string('closed_at', 30).nullable();
    t.index(['organisation_id', 'status']);
    t.index(['submitted_at']);
  });

  await knex.schema.createTable('idempotency_keys', (t) => {
    t.string('key', 200).primary();
    t.string('request_hash', 64).notNullable();
    t.integer('case_id').notNullable().references('cases.id');
    t.text('response').notNullable(); // AES-GCM encrypted: it contains the access token
    t.string('created_at', 30).notNullable();
  });

  // Outbox: written in the same transaction as the case; a relay starts the process instance.
  await knex.schema.createTable('process_start_outbox', (t) => {
    t.increments('id');
    t.integer('case_id').notNullable().unique().references('cases.id');
    t.string('status', 16).notNullable(); // pending | done
    t.integer('attempts').notNullable().defaultTo(0);
    t.string('next_attempt_at', 30).notNullable();
    t.text('last_error').nullable();
    t.string('created_at', 30).notNullable();
    t.string('done_at', 30).nullable();
    t.index(['status', 'next_attempt_at']);
  });

  await knex.schema.createTable('tasks', (t) => {
    t.string('id', 30).primary(); // Zeebe job key: a timed-out job comes back with the same key
    t.integer('case_id').notNullable().references('cases.id');
    t.string('case_reference', 32).notNullable();
    t.string('service_key', 100).notNullable();
    t.integer('municipality_bfs').notNullable();
    t.string('organisation_id', 64).notNullable();
    t.string('name', 200).notNullable();
    t.string('element_id', 200).notNullable();
    t.string('process_instance_key', 30).notNullable();
    t.string('element_instance_key', 30).notNullable();
    t.string('form_key', 200).nullable();
    t.text('candidate_groups').notNullable(); // JSON array
    t.text('candidate_users').notNullable(); // JSON array
    t.string('assignee', 100).nullable();
    t.string('state', 16).notNullable(); // open | completed | cancelled
    t.string('due_date', 30).nullable();
    t.string('follow_up_date', 30).nullable();
    t.integer('retries').notNullable().defaultTo(0);
    t.text('variables').notNullable(); // the job's variables when it was activated
    t.text('result').nullable(); // variables submitted on completion
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.string('completed_at', 30).nullable();
    t.string('completed_by', 100).nullable();
    t.index(['organisation_id', 'state', 'created_at']);
    t.index(['organisation_id', 'state', 'due_date']);
    t.index(['assignee', 'state']);
    t.index(['case_id']);
    t.index(['process_instance_key']);
  });

  await knex.schema.createTable('timeline_events', (t) => {
    t.increments('id');
    t.integer('case_id').notNullable().references('cases.id');
    t.string('at', 30).notNullable();
    t.string('type', 64).notNullable();
    t.string('actor', 100).notNullable(); // username, "system" or "applicant"
    t.string('label', 500).notNullable();
    t.string('status', 32).nullable(); // set when the event changed the citizen-facing status
    t.boolean('public').notNullable().defaultTo(false); // shown to the applicant
    t.text('details').nullable();
    t.index(['case_id', 'id']);
  });

  await knex.schema.createTable('documents', (t) => {
    t.string('id', 36).primary();
    t.integer('case_id').notNullable().references('cases.id');
    t.string('kind', 32).notNullable();
    t.string('name', 200).notNullable();
    t.string('content_type', 100).notNullable();
    t.integer('size').notNullable();
    t.string('sha256', 64).notNullable();
    t.string('storage_key', 300).notNullable(); // path below DATA_DIR/documents
    t.string('job_key', 30).nullable();
    t.string('created_at', 30).notNullable();
    t.unique(['case_id', 'job_key', 'kind']);
  });

  await knex.schema.createTable('service_fees', (t) => {
    t.string('service_key', 100).notNullable();
    t.integer('bfs_number').notNullable();
    t.integer('amount_cents').notNullable();
    t.boolean('is_demo').notNullable().defaultTo(false);
    t.primary(['service_key', 'bfs_number']);
  });

  await knex.schema.createTable('invoices', (t) => {
    t.string('id', 36).primary();
    t.integer('case_id').notNullable().references('cases.id');
    t.string('job_key', 30).notNullable().unique();
    t.integer('amount_cents').notNullable();
    t.string('currency', 3).notNullable();
    t.string('description', 300).notNullable();
    t.string('status', 16).notNullable(); // open | paid
    t.string('created_at', 30).notNullable();
    t.string('paid_at', 30).nullable();
    t.index(['case_id']);
  });

  await knex.schema.createTable('mail_outbox', (t) => {
    t.increments('id');
    t.integer('case_id').nullable().references('cases.id');
    t.string('dedupe_key', 100).notNullable().unique();
    t.string('to', 200).notNullable();
    t.string('subject', 300).notNullable();
    t.text('body').notNullable();
    t.string('status', 16).notNullable(); // pending | sent
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('last_error').nullable();
    t.string('created_at', 30).notNullable();
    t.string('sent_at', 30).nullable();
    t.index(['status']);
  });

  await knex.schema.createTable('residents', (t) => {
    t.increments('id');
    t.integer('bfs_number').notNullable();
    t.string('first_name', 100).notNullable();
    t.string('last_name', 100).notNullable();
    t.string('date_of_birth', 10).notNullable();
    t.string('street', 200).notNullable();
    t.string('house_number', 20).notNullable();
    t.string('postal_code', 4).notNullable();
    t.string('town', 100).notNullable();
    t.string('residence_type', 16).notNullable(); // main | secondary
    t.boolean('data_lock').notNullable().defaultTo(false);
    t.string('moved_in_on', 10).nullable();
    t.string('ahv_number', 16).nullable();
    t.index(['bfs_number', 'date_of_birth']);
  });

  await knex.schema.createTable('deployments', (t) => {
    t.increments('id');
    t.string('service_key', 100).notNullable();
    t.string('process_id', 100).notNullable();
    t.string('resource_name', 300).notNullable();
    t.string('sha256', 64).notNullable();
    t.integer('version').notNullable();
    t.string('process_definition_key', 30).notNullable();
    t.string('deployed_at', 30).notNullable();
    t.string('deployed_by', 100).notNullable();
    t.unique(['process_id', 'sha256']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'deployments',
    'residents',
    'mail_outbox',
    'invoices',
    'service_fees',
    'documents',
    'timeline_events',
    'tasks',
    'process_start_outbox',
    'idempotency_keys',
    'cases',
    'sessions',
    'user_organisations',
    'users',
    'municipalities',
    'organisations',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
