/**
 * Documents in storage every process reads (issue 15, item 3): two server processes on one
 * database with different DATA_DIRs serve each other's documents; S3-compatible object storage
 * (a real s3rver) through the HTTP API; files left in a DATA_DIR by earlier versions move into
 * the store at start-up; an oversize upload leaves nothing behind.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DeleteObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import pino from 'pino';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DocumentUploads } from '../../server/domain/document-uploads';
import { createRepositories } from '../../server/repositories';
import { annaMuster, applicant, caseCount, dogData, expectNoUnlinkedContent, login, submit, waitForStatus } from './client';
import { freePort, openTestDatabase, startServerProcess, testDatabaseUrl, UNLIMITED, type ServerProcess } from './server-process';

const MB = 1024 * 1024;
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lu-documents-'));

function pdf(bytes: number): Buffer {
  const content = crypto.randomBytes(bytes);
  content.write('%PDF-1.4\n', 0, 'latin1');
  return content;
}

/**
 * Another server process of the same installation: the shared server's database (PostgreSQL, or
 * its SQLite file through a link; SQLite places the WAL beside the real file) and a DATA_DIR of
 * its own. ROLE=server: it runs no workers, so every generated document comes from the shared server.
 */
async function startSecondServer(name: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const dataDir = path.join(root, name);
  fs.mkdirSync(dataDir, { recursive: true });
  const sharedDataDir = inject('dataDir');
  const databaseUrl = await testDatabaseUrl(sharedDataDir);
  if (!databaseUrl && !fs.existsSync(path.join(dataDir, 'app.sqlite'))) fs.symlinkSync(path.join(sharedDataDir, 'app.sqlite'), path.join(dataDir, 'app.sqlite'));
  return startServerProcess({ dataDir, zeebeAddress: inject('zeebeAddress'), env: { ...UNLIMITED, ROLE: 'server', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}), ...env } });
}

async function postSubmission(baseUrl: string, form: FormData) {
  const res = await fetch(`${baseUrl}/api/v1/services/hundeanmeldung/submissions`, { method: 'POST', body: form });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as any };
}

function dogSubmission(files: Array<{ name: string; content: Buffer }>): FormData {
  const form = new FormData();
  form.append('submission', JSON.stringify({ municipality: 1061, applicant: applicant(), data: dogData() }));
  for (const [i, f] of files.entries()) form.append(`datei${i}`, new Blob([f.content], { type: 'application/pdf' }), f.name);
  return form;
}

async function download(baseUrl: string, url: string, token: string) {
  const res = await fetch(`${baseUrl}${new URL(url, baseUrl).pathname}`, { headers: { authorization: `Bearer ${token}` } });
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, type, body: Buffer.from(await res.arrayBuffer()) };
}

/** The dossier's attachments (staff view) as served by `baseUrl`. */
async function attachmentsOf(baseUrl: string, reference: string, token: string): Promise<Array<{ name: string; url: string; sha256: string }>> {
  const res = await fetch(`${baseUrl}/api/cases/${reference}`, { headers: { authorization: `Bearer ${token}` } });
  const dossier = (await res.json()) as { documents: Array<{ kind: string; name: string; url: string; sha256: string }> };
  return dossier.documents.filter((d) => d.kind === 'attachment');
}

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('two server processes, one database, different DATA_DIRs', () => {
  let other: ServerProcess;
  beforeAll(async () => {
    other = await startSecondServer('second');
  }, 120_000);
  afterAll(async () => other?.stop());

  it("serves the certificate PDF the shared server's worker generated", async () => {
    const res = await submit({ municipality: 1061, applicant: annaMuster(), data: { purpose: 'Arbeitgeber' } });
    expect(res.status).toBe(201);
    const done = await waitForStatus(res.body.reference, res.body.accessToken, 'completed');
    const [certificate] = done.documents;
    const here = await download(inject('baseUrl'), certificate.url, res.body.accessToken);
    const there = await download(other.baseUrl, certificate.url, res.body.accessToken);
    expect(there.status).toBe(200);
    expect(there.type).toBe('application/pdf');
    expect(there.body.subarray(0, 5).toString()).toBe('%PDF-');
    expect(sha(there.body)).toBe(sha(here.body));
  });

  it('serves an attachment uploaded through the other process', async () => {
    const scan = pdf(3 * MB);
    const sent = await postSubmission(other.baseUrl, dogSubmission([{ name: 'Impfausweis.pdf', content: scan }]));
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const clerk = await login('luzern.einwohnerdienste');
    const [attachment] = await attachmentsOf(inject('baseUrl'), sent.body.reference, clerk);
    expect(attachment!.sha256).toBe(sha(scan));
    const file = await download(inject('baseUrl'), attachment!.url, clerk);
    expect(file.status).toBe(200);
    expect(sha(file.body)).toBe(sha(scan));
  });
});

describe('document files left in a DATA_DIR by earlier versions', () => {
  /** A case with a document whose content is still a local file (storage key `files/<uuid>`), as before the document store. */
  async function legacyDocument(dataDir: string, content: Buffer) {
    const sent = await postSubmission(inject('baseUrl'), dogSubmission([]));
    expect(sent.status).toBe(201);
    const storageKey = `files/${crypto.randomUUID()}`;
    fs.mkdirSync(path.join(dataDir, 'documents', 'files'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'documents', storageKey), content);
    const db = await openTestDatabase(inject('dataDir'));
    try {
      const repos = createRepositories(db);
      const c = (await repos.cases.getByReference(sent.body.reference))!;
      await repos.documents.insertRecord(db, { caseId: c.id, kind: 'attachment', name: 'Alt.pdf', contentType: 'application/pdf', storageKey, sha256: sha(content), size: content.length });
    } finally {
      await db.destroy();
    }
    return { reference: sent.body.reference as string, file: path.join(dataDir, 'documents', storageKey) };
  }

  it('moves them into the store when a process starts; the file is then served by every process', async () => {
    const dataDir = path.join(root, 'legacy');
    const content = pdf(700 * 1024);
    const { reference, file } = await legacyDocument(dataDir, content);
    const clerk = await login('luzern.einwohnerdienste');
    const [before] = await attachmentsOf(inject('baseUrl'), reference, clerk);
    // not moved yet, and not in the shared server's DATA_DIR: missing content answers 404, not 500
    const missing = await download(inject('baseUrl'), before!.url, clerk);
    expect(missing.status).toBe(404);
    expect(missing.type).toContain('application/problem+json');

    const legacy = await startSecondServer('legacy');
    try {
      expect(fs.existsSync(file)).toBe(false);
      const moved = await download(inject('baseUrl'), before!.url, clerk);
      expect(moved.status).toBe(200);
      expect(sha(moved.body)).toBe(sha(content));
    } finally {
      await legacy.stop();
    }
  }, 120_000);

  it('moves a file once when two processes start together', async () => {
    const dataDir = path.join(root, 'legacy-race');
    const content = pdf(600 * 1024);
    const { reference, file } = await legacyDocument(dataDir, content);
    // two connections, opened one after the other (opening migrates), then racing each other
    const dbs = [await openTestDatabase(inject('dataDir')), await openTestDatabase(inject('dataDir'))];
    try {
      const log = pino({ level: 'silent' });
      const moved = await Promise.all(dbs.map((db) => new DocumentUploads(createRepositories(db), log).migrateLocalFiles(dataDir)));
      expect(moved.reduce((a, b) => a + b, 0)).toBe(1);
    } finally {
      await Promise.all(dbs.map((db) => db.destroy()));
    }
    expect(fs.existsSync(file)).toBe(false);
    // one copy kept, the loser's copy removed
    await expectNoUnlinkedContent();
    const clerk = await login('luzern.einwohnerdienste');
    const [attachment] = await attachmentsOf(inject('baseUrl'), reference, clerk);
    expect(sha((await download(inject('baseUrl'), attachment!.url, clerk)).body)).toBe(sha(content));
  });
});

describe('oversize uploads', () => {
  it('answer 413 problem+json with the field path and leave nothing half-written', async () => {
    const cases = await caseCount();
    // the first file is stored while it arrives; the second goes over MAX_FILE_BYTES (10 MB) midway
    const tooBig = await postSubmission(
      inject('baseUrl'),
      dogSubmission([
        { name: 'a.pdf', content: pdf(6 * MB) },
        { name: 'b.pdf', content: pdf(11 * MB) },
      ]),
    );
    expect(tooBig.status).toBe(413);
    expect(tooBig.type).toContain('application/problem+json');
    expect(tooBig.body.errors).toEqual([{ path: 'attachments[1]', message: 'Datei zu gross' }]);
    // the whole request over MAX_UPLOAD_BYTES (25 MB), each file within its limit
    const tooMuch = await postSubmission(inject('baseUrl'), dogSubmission([9, 9, 9].map((size, i) => ({ name: `${i}.pdf`, content: pdf(size * MB) }))));
    expect(tooMuch.status).toBe(413);
    expect(tooMuch.type).toContain('application/problem+json');
    await expectNoUnlinkedContent();
    expect(await caseCount()).toBe(cases);
  });
});

describe('S3-compatible object storage (DOCUMENT_STORE=s3)', () => {
  const bucket = 'lu-documents';
  let s3rver: S3rver;
  let s3: S3Client;
  let server: ServerProcess;

  beforeAll(async () => {
    const port = await freePort();
    s3rver = new S3rver({ address: '127.0.0.1', port, directory: path.join(root, 's3'), silent: true, configureBuckets: [{ name: bucket }] });
    await s3rver.run();
    const endpoint = `http://127.0.0.1:${port}`;
    // s3rver's fixed credentials
    const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
    s3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
    server = await startSecondServer('s3', {
      DOCUMENT_STORE: 's3',
      S3_ENDPOINT: endpoint,
      S3_BUCKET: bucket,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: credentials.accessKeyId,
      S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await s3rver?.close();
  });

  const objectKeys = async () => ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => o.Key!);

  it('stores uploads as objects (single and multipart), streams them back and answers 404 problem+json for a missing object', async () => {
    const small = pdf(200 * 1024);
    const large = pdf(7 * MB); // over the 5 MiB part size: a multipart upload
    const keysBefore = await objectKeys();
    const sent = await postSubmission(
      server.baseUrl,
      dogSubmission([
        { name: 'klein.pdf', content: small },
        { name: 'gross.pdf', content: large },
      ]),
    );
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const added = (await objectKeys()).filter((k) => !keysBefore.includes(k));
    expect(added).toHaveLength(2);

    const clerk = await login('luzern.einwohnerdienste');
    const attachments = await attachmentsOf(server.baseUrl, sent.body.reference, clerk);
    expect(attachments.map((a) => a.name)).toEqual(['klein.pdf', 'gross.pdf']);
    for (const [i, expected] of [small, large].entries()) {
      const file = await download(server.baseUrl, attachments[i]!.url, clerk);
      expect(file.status).toBe(200);
      expect(sha(file.body)).toBe(sha(expected));
    }

    for (const key of added) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    const gone = await download(server.baseUrl, attachments[0]!.url, clerk);
    expect(gone.status).toBe(404);
    expect(gone.type).toContain('application/problem+json');
  });

  it('removes what an oversize upload wrote', async () => {
    const keysBefore = await objectKeys();
    const tooBig = await postSubmission(
      server.baseUrl,
      dogSubmission([
        { name: 'a.pdf', content: pdf(6 * MB) },
        { name: 'b.pdf', content: pdf(11 * MB) },
      ]),
    );
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.errors[0].path).toBe('attachments[1]');
    expect(await objectKeys()).toEqual(keysBefore);
  });
});
