/** The public edge: attachments, applicant rules, receipts, rate limits and hostile input. */
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { annaMuster, applicant, call, login, submit, caseCount } from './client';
import { startServerProcess, type ServerProcess } from './server-process';
import { personOf, testPersonSession } from './test-persons';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), crypto.randomBytes(64)]);
const EXE = Buffer.concat([Buffer.from('MZ'), crypto.randomBytes(64)]);
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

/** A multipart residence-certificate submission, signed in as the person its submission part names (the service is `verified`). */
async function postMultipart(form: FormData) {
  const part = form.get('submission');
  const person = typeof part === 'string' ? personOf(JSON.parse(part)) : undefined;
  const session = person ? await testPersonSession(person) : undefined;
  const headers: Record<string, string> = session ? { cookie: session.cookie, 'x-csrf-token': session.csrfToken } : {};
  const res = await fetch(`${inject('baseUrl')}/api/v1/services/wohnsitzbestaetigung/submissions`, { method: 'POST', headers, body: form });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

describe('attachments', () => {
  it('accepts PDF and PNG by content, stores their SHA-256 in the signed receipt and shows them to staff', async () => {
    const form = new FormData();
    form.append('submission', JSON.stringify({ municipality: 1061, applicant: applicant(), data: { purpose: 'Visum' } }));
    form.append('mietvertrag', new Blob([PDF], { type: 'application/octet-stream' }), 'Mietvertrag.pdf');
    form.append('ausweis', new Blob([PNG], { type: 'image/png' }), '../../etc/Ausweis.png');
    const res = await postMultipart(form);
    expect(res.status).toBe(201);
    const { receipt, reference } = res.body;
    expect(receipt.attachments).toEqual([
      { name: 'Mietvertrag.pdf', contentType: 'application/pdf', size: PDF.length, sha256: sha(PDF) },
      { name: 'Ausweis.png', contentType: 'image/png', size: PNG.length, sha256: sha(PNG) },
    ]);
    // the receipt proves what was filed: HMAC over reference, time and hashes (demo key in test mode)
    const signed = [reference, receipt.receivedAt, receipt.dataSha256, sha(PDF), sha(PNG)].join('|');
    expect(receipt.signature).toBe(crypto.createHmac('sha256', 'demo-mode-receipt-key-not-for-production-use').update(signed).digest('hex'));

    const clerk = await login('luzern.einwohnerdienste');
    const dossier = await call('GET', `/api/cases/${reference}`, { token: clerk });
    const attachments = dossier.body.documents.filter((d: { kind: string }) => d.kind === 'attachment');
    expect(attachments.map((d: { name: string }) => d.name)).toEqual(['Mietvertrag.pdf', 'Ausweis.png']);
    const file = await call('GET', attachments[0].url, { token: clerk });
    expect(Buffer.compare(file.body, PDF)).toBe(0);
  });

  it('refuses a disguised executable (415), an oversized file (413) and a missing submission part (422); nothing is stored', async () => {
    const before = await caseCount();
    const exe = new FormData();
    exe.append('submission', JSON.stringify({ municipality: 1061, applicant: applicant(), data: {} }));
    exe.append('beilage', new Blob([EXE], { type: 'application/pdf' }), 'rechnung.pdf');
    const refused = await postMultipart(exe);
    expect(refused.status).toBe(415);
    expect(refused.body.errors[0].path).toBe('attachments[0]');

    const big = new FormData();
    big.append('submission', JSON.stringify({ municipality: 1061, applicant: applicant(), data: {} }));
    big.append('scan', new Blob([Buffer.concat([PDF, Buffer.alloc(11 * 1024 * 1024)])]), 'scan.pdf');
    expect((await postMultipart(big)).status).toBe(413);

    const none = new FormData();
    none.append('scan', new Blob([PDF]), 'scan.pdf');
    const missing = await postMultipart(none);
    expect(missing.status).toBe(422);
    expect(missing.body.errors[0].path).toBe('submission');
    expect(await caseCount()).toBe(before);
  });
});

describe('applicant rules', () => {
  it('checks an optional AHV number with its EAN-13 check digit', async () => {
    const ok = await submit({ municipality: 1061, applicant: { ...annaMuster(), ahvNumber: '756.1234.5678.97' }, data: {} });
    expect(ok.status).toBe(201);
    const bad = await submit({ municipality: 1061, applicant: { ...annaMuster(), ahvNumber: '756.1234.5678.90' }, data: {} });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'applicant.ahvNumber' })]);
  });
});

describe('rate limits', () => {
  let limited: ServerProcess | undefined;
  afterAll(async () => limited?.stop());

  it('answers 429 with Retry-After once a client sends too many submissions', async () => {
    // a second server without workers (ROLE=server) and with a low limit, on the shared broker
    limited = await startServerProcess({
      dataDir: path.join(os.tmpdir(), `lu-ratelimit-${Date.now()}`),
      zeebeAddress: inject('zeebeAddress'),
      env: { ROLE: 'server', SUBMISSION_RATE_LIMIT_PER_MINUTE: '3', PUBLIC_RATE_LIMIT_PER_MINUTE: '1000' },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      // a service open to anonymous callers, so the body's validation (422) answers until the limit
      const res = await fetch(`${limited.baseUrl}/api/v1/services/fristerstreckung-steuern/submissions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      statuses.push(res.status);
      if (res.status === 429) {
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
      }
    }
    expect(statuses).toEqual([422, 422, 422, 429, 429]);
  });
});

describe('hostile input', () => {
  it('answers thousands of generated malformed requests without a 5xx and stores nothing', { timeout: 180_000 }, async () => {
    const before = await caseCount();
    const random = seeded(20261123);
    const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
    const weird = ['', ' ', '\u0000', '\u202e', '\ud83d', 'Ä'.repeat(300), '𝕬'.repeat(50), 'x'.repeat(100_000), '<script>', "' OR 1=1 --", '../../etc/passwd', '%00', '\uFEFF'];
    const values: unknown[] = [null, true, -1, 0, 1.5, 1e308, -0, 'text', [], {}, [1, 2], ...weird, { __proto__: { admin: true } }, { constructor: { prototype: { x: 1 } } }];
    // values that break every applicant field, and every invalid number of copies (never a valid body)
    const invalidForApplicant = [null, true, -1, 0, 1.5, [], [1, 2], '', ' ', 'Ä'.repeat(300), 'x'.repeat(100_000)];
    const invalidCopies = [0, 6, 1.5, -1, 1e308, 'text', [], {}, true, ...weird];
    const deep = (n: number): unknown => (n === 0 ? 1 : { a: deep(n - 1) });
    const bodies: Array<() => { body: string; type: string }> = [
      () => ({ body: JSON.stringify({ municipality: pick(values), applicant: pick(values), data: pick(values) }), type: 'application/json' }),
      () => ({
        body: JSON.stringify({ ...validBody(), applicant: { ...applicant(), [pick(['firstName', 'email', 'dateOfBirth', 'address'])]: pick(invalidForApplicant) } }),
        type: 'application/json',
      }),
      () => ({ body: JSON.stringify({ ...validBody(), data: { copies: pick(invalidCopies), purpose: pick(values) } }), type: 'application/json' }),
      () => ({
        body: `{"__proto__":{"polluted":1,"municipality":1061},"constructor":{"prototype":{"p":1,"municipality":1061}},"municipality":1061,"applicant":${JSON.stringify(applicant())},"data":{"__proto__":{"copies":2}}}`,
        type: 'application/json',
      }),
      () => ({ body: JSON.stringify({ ...validBody(), data: deep(Math.floor(random() * 3000)) }), type: 'application/json' }),
      () => ({ body: '['.repeat(Math.floor(random() * 50_000)), type: 'application/json' }),
      () => ({ body: JSON.stringify(validBody()).slice(0, Math.floor(random() * 200)), type: 'application/json' }),
      () => ({ body: JSON.stringify({ ...validBody(), extra: pick(values) }), type: 'application/json' }),
      () => ({
        body: JSON.stringify(validBody()),
        type: pick(['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', '']),
      }),
      () => ({ body: crypto.randomBytes(Math.floor(random() * 512)).toString('latin1'), type: 'application/json' }),
    ];
    const requests = Array.from({ length: 3000 }, () => pick(bodies)());
    // signed in (the service is `verified`), so the garbage reaches identity binding and validation
    const session = await testPersonSession({ givenName: 'Hostile', familyName: 'Input', birthDate: '1980-01-01' });
    // Probe of the server process's prototypes: a body without a municipality. Were the server's
    // Object.prototype polluted with `municipality` (the pollution bodies below carry it), the
    // envelope validation would read the inherited value and accept the body.
    const probe = async () => {
      const res = await fetch(`${inject('baseUrl')}/api/v1/services/wohnsitzbestaetigung/submissions`, {
        method: 'POST',
        headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'content-type': 'application/json' },
        body: JSON.stringify({ applicant: applicant({ firstName: 'Hostile', lastName: 'Input', dateOfBirth: '1980-01-01' }), data: { copies: 1 } }),
      });
      return { status: res.status, paths: ((await res.json()) as { errors?: Array<{ path: string }> }).errors?.map((e) => e.path) };
    };
    expect(await probe()).toEqual({ status: 422, paths: ['municipality'] });
    const seen = new Map<number, number>();
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < requests.length) {
          const { body, type } = requests[next++]!;
          const headers: Record<string, string> = { cookie: session.cookie, 'x-csrf-token': session.csrfToken, ...(type ? { 'content-type': type } : {}) };
          const res = await fetch(`${inject('baseUrl')}/api/v1/services/wohnsitzbestaetigung/submissions`, { method: 'POST', headers, body });
          seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
          expect(res.status, `${res.status} for ${type}: ${body.slice(0, 200)}`).toBeLessThan(500);
          await res.arrayBuffer();
        }
      }),
    );
    console.log('hostile input: status counts', Object.fromEntries(seen));
    expect([...seen.keys()].every((s) => [400, 413, 415, 422].includes(s))).toBe(true);
    // the same probe after the run: the server's own objects are unpolluted
    expect(await probe()).toEqual({ status: 422, paths: ['municipality'] });
    expect(await caseCount()).toBe(before);
  });
});

/** A valid envelope whose data is then broken by the generator. */
function validBody() {
  return { municipality: 1061, applicant: applicant(), data: { copies: 1 } };
}

/** Small deterministic PRNG (mulberry32) so a failure can be reproduced. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
