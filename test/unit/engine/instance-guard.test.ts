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
import { guardJob, handBack } from '../../../server/engine/instance-guard';
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

const OURS = 'installation-a';

const job = (reference: string, processInstanceKey: string, variables: Record<string, unknown> = {}): ActivatedJob => ({
  key: `job-${processInstanceKey}`,
  type: 'case-status',
  processInstanceKey,
  bpmnProcessId: 'wohnsitzbestaetigung',
  processDefinitionKey: '1',
  elementId: 'Task_StatusInBearbeitung',
  elementInstanceKey: '2',
  retries: 3,
  customHeaders: {},
  variables: { reference, ...variables },
});

const startedEvents = (caseId: number) => db('timeline_events').where({ case_id: caseId, type: 'process.started' });

describe('instance guard', () => {
  it('adopts an instance once when the same job arrives twice at the same moment', async () => {
    const caseId = await newCase('LU-2026-900001');
    const results = await Promise.all([guardJob(job('LU-2026-900001', '111'), engine, repos, OURS), guardJob(job('LU-2026-900001', '111'), engine, repos, OURS)]);
    expect(results.map((r) => r.kind)).toEqual(['proceed', 'proceed']);
    expect((await repos.cases.getById(caseId))?.processInstanceKey).toBe('111');
    expect(await startedEvents(caseId)).toHaveLength(1);
    expect(cancelled).not.toContain('111');
  });

  it('cancels a second instance of a case that already owns one', async () => {
    const caseId = await newCase('LU-2026-900002');
    expect((await guardJob(job('LU-2026-900002', '221'), engine, repos, OURS)).kind).toBe('proceed');
    expect((await guardJob(job('LU-2026-900002', '222'), engine, repos, OURS)).kind).toBe('stop');
    expect(cancelled).toContain('222');
    expect((await repos.cases.getById(caseId))?.processInstanceKey).toBe('221');
    expect(await startedEvents(caseId)).toHaveLength(1);
  });

  it("leaves another installation's instance alone, even when its reference is one of our cases", async () => {
    const caseId = await newCase('LU-2026-900003');
    expect((await guardJob(job('LU-2026-900003', '331', { installationId: OURS, caseId }), engine, repos, OURS)).kind).toBe('proceed');
    // the other installation numbers its cases the same way: same reference, its own case id
    const foreign = job('LU-2026-900003', '332', { installationId: 'installation-b', caseId: 1 });
    expect(await guardJob(foreign, engine, repos, OURS)).toEqual({ kind: 'foreign' });
    expect(handBack(foreign)).toEqual({ kind: 'fail', message: 'job of another installation', retries: 3, backoffMs: 0 });
    expect(cancelled).not.toContain('332');
    expect((await repos.cases.getById(caseId))?.processInstanceKey).toBe('331');
  });

  it('finds the case by its id and refuses a job whose reference does not match it', async () => {
    const caseId = await newCase('LU-2026-900004');
    const other = await newCase('LU-2026-900005');
    expect((await guardJob(job('LU-2026-900005', '441', { installationId: OURS, caseId }), engine, repos, OURS)).kind).toBe('unknown');
    const guard = await guardJob(job('LU-2026-900004', '442', { installationId: OURS, caseId }), engine, repos, OURS);
    expect(guard.kind === 'proceed' && guard.case.id).toBe(caseId);
    expect((await repos.cases.getById(other))?.processInstanceKey).toBeNull();
  });
});
