/** Housekeeping on a real SQLite database: what it deletes and what it must keep. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../server/db/database';
import { Housekeeping } from '../../../server/domain/housekeeping';
import { createRepositories, type Repositories } from '../../../server/repositories';
import { insertCase } from '../../support/cases';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3600_000).toISOString();

let dir: string;
let db: Db;
let repos: Repositories;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lu-housekeeping-'));
  db = await openDatabase({ dataDir: dir });
  repos = createRepositories(db);
});

afterAll(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('housekeeping', () => {
  it('deletes expired staff and citizen sessions, abandoned sign-ins and idempotency keys past their retention, and keeps the rest', async () => {
    await db('organisations').insert({ id: 'municipality:1061', kind: 'municipality', name: 'Luzern', bfs_number: 1061 });
    const [user] = await db('users')
      .insert({ username: 'clerk', display_name: 'Clerk', email: 'c@example.ch', password_hash: 'x', roles: '[]', groups: '[]', active: true, created_at: hoursAgo(100) })
      .returning('id');
    const userId = typeof user === 'object' ? user.id : user;
    await db('sessions').insert([
      { id: 'expired', user_id: userId, created_at: hoursAgo(11), expires_at: hoursAgo(1) },
      { id: 'expires-now', user_id: userId, created_at: hoursAgo(10), expires_at: NOW.toISOString() },
      { id: 'valid', user_id: userId, created_at: hoursAgo(1), expires_at: hoursAgo(-9) },
    ]);
    const caseId = await insertCase(db, repos.cases, { reference: 'WB-2026-000001', submittedAt: hoursAgo(72) });
    await db('idempotency_keys').insert([
      { key: 'old', request_hash: 'h', case_id: caseId, response: 'r', created_at: hoursAgo(49) },
      { key: 'day-old', request_hash: 'h', case_id: caseId, response: 'r', created_at: hoursAgo(25) },
      { key: 'fresh', request_hash: 'h', case_id: caseId, response: 'r', created_at: hoursAgo(1) },
    ]);

    const citizenSession = (hash: string, expiresAt: string) => ({ token_hash: hash, subject: 's', issuer: 'i', claims: '{}', csrf_token: 'c', created_at: hoursAgo(9), expires_at: expiresAt });
    await db('citizen_sessions').insert([citizenSession('c-expired', hoursAgo(1)), citizenSession('c-valid', hoursAgo(-1))]);
    const loginState = (state: string, expiresAt: string) => ({ state, code_verifier: 'v', nonce: 'n', return_to: '/portal/', created_at: hoursAgo(1), expires_at: expiresAt });
    await db('citizen_login_states').insert([loginState('s-expired', hoursAgo(0.5)), loginState('s-valid', hoursAgo(-0.1))]);

    // document content: linked, unlinked but recent (an upload in progress), unlinked and old (a crash)
    const chunk = (key: string, createdAt: string) => ({ storage_key: key, seq: 0, data: Buffer.from('%PDF-'), created_at: createdAt });
    await db('document_chunks').insert([chunk('linked', hoursAgo(5)), chunk('uploading', hoursAgo(0.5)), chunk('left-over', hoursAgo(2))]);
    await db('documents').insert({
      id: 'd1',
      case_id: caseId,
      kind: 'attachment',
      name: 'a.pdf',
      content_type: 'application/pdf',
      size: 5,
      sha256: 'x',
      storage_key: 'linked',
      created_at: hoursAgo(5),
    });

    const result = await new Housekeeping(repos, pino({ level: 'silent' }), 48).runOnce(NOW);

    expect(result).toEqual({ sessions: 2, idempotencyKeys: 1, citizenSessions: 1, citizenLoginStates: 1, documentContents: 1 });
    expect((await db('document_chunks').orderBy('storage_key').select('storage_key')).map((r) => r.storage_key)).toEqual(['linked', 'uploading']);
    expect((await db('citizen_sessions').select('token_hash')).map((r) => r.token_hash)).toEqual(['c-valid']);
    expect((await db('citizen_login_states').select('state')).map((r) => r.state)).toEqual(['s-valid']);
    expect((await db('sessions').select('id')).map((r) => r.id)).toEqual(['valid']);
    expect((await db('idempotency_keys').orderBy('key').select('key')).map((r) => r.key)).toEqual(['day-old', 'fresh']);
  });
});
