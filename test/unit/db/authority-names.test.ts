/** Migration 023: one issuing authority name per organisation ("Stadt Luzern", not "Gemeinde Luzern"). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../server/db/database';
import { down, up } from '../../../migrations/20261202_023_authority_names';

let dir: string;
let db: Db;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lu-authority-'));
  // migrated to the latest version; the rows as the seed wrote them before migration 023
  db = await openDatabase({ dataDir: dir });
  await db('organisations').insert(
    [
      { id: 'municipality:1061', name: 'Gemeinde Luzern', bfs_number: 1061 },
      { id: 'municipality:1059', name: 'Kriens (eigener Name)', bfs_number: 1059 },
      { id: 'municipality:1024', name: 'Gemeinde Emmen', bfs_number: 1024 },
    ].map((o) => ({ ...o, kind: 'municipality', inbox_groups: '[]' })),
  );
});

afterAll(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('migration 023 authority names', () => {
  it('renames the seeded towns to "Stadt …", keeps an administrator’s own name and the other municipalities, and goes back down', async () => {
    const names = async () => Object.fromEntries((await db('organisations').select('id', 'name')).map((r: { id: string; name: string }) => [r.id, r.name]));
    await up(db);
    expect(await names()).toEqual({
      'municipality:1061': 'Stadt Luzern',
      'municipality:1059': 'Kriens (eigener Name)',
      'municipality:1024': 'Gemeinde Emmen',
    });
    await down(db);
    expect((await names())['municipality:1061']).toBe('Gemeinde Luzern');
  });
});
