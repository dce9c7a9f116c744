/**
 * Task and case lists at scale (migration 008): full-text search through the trigram index,
 * capped totals, case visibility through case_organisations. On a real SQLite database, and
 * also on PostgreSQL when TEST_PG_URL names a scratch database (its public schema is dropped).
 */
import { foldForSearch } from '../../../server/lib/search-fold';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, sqliteFile } from '../../../server/db/database';
import { CaseRepository } from '../../../server/repositories/cases';
import { containsPattern } from '../../../server/repositories/list-page';
import { defaultTaskListLimits, ftsQuery, TaskRepository, type TaskListQuery, type TaskVisibility } from '../../../server/repositories/tasks';
import { migrationSource } from '../../../migrations/index';

const LUZERN = 'municipality:1061';
const EMMEN = 'municipality:1024';
const KRIENS = 'municipality:1059';
const lead = (...organisations: string[]): TaskVisibility => ({ organisations, groupsOf: null });

let keyCounter = 2251799813700000;
const nextKey = () => String(++keyCounter);

async function addOrganisations(db: Knex) {
  for (const [id, bfs] of [
    [LUZERN, 1061],
    [EMMEN, 1024],
    [KRIENS, 1059],
  ] as const) {
    await db('organisations').insert({ id, kind: 'municipality', name: id, bfs_number: bfs }).onConflict('id').ignore();
  }
}

async function newCase(
  db: Knex,
  cases: CaseRepository,
  c: { reference: string; organisationId: string; firstName: string; lastName: string; serviceKey?: string; status?: string; submittedAt?: string },
) {
  const id = await db.transaction((trx) =>
    cases.insert(trx, {
      reference: c.reference,
      serviceKey: c.serviceKey ?? 'wohnsitzbestaetigung',
      processId: c.serviceKey ?? 'wohnsitzbestaetigung',
      municipality: Number(c.organisationId.split(':')[1]),
      organisationId: c.organisationId,
      status: (c.status ?? 'in_progress') as any,
      applicant: {
        firstName: c.firstName,
        lastName: c.lastName,
        dateOfBirth: '1980-01-01',
        email: 'x@example.ch',
        address: { street: 'Weg', houseNumber: '1', postalCode: '6003', town: 'Luzern' },
      } as any,
      data: {},
      accessTokenHash: 'x'.repeat(64),
      receipt: {},
      submittedAt: c.submittedAt ?? new Date().toISOString(),
    }),
  );
  return { id, ...c };
}

/** What the user-task projection does for a new job (engine/user-tasks.ts). */
async function project(tasks: TaskRepository, c: Awaited<ReturnType<typeof newCase>>, t: { name: string; organisationId?: string; id?: string }) {
  return (await projectTask(tasks, c, t)).id;
}

async function projectTask(tasks: TaskRepository, c: Awaited<ReturnType<typeof newCase>>, t: { name: string; organisationId?: string; id?: string }) {
  const id = t.id ?? nextKey();
  const { created } = await tasks.upsertActivated({
    id,
    caseId: c.id,
    caseReference: c.reference,
    applicantName: `${c.firstName} ${c.lastName}`,
    serviceKey: c.serviceKey ?? 'wohnsitzbestaetigung',
    municipality: Number((t.organisationId ?? c.organisationId).split(':')[1]),
    organisationId: t.organisationId ?? c.organisationId,
    name: t.name,
    elementId: 'Task',
    processInstanceKey: nextKey(),
    elementInstanceKey: nextKey(),
    formKey: null,
    processDefinitionKey: null,
    candidateGroups: ['einwohnerdienste'],
    candidateUsers: [],
    assignee: null,
    dueDate: null,
    followUpDate: null,
    retries: 3,
    variables: {},
  });
  return { id, created };
}

const listQuery = (visibility: TaskVisibility, filter: TaskListQuery['filter'] = {}, range: [number, number] = [0, 99]): TaskListQuery => ({
  visibility,
  filter,
  sort: { field: 'createdAt', order: 'DESC' },
  range,
});

const databases: Array<[string, string | undefined]> = [['SQLite', undefined]];
if (process.env.TEST_PG_URL) databases.push(['PostgreSQL', process.env.TEST_PG_URL]);

describe.each(databases)('task and case lists (%s, migration 008)', (_name, databaseUrl) => {
  let dir: string;
  let db: Knex;
  let cases: CaseRepository;
  let tasks: TaskRepository;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lu-lists-'));
    if (databaseUrl) {
      const scratch = knexFactory({ client: 'pg', connection: databaseUrl });
      await scratch.raw('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
      await scratch.destroy();
    }
    db = await openDatabase({ dataDir: dir, databaseUrl });
    await addOrganisations(db);
    cases = new CaseRepository(db);
    tasks = new TaskRepository(db);
  });

  afterAll(async () => {
    await db?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finds a task by reference fragment, applicant name and a word of the task name right after it is projected', async () => {
    const c = await newCase(db, cases, { reference: 'LU-2026-004711', organisationId: LUZERN, firstName: 'Zoë', lastName: 'Bürgi-Stalder' });
    const id = await project(tasks, c, { name: 'Aufenthalt bestätigen' });
    const find = async (q: string) => (await tasks.list(listQuery(lead(LUZERN), { q }))).rows.map((t) => t.id);
    expect(await find('2026-0047')).toEqual([id]);
    expect(await find('LU-2026-004711')).toEqual([id]);
    expect(await find('bürgi-stalder')).toEqual([id]);
    expect(await find('ZOË BÜRGI')).toEqual([id]); // case-insensitive, across first and last name
    expect(await find('aufenthalt')).toEqual([id]);
    expect(await find('bestätigen')).toEqual([id]);
    expect(await find('bürgi-staldex')).toEqual([]);
    // another organisation does not see it, whatever it searches
    expect((await tasks.list(listQuery(lead(EMMEN), { q: 'bürgi' }))).rows).toEqual([]);
    // a job that comes back after its timeout refreshes the task: still found, once
    await project(tasks, c, { name: 'Aufenthalt bestätigen', id });
    expect(await find('aufenthalt bestätigen')).toEqual([id]);
  });

  it('creates a task once when its job is delivered twice at the same moment (job stream and long poll)', async () => {
    const c = await newCase(db, cases, { reference: 'LU-2026-004710', organisationId: LUZERN, firstName: 'Ueli', lastName: 'Doppelt' });
    const id = nextKey();
    const both = await Promise.all([projectTask(tasks, c, { name: 'Prüfen', id }), projectTask(tasks, c, { name: 'Prüfen', id })]);
    expect(both.map((r) => r.created).sort()).toEqual([false, true]);
    expect(await db('tasks').where({ id })).toHaveLength(1);
  });

  it('keeps the full-text index in step with every write of search_text (triggers)', async () => {
    const c = await newCase(db, cases, { reference: 'LU-2026-004712', organisationId: LUZERN, firstName: 'Ida', lastName: 'Quellmatt' });
    const id = await project(tasks, c, { name: 'Hund melden' });
    const find = async (q: string) => (await tasks.list(listQuery(lead(LUZERN), { q }))).rows.map((t) => t.id);
    expect(await find('quellmatt')).toEqual([id]);
    // stored folded (server/lib/search-fold.ts), as the repository writes it
    await db('tasks')
      .where({ id })
      .update({ search_text: foldForSearch('lu-2026-004712 hund melden ida rüttimann') });
    expect(await find('quellmatt')).toEqual([]);
    expect(await find('rüttimann')).toEqual([id]);
    await db('tasks').where({ id }).delete();
    expect(await find('rüttimann')).toEqual([]);
    // a task id that is not a job key is stored (not indexed, LIKE still finds it for short terms)
    await db('tasks').insert({ ...(await db('tasks').first()), id: 'not-a-job-key', search_text: 'xy-sonderfall' });
    expect((await tasks.list(listQuery(lead(LUZERN), { q: 'xy' }))).rows.map((t) => t.id)).toContain('not-a-job-key');
    await db('tasks').where({ id: 'not-a-job-key' }).delete();
  });

  it('answers like LIKE on the search text, through the index and through the frequent-term walk', async () => {
    const names = [
      ['Anna', 'Müller'],
      ['Jürg', 'Zürcher'],
      ['Thi', 'Nguyễn'],
      ['Peter', 'Muller'],
      ['Lea', '100%_Wahr'],
    ];
    const taskNames = ['Wohnsitz prüfen', 'Zuzug prüfen', 'Hundehaltung prüfen'];
    for (let i = 0; i < 30; i++) {
      const [firstName, lastName] = names[i % names.length]!;
      const c = await newCase(db, cases, { reference: `LU-2026-1${String(i).padStart(5, '0')}`, organisationId: i % 3 === 0 ? EMMEN : LUZERN, firstName: firstName!, lastName: lastName! });
      await project(tasks, c, { name: taskNames[i % taskNames.length]! });
    }
    const all = await db('tasks').select('id', 'organisation_id', 'search_text');
    const expected = (q: string, org: string) =>
      all
        .filter((t) => t.organisation_id === org && String(t.search_text).includes(foldForSearch(q)))
        .map((t) => t.id as string)
        .sort();
    const narrow = new TaskRepository(db, { ...defaultTaskListLimits, searchLookupLimit: 3, frequentTermWindow: 5 });
    for (const q of ['müller', 'MÜLLER', 'muller', 'zuzug', 'prüfen', '2026-1000', '00012', 'ü', 'pr', 'nguyễn', 'ễn', '100%_', '%', '_w', 'zürcher zuzug', 'lu-2026-100003 wohnsitz']) {
      for (const repo of [tasks, narrow]) {
        for (const org of [LUZERN, EMMEN]) {
          const page = await repo.list(listQuery(lead(org), { q }));
          expect(page.rows.map((t) => t.id).sort(), `${q} in ${org}`).toEqual(expected(q, org));
          if (page.totalCapped) expect(page.total).toBeLessThanOrEqual(expected(q, org).length);
          else expect(page.total, `${q} in ${org}`).toBe(expected(q, org).length);
        }
      }
    }
  });

  it('caps the total: "more than cap", exact again once the range reaches the end', async () => {
    const capped = new TaskRepository(db, { ...defaultTaskListLimits, countCap: 3 });
    const c = await newCase(db, cases, { reference: 'LU-2026-004713', organisationId: KRIENS, firstName: 'Kai', lastName: 'Zählmann' });
    for (let i = 0; i < 5; i++) await project(tasks, c, { name: `Schritt ${i}` });
    const page = (range: [number, number]) => capped.list(listQuery(lead(KRIENS), {}, range));
    expect(await page([0, 1])).toMatchObject({ total: 4, totalCapped: true }); // 4 = cap + 1: more than 3
    expect((await page([0, 1])).rows).toHaveLength(2);
    expect(await page([2, 3])).toMatchObject({ total: 5, totalCapped: true }); // counts to range end + 2: the next page exists
    expect(await page([0, 9])).toMatchObject({ total: 5, totalCapped: false });
    expect(await capped.list(listQuery(lead(KRIENS), { q: 'schritt 3' }))).toMatchObject({ total: 1, totalCapped: false });
    // a frequent term counts only a window of the list (SQLite) or at most frequentTermWindow
    // matches (PostgreSQL): a lower bound, never below the page; a page that is not full is exact
    const windowed = new TaskRepository(db, { ...defaultTaskListLimits, searchLookupLimit: 1, frequentTermWindow: 2 });
    const frequent = await windowed.list(listQuery(lead(KRIENS), { q: 'schritt' }, [0, 2]));
    expect(frequent.rows).toHaveLength(3);
    expect(frequent).toMatchObject({ total: 4, totalCapped: true }); // 3 shown + the next page exists
    expect(await windowed.list(listQuery(lead(KRIENS), { q: 'schritt' }, [0, 9]))).toMatchObject({ total: 5 });
  });

  it('shows a case to the organisation a task was routed to (case_organisations), not to a third one', async () => {
    const move = await newCase(db, cases, { reference: 'LU-2026-004714', organisationId: LUZERN, firstName: 'Mia', lastName: 'Umzügler', serviceKey: 'umzug' });
    const listOf = async (organisations: string[] | 'all', filter: { status?: string; q?: string } = {}) =>
      cases.list({ organisations, ...filter, sort: { field: 'submittedAt', order: 'DESC' }, range: [0, 999] });
    const refs = async (organisations: string[] | 'all', filter: { status?: string; q?: string } = {}) => (await listOf(organisations, filter)).rows.map((c) => c.reference);
    expect(await refs([EMMEN])).not.toContain(move.reference);
    expect(await cases.isVisibleTo(move.id, [EMMEN])).toBe(false);

    await project(tasks, move, { name: 'Wegzug prüfen' });
    await project(tasks, move, { name: 'Zuzug prüfen', organisationId: EMMEN });
    const rows = await db('case_organisations').where({ case_id: move.id }).orderBy('organisation_id').select('organisation_id', 'via_task');
    expect(rows.map((r) => ({ ...r, via_task: Boolean(r.via_task) }))).toEqual([
      { organisation_id: EMMEN, via_task: true },
      { organisation_id: LUZERN, via_task: false },
    ]);
    for (const orgs of [[LUZERN], [EMMEN], [LUZERN, EMMEN]]) {
      expect(await cases.isVisibleTo(move.id, orgs)).toBe(true);
      // default order (organisation's index), filtered (cases' indexes), other order (walk of cases)
      expect(await refs(orgs)).toContain(move.reference);
      expect(await refs(orgs, { status: 'in_progress' })).toContain(move.reference);
      // the filtered count (own cases and those seen through a task, PostgreSQL: two parts) agrees with the page
      const inProgress = await listOf(orgs, { status: 'in_progress' });
      expect(inProgress.total).toBe(inProgress.rows.length);
      expect(await refs(orgs, { q: 'umzügler' })).toEqual([move.reference]);
      const byReference = await cases.list({ organisations: orgs, sort: { field: 'reference', order: 'ASC' }, range: [0, 999] });
      expect(byReference.rows.map((c) => c.reference)).toContain(move.reference);
    }
    expect(await cases.isVisibleTo(move.id, [KRIENS])).toBe(false);
    expect(await refs([KRIENS])).not.toContain(move.reference);
    expect(await refs([KRIENS], { status: 'in_progress' })).not.toContain(move.reference);
    expect((await listOf([KRIENS], { status: 'in_progress' })).total).toBe((await refs([KRIENS], { status: 'in_progress' })).length);
    expect(await refs([KRIENS], { q: 'umzügler' })).toEqual([]);
    // seen by both of the user's organisations: listed and counted once
    const both = await listOf([LUZERN, EMMEN]);
    expect(both.rows.filter((c) => c.reference === move.reference)).toHaveLength(1);
    expect(both.total).toBe(both.rows.length);
    expect((await listOf([LUZERN, EMMEN], { q: 'umzügler' })).total).toBe(1);
    // every case exactly once for the admin
    const everything = await listOf('all');
    expect(everything.total).toBe(Number((await db('cases').count({ n: '*' }))[0]!.n));
  });

  it('splits a search term into overlapping pieces that cover all of its trigrams', () => {
    expect(ftsQuery('zuzug')).toBe('"zuzug"');
    expect(ftsQuery('nachname12344')).toBe('"nachna" AND "name12" AND "e12344"');
    expect(ftsQuery('ab"cdefgh')).toBe('"ab""cde" AND "cdefgh"');
    expect(containsPattern('100%_a\\b')).toBe('%100\\%\\_a\\\\b%');
  });
});

describe('migration 008 on an existing database', () => {
  it('backfills case_organisations and the full-text index', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lu-mig8-'));
    const db = sqliteFile(path.join(dir, 'app.sqlite'));
    try {
      const all = await migrationSource.getMigrations([]);
      const before = all.filter((m) => m < '20261123_008');
      await db.migrate.latest({ migrationSource: { ...migrationSource, getMigrations: async () => before } });
      await addOrganisations(db);
      const [caseId] = await db('cases').insert({
        reference: 'LU-2026-000042',
        service_key: 'umzug',
        process_id: 'umzug',
        municipality_bfs: 1061,
        organisation_id: LUZERN,
        status: 'in_progress',
        applicant: JSON.stringify({ firstName: 'Alt', lastName: 'Bestand' }),
        data: '{}',
        access_token_hash: 'x'.repeat(64),
        receipt: '{}',
        submitted_at: '2026-01-02T03:04:05.000Z',
        updated_at: '2026-01-02T03:04:05.000Z',
      });
      const task = (id: string, organisation: string, name: string) => ({
        id,
        case_id: caseId,
        case_reference: 'LU-2026-000042',
        service_key: 'umzug',
        municipality_bfs: Number(organisation.split(':')[1]),
        organisation_id: organisation,
        name,
        element_id: 'T',
        process_instance_key: '1',
        element_instance_key: id,
        candidate_groups: '[]',
        candidate_users: '[]',
        state: 'open',
        retries: 1,
        variables: '{}',
        created_at: '2026-01-02T03:04:06.000Z',
        updated_at: '2026-01-02T03:04:06.000Z',
        search_text: `lu-2026-000042 ${name} alt bestand`.toLowerCase(),
      });
      await db('tasks').insert([task('2251799813690001', LUZERN, 'Wegzug prüfen'), task('2251799813690002', EMMEN, 'Zuzug prüfen'), task('2251799813690003', EMMEN, 'Zuzug prüfen')]);
      // up to 008 only: this test rolls back exactly the batch of migration 008
      const upTo008 = all.filter((m) => m <= '20261123_008_list_scale');
      await db.migrate.latest({ migrationSource: { ...migrationSource, getMigrations: async () => upTo008 } });

      expect(await db('case_organisations').orderBy('organisation_id').select('case_id', 'organisation_id', 'submitted_at', 'via_task')).toEqual([
        { case_id: caseId, organisation_id: EMMEN, submitted_at: '2026-01-02T03:04:05.000Z', via_task: 1 },
        { case_id: caseId, organisation_id: LUZERN, submitted_at: '2026-01-02T03:04:05.000Z', via_task: 0 },
      ]);
      const repo = new TaskRepository(db);
      const found = await repo.list(listQuery(lead(EMMEN), { q: 'zuzug' }));
      expect(found.rows.map((t) => t.id).sort()).toEqual(['2251799813690002', '2251799813690003']);
      expect((await db.raw(`SELECT count(*) AS n FROM tasks_fts WHERE tasks_fts MATCH '"bestand"'`))[0].n).toBe(3);
      const list = await new CaseRepository(db).list({ organisations: [EMMEN], sort: { field: 'submittedAt', order: 'DESC' }, range: [0, 24] });
      expect(list).toMatchObject({ total: 1, totalCapped: false });
      await db.migrate.rollback({ migrationSource }, false);
      expect(await db.schema.hasTable('case_organisations')).toBe(false);
    } finally {
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
