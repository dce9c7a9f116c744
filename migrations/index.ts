/**
 * The migration list, in order. A custom migration source (instead of knex scanning a folder)
 * keeps migrations working the same under tsx, vitest and PostgreSQL.
 */
import type { Knex } from 'knex';
import * as foundation from './20261123_001_foundation';

const migrations: Record<string, Knex.Migration> = {
  '20261123_001_foundation': foundation,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name]!,
};
