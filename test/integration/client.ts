/** Small HTTP helpers for the integration tests. */
import fs from 'node:fs';
import path from 'node:path';
import { expect, inject } from 'vitest';
import { submitAsApplicant } from './test-persons';
import { pdfLine } from '../../workers/testing/pdf-text';
import { openTestDatabase, startServerProcess, stopServerOf, UNLIMITED, type ServerProcess } from './server-process';

export const baseUrl = (): string => inject('baseUrl');

export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface CallOptions {
  token?: string;
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
  /** Cookie header value (a signed-in citizen, see oidc.ts) */
  cookie?: string;
  /** another server than the shared one (e.g. a second process) */
  base?: string;
}

export async function call<T = any>(method: string, path: string, opts: CallOptions = {}): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.cookie) headers.cookie = opts.cookie;
  let body = opts.body;
  if (opts.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(opts.json);
  }
  const res = await fetch(`${opts.base ?? baseUrl()}${path}`, { method, headers, body });
  const type = res.headers.get('content-type') ?? '';
  const parsed = type.includes('json') ? await res.json() : Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, body: parsed as T };
}

export async function login(username: string, password = 'demo1234', base?: string): Promise<string> {
  const res = await call('POST', '/api/auth/login', { json: { username, password }, base });
  if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status}`);
  return res.body.token;
}

let counter = 0;
/** An applicant unknown to the register (unique per call), or one given. */
export function applicant(overrides: Record<string, unknown> = {}) {
  counter += 1;
  return {
    firstName: 'Testperson',
    lastName: `Unbekannt${Date.now().toString(36)}${counter}`,
    dateOfBirth: '1990-05-17',
    email: 'test@example.ch',
    address: { street: 'Musterweg', houseNumber: '1', postalCode: '6003', town: 'Luzern' },
    ...overrides,
  };
}

/** An applicant unknown to the register living in Emmen (6020 Emmenbrücke), for Emmen's residence-bound services. */
export const emmenApplicant = (overrides: Record<string, unknown> = {}) =>
  applicant({ address: { street: 'Gerliswilstrasse', houseNumber: '71', postalCode: '6020', town: 'Emmenbrücke' }, ...overrides });

export const annaMuster = () =>
  applicant({
    firstName: 'Anna',
    lastName: 'Muster',
    dateOfBirth: '1985-04-12',
    email: 'anna.muster@example.ch',
    address: { street: 'Pilatusstrasse', houseNumber: '12', postalCode: '6003', town: 'Luzern' },
  });

/** A residence-certificate submission, as the signed-in person the body names (see test-persons.ts). */
export async function submit(body: unknown, headers: Record<string, string> = {}) {
  return submitAsApplicant('wohnsitzbestaetigung', body, headers);
}

/** Polls until `probe` returns a value (not undefined), or fails after timeoutMs. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function statusOf(reference: string, accessToken: string) {
  return call('GET', `/api/v1/submissions/${reference}`, { token: accessToken });
}

export async function waitForStatus(reference: string, accessToken: string, status: string, timeoutMs = 30_000) {
  return waitFor(
    `status ${status} of ${reference}`,
    async () => {
      const res = await statusOf(reference, accessToken);
      return res.body.status === status ? res.body : undefined;
    },
    timeoutMs,
  );
}

export async function waitForTask(token: string, reference: string) {
  return waitFor(`task of ${reference}`, async () => (await openTasksOf(token, reference))[0]);
}

/** The e-mails the server wrote to its mail sink (demo/test transport), decoded, that mention a text. */
export function mailsMentioning(text: string): string[] {
  const dir = path.join(inject('dataDir'), 'mail');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .sort()
    .map((f) => decodeMail(fs.readFileSync(path.join(dir, f), 'utf8')))
    .filter((m) => m.includes(text));
}

/** Undoes quoted-printable bodies and RFC 2047 headers, enough to read our own mails. */
export function decodeMail(raw: string): string {
  const qp = (s: string) =>
    Buffer.from(
      s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    ).toString('utf8');
  const split = raw.indexOf('\n\n');
  const head = raw
    .slice(0, split)
    .replace(/\?=\r?\n\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?Q\?([^?]*)\?=/gi, (_, w: string) => qp(w.replace(/_/g, ' ')));
  const body = raw.slice(split);
  return head + (/Content-Transfer-Encoding: quoted-printable/i.test(raw) ? qp(body) : body);
}

/** A submission to any service; signed in as the body's applicant where the service requires it. */
export async function submitTo(serviceKey: string, body: unknown, headers: Record<string, string> = {}) {
  return submitAsApplicant(serviceKey, body, headers);
}

/** umzug form data: a move today from Luzern to Emmenbrücke (Emmen) with one child; `overrides` change or add fields. */
export const moveData = (overrides: Record<string, unknown> = {}) => ({
  moveType: 'innerhalb',
  movingDate: new Date().toISOString().slice(0, 10),
  newStreet: 'Gerliswilstrasse',
  newHouseNumber: '71',
  newPostalCode: '6020',
  newTown: 'Emmenbrücke',
  newCountry: 'CH',
  householdMembers: [],
  ...overrides,
});

let chipCounter = 0;
/** A valid microchip number (756 = Switzerland) no other test dog has. */
export function uniqueChip(): string {
  chipCounter += 1;
  return `756${String(Date.now() % 1e9).padStart(9, '0')}${String(chipCounter % 1000).padStart(3, '0')}`;
}

/** hundeanmeldung form data: an adult companion dog; `overrides` change or add fields. */
export const dogData = (overrides: Record<string, unknown> = {}) => ({
  ahvNumber: '756.1234.5678.97',
  dogName: 'Bello',
  breed: 'Labrador Retriever',
  dogBirthDate: '2019-03-14',
  // one chip, one dog: a chip registered before is refused, so each call gets its own
  chipNumber: uniqueChip(),
  dogCategory: 'companion',
  exemptionRequested: false,
  ...overrides,
});

/**
 * A guide dog asking for the tax exemption, in Luzern: the case stays open with the clerks' task
 * «Steuerbefreiung prüfen». hundeanmeldung needs no sign-in (anonymous, with the access token).
 */
export async function submitGuideDog(firstName?: string): Promise<{ reference: string; accessToken: string }> {
  const res = await submitTo('hundeanmeldung', {
    municipality: 1061,
    applicant: applicant(firstName === undefined ? {} : { firstName }),
    data: dogData({ dogCategory: 'guide', exemptionRequested: true, exemptionReason: 'Blindenführhund' }),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** A guide-dog case waiting for the applicant's answer: a Luzern clerk claimed its task and asked a question (Rückfrage). */
export async function guideDogWaitingForAnswer(firstName?: string) {
  const { reference, accessToken } = await submitGuideDog(firstName);
  const clerk = await login('luzern.einwohnerdienste');
  const task = await waitForNamedTask(clerk, reference, 'Steuerbefreiung prüfen');
  expect((await call('POST', `/api/tasks/${task.id}/claim`, { token: clerk })).status).toBe(200);
  expect((await call('POST', `/api/tasks/${task.id}/request-info`, { token: clerk, json: { message: 'Bitte senden Sie uns den Ausweis der Blindenführhundeschule.' } })).status).toBe(200);
  const waiting = await waitForStatus(reference, accessToken, 'waiting_for_applicant');
  return { reference, accessToken, clerk, task, requestId: waiting.openRequests[0].id as string };
}

/** The open tasks of a case that `token` sees. */
export async function openTasksOf(token: string, reference: string): Promise<any[]> {
  const res = await call('GET', `/api/tasks?filter=${encodeURIComponent(JSON.stringify({ caseReference: reference, state: 'open' }))}`, { token });
  return res.body;
}

/** Waits for an open task with this name in the inbox of `token`. */
export async function waitForNamedTask(token: string, reference: string, name: string) {
  return waitFor(`task «${name}» of ${reference}`, async () => (await openTasksOf(token, reference)).find((t) => t.name === name));
}

/** Claims and completes a task; returns the completion response. */
export async function claimAndComplete(token: string, taskId: string, variables: Record<string, unknown>) {
  const claimed = await call('POST', `/api/tasks/${taskId}/claim`, { token });
  if (claimed.status !== 200) throw new Error(`claim ${taskId}: ${claimed.status} ${JSON.stringify(claimed.body)}`);
  return call('POST', `/api/tasks/${taskId}/complete`, { token, json: { variables } });
}

/**
 * Starts a token at one element of a case's process instance (Zeebe process instance
 * modification): lets a test run the path behind a timer (e.g. the escalation after the target
 * processing time) without waiting days for it.
 */
export async function activateElement(reference: string, elementId: string): Promise<void> {
  const { ZBClient } = await import('zeebe-node');
  const admin = await login('admin');
  const c = await call('GET', `/api/cases/${reference}`, { token: admin });
  const zbc = new ZBClient(inject('zeebeAddress'), { useTLS: false, loglevel: 'NONE' } as any);
  try {
    await zbc.modifyProcessInstance({ processInstanceKey: c.body.processInstanceKey, activateInstructions: [{ elementId, ancestorElementInstanceKey: '-1', variableInstructions: [] }] });
  } finally {
    await zbc.close();
  }
}

/** How many cases exist (as admin): tests assert that bad input stored nothing. */
/** A case document's text on one line (whitespace folded), downloaded with the case's access token. */
export async function documentText(doc: { url: string }, accessToken: string): Promise<string> {
  const pdf = await call('GET', new URL(doc.url).pathname, { token: accessToken });
  expect(pdf.status).toBe(200);
  return pdfLine(pdf.body as Buffer);
}

export async function caseCount(): Promise<number> {
  const admin = await login('admin');
  const res = await call('GET', '/api/cases?range=[0,0]', { token: admin });
  return Number(res.headers.get('content-range')!.split('/')[1]);
}

/**
 * Restarts the shared server (same port and data) with extra settings; tests that change the
 * server's configuration call it again without them when done.
 */
export async function restartSharedServer(env: Record<string, string> = {}): Promise<ServerProcess> {
  const dataDir = inject('dataDir');
  await stopServerOf(dataDir);
  return startServerProcess({ dataDir, zeebeAddress: inject('zeebeAddress'), port: Number(new URL(baseUrl()).port), env: { ...UNLIMITED, ...env } });
}

/**
 * A second server process on the shared server's data folder and database, with extra settings
 * (`name` names its log and pid files; `zeebeAddress` defaults to the shared broker); the shared
 * server's pid file stays as it was, so the teardown still stops the shared server.
 */
export async function startSecondServer(opts: { name?: string; env?: Record<string, string>; zeebeAddress?: string }): Promise<ServerProcess> {
  const dataDir = inject('dataDir');
  const pidFile = path.join(dataDir, 'server.pid');
  const sharedPid = fs.readFileSync(pidFile, 'utf8');
  try {
    return await startServerProcess({ dataDir, zeebeAddress: opts.zeebeAddress ?? inject('zeebeAddress'), name: opts.name, env: { ROLE: 'server', ...opts.env } });
  } finally {
    fs.writeFileSync(pidFile, sharedPid);
  }
}

/**
 * Content in the shared server's document store (the database) that no document names: what a
 * refused or failed upload must not leave behind. Waits out a worker between writing a PDF and
 * recording it; fails when unlinked content stays.
 */
export async function expectNoUnlinkedContent(): Promise<void> {
  const db = await openTestDatabase(inject('dataDir'));
  try {
    const unlinked = async () => {
      const [row] = await db('document_chunks').countDistinct({ n: 'storage_key' }).whereNotIn('storage_key', db('documents').select('storage_key'));
      return Number(row!.n);
    };
    await waitFor('no document content without a document', async () => ((await unlinked()) === 0 ? true : undefined), 15_000);
  } finally {
    await db.destroy();
  }
}
