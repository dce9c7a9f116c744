/**
 * The migration list, in order. A custom migration source (instead of knex scanning a folder)
 * keeps migrations working the same under tsx, vitest and PostgreSQL.
 */
import type { Knex } from 'knex';
import * as foundation from './20261123_001_foundation';
import * as intake from './20261123_002_intake';
import * as backoffice from './20261123_003_backoffice';
import * as services from './20261123_004_services';
import * as indexes from './20261123_005_indexes';
import * as processOwner from './20261123_006_process_owner';
import * as taskSearch from './20261123_007_task_search';
import * as listScale from './20261123_008_list_scale';
import * as identity from './20261201_009_identity';
import * as replyAttachments from './20261201_010_reply_attachments';
import * as incidents from './20261202_014_incidents';
import * as liveInbox from './20261202_015_live_inbox';
import * as mailDelivery from './20261202_017_mail_delivery';
import * as documentContent from './20261202_012_document_content';
import * as throttling from './20261202_013_throttling';
import * as operationsMetrics from './20261202_016_operations_metrics';
import * as severalProcesses from './20261202_011_several_processes';
import * as administration from './20261202_018_administration';
import * as staffSso from './20261202_019_staff_sso';
import * as pgListIndexes from './20261202_021_pg_list_indexes';
import * as deputies from './20261202_020_deputies';
import * as registerHistory from './20261202_022_register_history';
import * as authorityNames from './20261202_023_authority_names';

const migrations: Record<string, Knex.Migration> = {
  '20261123_001_foundation': foundation,
  '20261123_002_intake': intake,
  '20261123_003_backoffice': backoffice,
  '20261123_004_services': services,
  '20261123_005_indexes': indexes,
  '20261123_006_process_owner': processOwner,
  '20261123_007_task_search': taskSearch,
  '20261123_008_list_scale': listScale,
  '20261201_009_identity': identity,
  '20261201_010_reply_attachments': replyAttachments,
  '20261202_014_incidents': incidents,
  '20261202_015_live_inbox': liveInbox,
  '20261202_017_mail_delivery': mailDelivery,
  '20261202_012_document_content': documentContent,
  '20261202_013_throttling': throttling,
  '20261202_016_operations_metrics': operationsMetrics,
  '20261202_011_several_processes': severalProcesses,
  '20261202_018_administration': administration,
  '20261202_019_staff_sso': staffSso,
  '20261202_021_pg_list_indexes': pgListIndexes,
  '20261202_020_deputies': deputies,
  '20261202_022_register_history': registerHistory,
  '20261202_023_authority_names': authorityNames,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name]!,
};
