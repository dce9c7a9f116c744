/**
 * The mail outbox for several sender processes and an SMTP handover that survives a crash
 * (issue 15, items 1 and 12; domain/mail-sender.ts explains the guarantee):
 * - mail_outbox: a stable Message-ID per mail (set at its first handover), a claim (lease) so any
 *   number of processes can send, and the time of the next attempt (backoff). Status now
 *   pending | sent | failed (attempts used up) | uncertain (a handover was interrupted by a crash).
 * - mail_deliveries: one row per handover to the SMTP server, written before the handover and
 *   finished with its outcome; a row left open is how a crash in the middle is recognised.
 */
import type { Knex } from 'knex';

/** the old sender stopped after ten attempts without marking the row */
const OLD_MAX_ATTEMPTS = 10;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('mail_outbox', (t) => {
    t.string('message_id', 200).nullable().unique();
    t.string('next_attempt_at', 30).nullable();
    t.string('claimed_by', 100).nullable();
    t.string('claimed_until', 30).nullable();
  });
  await knex('mail_outbox').where({ status: 'pending' }).where('attempts', '>=', OLD_MAX_ATTEMPTS).update({ status: 'failed' });

  await knex.schema.createTable('mail_deliveries', (t) => {
    t.increments('id');
    t.integer('mail_id').notNullable().references('mail_outbox.id');
    t.string('message_id', 200).notNullable();
    t.integer('attempt').notNullable();
    /** the claim token of the sending process */
    t.string('sender', 100).notNullable();
    t.string('started_at', 30).notNullable();
    t.string('finished_at', 30).nullable();
    t.string('outcome', 16).nullable(); // accepted | failed | interrupted
    t.text('response').nullable();
    t.index(['mail_id', 'finished_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('mail_deliveries');
  await knex.schema.alterTable('mail_outbox', (t) => {
    t.dropUnique(['message_id']);
    t.dropColumn('message_id');
    t.dropColumn('next_attempt_at');
    t.dropColumn('claimed_by');
    t.dropColumn('claimed_until');
  });
}
