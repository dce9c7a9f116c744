/**
 * Administration (issue 17, items 1, 2 and 6):
 * - users.must_change_password: an initial password set by an administrator works only to choose
 *   a new one (the login refuses a session until then).
 * - organisations.inbox_groups: the candidate groups of the organisation's inboxes (JSON array);
 *   a user's groups must be among those of their organisations.
 * - users.email unique (several NULLs allowed on both databases), so two accounts never share an
 *   address.
 * - admin_audit_events: one row per change in the administration: who, what, before, after, when;
 *   `organisations` (JSON array) lists the organisations the change concerns, so an organisation
 *   admin sees the events of their own organisations.
 */
import type { Knex } from 'knex';

/** the candidate groups the deployed processes use, per organisation (municipalities: einwohnerdienste) */
const defaultInboxGroups: Record<string, string[]> = {
  'canton:steuerverwaltung': ['steuern'],
  'canton:betreibungsamt': ['betreibungsamt'],
};

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.boolean('must_change_password').notNullable().defaultTo(false);
    t.string('updated_at', 30).nullable();
    t.unique(['email'], { indexName: 'users_email_unique' });
  });
  await knex.schema.alterTable('organisations', (t) => {
    t.text('inbox_groups').notNullable().defaultTo('[]');
  });
  await knex('organisations')
    .where({ kind: 'municipality' })
    .update({ inbox_groups: JSON.stringify(['einwohnerdienste']) });
  for (const [id, groups] of Object.entries(defaultInboxGroups))
    await knex('organisations')
      .where({ id })
      .update({ inbox_groups: JSON.stringify(groups) });

  await knex.schema.createTable('admin_audit_events', (t) => {
    t.increments('id');
    t.string('at', 30).notNullable();
    t.string('actor', 100).notNullable(); // username of who made the change
    t.string('action', 40).notNullable(); // e.g. user.create, user.update, user.deactivate, organisation.update
    t.string('entity_type', 20).notNullable(); // user | organisation
    t.string('entity_id', 100).notNullable();
    t.text('organisations').notNullable(); // JSON array of organisation ids the change concerns
    t.text('before').nullable(); // JSON
    t.text('after').nullable(); // JSON
    t.index(['at', 'id'], 'admin_audit_events_at_idx');
    t.index(['entity_type', 'entity_id'], 'admin_audit_events_entity_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('admin_audit_events');
  await knex.schema.alterTable('organisations', (t) => t.dropColumn('inbox_groups'));
  await knex.schema.alterTable('users', (t) => {
    t.dropUnique(['email'], 'users_email_unique');
    t.dropColumn('updated_at');
    t.dropColumn('must_change_password');
  });
}
