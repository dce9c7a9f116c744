/**
 * Several server and worker processes on one database (issue 15, DESIGN.md §8):
 * - `reference_counters`: the last number used per reference prefix (`LU-2026`), incremented
 *   atomically inside the submission transaction instead of `max(reference)+1`;
 * - `process_start_outbox.claimed_by/claimed_until`: the relay's lease on a row while it starts
 *   the process instance, so two processes never start the same case;
 * - `process_leases`: named leases for periodic jobs that one process at a time should run
 *   (housekeeping);
 * - `installation`: this installation's id (one row), carried by every process instance so two
 *   installations on one Zeebe cluster never touch each other's instances.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('reference_counters', (t) => {
    t.string('prefix', 20).primary();
    t.integer('last_number').notNullable();
  });
  // existing references (LU-<year>-<number>): continue after the highest of each year
  const years = await knex('cases').select(knex.raw('substr(reference, 1, 7) as prefix')).max({ ref: 'reference' }).where('reference', 'like', 'LU-____-%').groupByRaw('substr(reference, 1, 7)');
  for (const { prefix, ref } of years as Array<{ prefix: string; ref: string }>) {
    await knex('reference_counters').insert({ prefix, last_number: Number(ref.split('-')[2]) });
  }

  await knex.schema.alterTable('process_start_outbox', (t) => {
    t.string('claimed_until', 30).nullable();
    t.string('claimed_by', 100).nullable();
  });

  await knex.schema.createTable('process_leases', (t) => {
    t.string('name', 60).primary();
    t.string('held_by', 100).notNullable();
    t.string('held_until', 30).notNullable();
  });

  await knex.schema.createTable('installation', (t) => {
    t.integer('id').primary(); // always 1: one row
    t.string('installation_id', 64).notNullable();
    t.string('created_at', 30).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('installation');
  await knex.schema.dropTable('process_leases');
  await knex.schema.alterTable('process_start_outbox', (t) => {
    t.dropColumn('claimed_until');
    t.dropColumn('claimed_by');
  });
  await knex.schema.dropTable('reference_counters');
}
