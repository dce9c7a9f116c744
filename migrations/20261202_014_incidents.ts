/**
 * Incidents (issue 18): a service step whose job failed all its retries. The back office owns
 * them (see server/engine/worker-runtime.ts for why they are not Zeebe incidents): one row per
 * job, shared by every server and worker process.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('incidents', (t) => {
    t.increments('id');
    t.string('job_key', 30).notNullable().unique();
    t.integer('case_id').notNullable().references('id').inTable('cases');
    t.string('process_instance_key', 30).notNullable();
    t.string('element_instance_key', 30).notNullable();
    t.string('bpmn_process_id', 100).notNullable();
    t.string('element_id', 200).notNullable();
    t.string('step', 300).notNullable();
    t.string('job_type', 100).notNullable();
    t.text('error_message').notNullable();
    /** open: parked, waiting for staff; retrying: the next activation runs the step again; resolved; cancelled */
    t.string('state', 20).notNullable();
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.string('resolved_at', 30).nullable();
    t.string('resolved_by', 100).nullable();
    t.index(['state', 'created_at'], 'incidents_state_idx');
    t.index(['case_id'], 'incidents_case_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('incidents');
}
