/**
 * One SQLite database opened twice, as two processes sharing a data folder would: for tests of
 * claims and leases that must hold between processes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../../server/db/database';
import { createRepositories, type Repositories } from '../../server/repositories';

export interface SharedSqlite {
  db: Db;
  /** a second connection to the same file: another process */
  other: Db;
  repos: Repositories;
  otherRepos: Repositories;
  close(): Promise<void>;
}

export async function openSharedSqlite(prefix: string): Promise<SharedSqlite> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const db = await openDatabase({ dataDir: dir });
  const other = await openDatabase({ dataDir: dir });
  return {
    db,
    other,
    repos: createRepositories(db),
    otherRepos: createRepositories(other),
    async close() {
      await other.destroy();
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
