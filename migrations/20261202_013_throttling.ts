/**
 * Rate limits and login throttling shared by every server process (issue 15, DESIGN.md §8): a
 * counter per key (`login:account:<name>`, `login:address:<ip>`, `rate:<name>:ip:<ip>`…) with
 * its window and lockout, and the security events (lockouts) staff and operators audit. Times
 * are epoch milliseconds, so the counters' arithmetic is the same SQL on SQLite and PostgreSQL.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('throttle_counters', (t) => {
    t.string('key', 300).primary();
    t.integer('hits').notNullable();
    t.bigInteger('window_ends_at').notNullable();
    t.bigInteger('blocked_until').notNullable().defaultTo(0);
    t.integer('lockouts').notNullable().defaultTo(0);
  });
  await knex.schema.alterTable('throttle_counters', (t) => {
    t.index(['window_ends_at'], 'throttle_counters_window_idx');
  });
  await knex.schema.createTable('security_events', (t) => {
    t.increments('id').primary();
    t.string('at', 30).notNullable();
    t.string('type', 60).notNullable();
    t.string('username', 100).nullable();
    t.string('address', 100).nullable();
    t.text('details').nullable();
  });
  await knex.schema.alterTable('security_events', (t) => {
    t.index(['username', 'at'], 'security_events_username_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('security_events');
  await knex.schema.dropTable('throttle_counters');
}
