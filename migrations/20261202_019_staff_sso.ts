/**
 * Staff single sign-on (issue 17, item 3; DESIGN.md §8):
 * - users.oidc_issuer, users.oidc_subject: the provider account a user is linked to (set on the
 *   first SSO sign-in, by subject, username or e-mail); one user per provider account.
 * - staff_login_states: one row per started SSO sign-in (state → PKCE verifier, nonce), in the
 *   database so the callback may reach another server process; used once, expires.
 * - staff_sso_handoffs: the one-time code the callback hands to the back office (in the URL
 *   fragment, never sent to a server); the app exchanges it for the session. Only its SHA-256 is
 *   stored; used once, expires after a minute.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.string('oidc_issuer', 500).nullable();
    t.string('oidc_subject', 255).nullable();
    t.unique(['oidc_issuer', 'oidc_subject'], { indexName: 'users_oidc_account_unique' });
  });
  await knex.schema.createTable('staff_login_states', (t) => {
    t.string('state', 100).primary();
    t.string('code_verifier', 200).notNullable();
    t.string('nonce', 100).notNullable();
    t.string('created_at', 30).notNullable();
    t.string('expires_at', 30).notNullable().index('staff_login_states_expires_idx');
  });
  await knex.schema.createTable('staff_sso_handoffs', (t) => {
    t.string('code_hash', 64).primary();
    t.integer('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.string('created_at', 30).notNullable();
    t.string('expires_at', 30).notNullable().index('staff_sso_handoffs_expires_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('staff_sso_handoffs');
  await knex.schema.dropTable('staff_login_states');
  await knex.schema.alterTable('users', (t) => {
    t.dropUnique(['oidc_issuer', 'oidc_subject'], 'users_oidc_account_unique');
    t.dropColumn('oidc_subject');
    t.dropColumn('oidc_issuer');
  });
}
