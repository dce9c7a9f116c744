/**
 * Indexes for the backlog gauges of /metrics (OperationsRepository.backlogs): counting open tasks
 * and pending outbox rows reads only the matching index entries, not the whole table, which grows
 * with every case.
 */
import type { Knex } from 'knex';

const indexes = [
  { table: 'tasks', column: 'state', name: 'tasks_state_ops_idx' },
  { table: 'process_start_outbox', column: 'status', name: 'process_start_outbox_status_ops_idx' },
  { table: 'mail_outbox', column: 'status', name: 'mail_outbox_status_ops_idx' },
];

export async function up(knex: Knex): Promise<void> {
  for (const { table, column, name } of indexes) await knex.schema.alterTable(table, (t) => t.index([column], name));
}

export async function down(knex: Knex): Promise<void> {
  for (const { table, column, name } of indexes) await knex.schema.alterTable(table, (t) => t.dropIndex([column], name));
}
