/** Small HTTP helpers for the integration tests. */
import { inject } from 'vitest';

export const baseUrl = (): string => inject('baseUrl');

export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export async function call<T = any>(method: string, path: string, opts: { token?: string; json?: unknown; body?: string; headers?: Record<string, string> } = {}): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body = opts.body;
  if (opts.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(opts.json);
  }
  const res = await fetch(`${baseUrl()}${path}`, { method, headers, body });
  const type = res.headers.get('content-type') ?? '';
  const parsed = type.includes('json') ? await res.json() : Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, body: parsed as T };
}

export async function login(username: string, password = 'demo1234'): Promise<string> {
  const res = await call('POST', '/api/auth/login', { json: { username, password } });
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

export const annaMuster = () =>
  applicant({ firstName: 'Anna', lastName: 'Muster', dateOfBirth: '1985-04-12', email: 'anna.muster@example.ch', address: { street: 'Pilatusstrasse', houseNumber: '12', postalCode: '6003', town: 'Luzern' } });

export async function submit(body: unknown, headers: Record<string, string> = {}) {
  return call('POST', '/api/v1/services/wohnsitzbestaetigung/submissions', { json: body, headers });
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

export async function waitForStatus(reference: string, accessToken: string, status: string) {
  return waitFor(`status ${status} of ${reference}`, async () => {
    const res = await statusOf(reference, accessToken);
    return res.body.status === status ? res.body : undefined;
  });
}

export async function waitForTask(token: string, reference: string) {
  return waitFor(`task of ${reference}`, async () => {
    const res = await call('GET', `/api/tasks?filter=${encodeURIComponent(JSON.stringify({ caseReference: reference, state: 'open' }))}`, { token });
    return res.body.length > 0 ? res.body[0] : undefined;
  });
}
