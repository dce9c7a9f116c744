/**
 * Services (issue 6): the issuer and creditor data of organisations, for documents and QR-bill
 * invoices. IBANs may be demo values (iban_is_demo); real ones are configured per installation.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('organisations', (t) => {
    t.string('department', 200).nullable(); // e.g. "Einwohnerdienste"
    t.string('street', 200).nullable();
    t.string('house_number', 20).nullable();
    t.string('postal_code', 10).nullable();
    t.string('town', 100).nullable();
    t.string('iban', 34).nullable(); // IBAN or QR-IBAN, without spaces
    t.boolean('iban_is_demo').notNullable().defaultTo(false);
  });
  await knex.schema.alterTable('invoices', (t) => {
    t.string('paid_by', 100).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('invoices', (t) => {
    t.dropColumn('paid_by');
  });
  await knex.schema.alterTable('organisations', (t) => {
    for (const c of ['department', 'street', 'house_number', 'postal_code', 'town', 'iban', 'iban_is_demo']) t.dropColumn(c);
  });
}
