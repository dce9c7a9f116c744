/**
 * Resident register history (issue 16 item 3; RHG SR 431.02 Art. 6 lit. q–s: on arrival the date
 * and the previous municipality or country, on leaving the date and the destination municipality
 * or country, on a move within the municipality the date):
 * - residents.moved_out_on / moved_out_to: a person who left the municipality stays in its
 *   register with the date and destination; such a row is no longer a resident (lookups skip it).
 * - residents.arrived_from: where the person came from, as text; for a move from abroad the
 *   eCH-0010 foreign address as JSON ({ country, town, postalCode?, street?, houseNumber? }).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('residents', (t) => {
    t.string('moved_out_on', 10).nullable();
    t.string('moved_out_to', 400).nullable();
    t.text('arrived_from').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('residents', (t) => {
    t.dropColumn('moved_out_on');
    t.dropColumn('moved_out_to');
    t.dropColumn('arrived_from');
  });
}
