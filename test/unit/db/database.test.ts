/** The SQLite connection as the server opens it (server/db/database.ts). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../server/db/database';

let dir: string;
let db: Db;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lu-db-'));
  db = await openDatabase({ dataDir: dir });
});

afterAll(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('SQLite connection', () => {
  it('binds whole numbers as integers, not as REAL (no "1061.0" in text)', async () => {
    const [row] = await db.raw("select typeof(?) as type, 'municipality:' || ? as id, ? / 2 as half, ? as fraction", [5, 1061, 5, 2.5]);
    expect(row).toEqual({ type: 'integer', id: 'municipality:1061', half: 2, fraction: 2.5 });
  });

  it('runs the same statement again with other bindings, inside and outside transactions', async () => {
    await db.schema.createTable('probe', (t) => {
      t.increments('id');
      t.string('name');
    });
    for (const name of ['a', 'b']) await db('probe').insert({ name });
    await db.transaction(async (trx) => {
      await trx('probe').insert({ name: 'c' });
      await trx('probe').where({ name: 'a' }).update({ name: 'A' });
    });
    await expect(
      db.transaction(async (trx) => {
        await trx('probe').insert({ name: 'd' });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect((await db('probe').orderBy('id')).map((r) => r.name)).toEqual(['A', 'b', 'c']);
    expect(await db('probe').where({ name: 'b' }).delete()).toBe(1);
  });
});
