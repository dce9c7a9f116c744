/**
 * Indexes for the inbox and the case view at scale (issue 7; measured with `npm run bench` at
 * 100 000 open and 1 000 000 completed tasks).
 *
 * - tasks(case_reference, organisation_id): the caseReference filter scanned every task of the
 *   organisation. With both columns SQLite's planner (no ANALYZE statistics) prefers it to the
 *   organisation indexes; a single-column index was ignored in favour of (organisation_id, ...).
 * - tasks(organisation_id, state, service_key, assignee, candidate_groups, candidate_users):
 *   covers the visibility rule of a clerk (own organisation; assignee, candidate user or
 *   candidate group) and the state, serviceKey and assignee filters, so COUNT(*) for
 *   Content-Range runs on the index alone instead of reading every task row of the organisation
 *   (about 0.5 kB each, with the variables JSON).
 * - tasks(organisation_id, created_at): the inbox without a state filter, newest first, reads
 *   the rows in order and stops after the page instead of sorting all of the organisation's tasks.
 */
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tasks', (t) => {
    t.index(['case_reference', 'organisation_id'], 'tasks_case_reference_idx');
    t.index(['organisation_id', 'state', 'service_key', 'assignee', 'candidate_groups', 'candidate_users'], 'tasks_org_state_visibility_idx');
    t.index(['organisation_id', 'created_at'], 'tasks_org_created_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tasks', (t) => {
    t.dropIndex(['organisation_id', 'created_at'], 'tasks_org_created_idx');
    t.dropIndex(['organisation_id', 'state', 'service_key', 'assignee', 'candidate_groups', 'candidate_users'], 'tasks_org_state_visibility_idx');
    t.dropIndex(['case_reference', 'organisation_id'], 'tasks_case_reference_idx');
  });
}
