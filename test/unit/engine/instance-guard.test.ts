/**
 * The instance guard against a real (temporary) SQLite database, with a stand-in for the engine:
 * a job delivered twice at the same moment (a job stream and a long poll, or a redelivery after
 * a crash) must adopt its instance once and write one "process.started", and a second instance
 * of the same case must be cancelled.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../server/db/database';
import { createRepositories, type Repositories } from '../../../server/repositories';
import { insertCase } from '../../support/cases';
import { guardJob } from '../../../server/engine/instance-guard';
import type { ActivatedJob, Engine } from '../../../server/engine/zeebe';

let db: Db;
let repos: Repositories;
let dir: string;
const cancelled: string[] = [];
const engine = { cancelInstance: async (key: string) => void cancelled.push(key) } as unknown as Engine;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lu-guard-'));
  db = await openDatabase({ dataDir: dir });
  repos = createRepositories(db);
  await db('organisations').insert({ id: 'test.org', kind: 'municipality', name: 'Testgemeinde' }).onConflict('id').ignore();
});

afterAll(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function newCase(reference: string): Promise<number> {
  return insertCase(db, repos.cases, { reference, organisationId: 'test.org', accessTokenHash: `hash-${reference}` });
}

const job = (reference: string, processInstanceKey: string): ActivatedJob => ({
  key: `job-${processInstanceKey}`,
  type: 'case-status',
  processInstanceKey,
  bpmnProcessId: 'wohnsitzbestaetigung',
  processDefinitionKey: '1',
  elementId: 'Task_StatusInBearbeitung',
  elementInstanceKey: '2',
  retries: 3,
  customHeaders: {},
  variables: { reference },
});

const startedEvents = (caseId: number) => db('timeline_events').where({ case_id: caseId, type: 'process.started' });

describe('instance guard', () => {
  it('adopts an instance once when the same job arrives twice at the same moment', async () => {
    const caseId = await newCase('LU-2026-900001');
    const results = await Promise.all([guardJob(job('LU-2026-900001', '111'), engine, repos), guardJob(job('LU-2026-900001', '111'), engine, repos)]);
    expect(results.map((r) => r.kind)).toEqual(['proceed', 'proceed']);
    expect((await repos.cases.getById(caseId))?.processInstanceKey).toBe('111');
    expect(await startedEvents(caseId)).toHaveLength(1);
    expect(cancelled).not.toContain('111');
  });

  it('cancels a second instance of a case that already owns one', async () => {
    const caseId = await newCase('LU-2026-900002');
    expect((await guardJob(job('LU-2026-900002', '221'), engine, repos)).kind).toBe('proceed');
    expect((await guardJob(job('LU-2026-900002', '222'), engine, repos)).kind).toBe('stop');
    expect(cancelled).toContain('222');
    expect((await repos.cases.getById(caseId))?.processInstanceKey).toBe('221');
    expect(await startedEvents(caseId)).toHaveLength(1);
  });
});
