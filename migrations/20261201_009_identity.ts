/**
 * Citizen identity (DESIGN.md §6, issue 13).
 *
 * - cases: who submitted. `citizen_subject` is the OpenID subject (`sub`) of a signed-in person
 *   (own session, or a portal's X-Citizen-Token); `citizen_issuer` the provider that vouched for it;
 *   `identity` the verified claims used for the register match (JSON: givenName, familyName,
 *   birthDate, ahvNumber?, assurance); `client_id` the portal client that submitted (status
 *   callbacks go to it). All null for an anonymous submission.
 * - citizen_login_states: one row per started sign-in (state → PKCE verifier, nonce, returnTo),
 *   in the database so the callback may reach another server process; used once, expires.
 * - citizen_sessions: a signed-in person's session (cookie holds the token, the row its SHA-256),
 *   with the CSRF token that cookie-authenticated changes must echo.
 * - portal_clients: per-client settings of OAuth clients that submit for many people: rate limit,
 *   status callback URL and its HMAC secret.
 * - status_callbacks: the outbox of status-change events for portal clients (one row per event,
 *   claimed by lease, retried with backoff, `dead` after the last attempt).
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('cases', (t) => {
    t.string('citizen_subject', 255).nullable();
    t.string('citizen_issuer', 255).nullable();
    t.text('identity').nullable();
    t.string('client_id', 255).nullable();
  });
  await knex.schema.alterTable('cases', (t) => {
    t.index(['citizen_subject', 'submitted_at'], 'cases_citizen_subject_idx');
  });

  await knex.schema.createTable('citizen_login_states', (t) => {
    t.string('state', 100).primary();
    t.string('code_verifier', 200).notNullable();
    t.string('nonce', 100).notNullable();
    t.string('return_to', 2000).notNullable();
    t.string('created_at', 30).notNullable();
    t.string('expires_at', 30).notNullable();
  });

  await knex.schema.createTable('citizen_sessions', (t) => {
    t.string('token_hash', 64).primary();
    t.string('subject', 255).notNullable();
    t.string('issuer', 255).notNullable();
    t.text('claims').notNullable();
    t.string('csrf_token', 100).notNullable();
    t.string('created_at', 30).notNullable();
    t.string('expires_at', 30).notNullable();
    t.index(['expires_at'], 'citizen_sessions_expires_idx');
  });

  await knex.schema.createTable('portal_clients', (t) => {
    t.string('client_id', 255).primary();
    t.string('name', 200).notNullable();
    t.integer('rate_limit_per_minute').nullable();
    t.string('callback_url', 2000).nullable();
    t.text('callback_secret').nullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
  });

  await knex.schema.createTable('status_callbacks', (t) => {
    t.increments('id').primary();
    t.string('event_id', 64).notNullable().unique();
    t.string('client_id', 255).notNullable();
    t.integer('case_id').notNullable().references('cases.id');
    t.string('reference', 40).notNullable();
    t.string('status', 40).notNullable();
    t.string('at', 30).notNullable();
    t.string('state', 20).notNullable(); // pending | delivered | dead
    t.integer('attempts').notNullable().defaultTo(0);
    t.string('next_attempt_at', 30).notNullable();
    t.string('claimed_until', 30).nullable();
    t.string('claimed_by', 100).nullable();
    t.text('last_error').nullable();
    t.string('delivered_at', 30).nullable();
    t.string('created_at', 30).notNullable();
    t.index(['state', 'next_attempt_at'], 'status_callbacks_due_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('status_callbacks');
  await knex.schema.dropTable('portal_clients');
  await knex.schema.dropTable('citizen_sessions');
  await knex.schema.dropTable('citizen_login_states');
  await knex.schema.alterTable('cases', (t) => {
    t.dropIndex(['citizen_subject', 'submitted_at'], 'cases_citizen_subject_idx');
  });
  await knex.schema.alterTable('cases', (t) => {
    t.dropColumn('citizen_subject');
    t.dropColumn('citizen_issuer');
    t.dropColumn('identity');
    t.dropColumn('client_id');
  });
}
