/**
 * Uploads are streamed into the document store (issue 15, item 9): five concurrent 24 MB
 * multipart submissions must not hold their bodies in memory. Prints the server's RSS before and
 * at its peak; asserts only a generous bound (less growth than the 120 MB the bodies add up to).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { applicant, dogData } from './client';
import { startServerProcess, UNLIMITED, type ServerProcess } from './server-process';

const MB = 1024 * 1024;
const dataDir = path.join(os.tmpdir(), `lu-upload-memory-${Date.now()}`);
let server: ServerProcess;

beforeAll(async () => {
  server = await startServerProcess({ dataDir, zeebeAddress: inject('zeebeAddress'), env: { ...UNLIMITED, ROLE: 'server' } });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** resident set size of the server process, in MB, from /proc (`VmRSS` now, `VmHWM` peak) */
function memoryOf(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const line = fs
    .readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`))!;
  return Math.round(Number(line.split(/\s+/)[1]) / 1024);
}

/** a 24 MB submission: three 8 MB PDFs (under the 10 MB per file and 25 MB per request defaults) */
function bigSubmission(): FormData {
  const form = new FormData();
  form.append('submission', JSON.stringify({ municipality: 1061, applicant: applicant(), data: dogData() }));
  for (let i = 0; i < 3; i++) {
    const pdf = Buffer.alloc(8 * MB, i + 1);
    pdf.write('%PDF-1.4\n', 0, 'latin1');
    form.append(`scan${i}`, new Blob([pdf], { type: 'application/pdf' }), `scan${i}.pdf`);
  }
  return form;
}

it('five concurrent 24 MB uploads stay within bounded server memory', async () => {
  const pid = server.child.pid!;
  // warm up: one small submission, so lazily loaded code is not counted as upload memory
  const warm = new FormData();
  warm.append('submission', JSON.stringify({ municipality: 1061, applicant: applicant(), data: dogData() }));
  expect((await fetch(`${server.baseUrl}/api/v1/services/hundeanmeldung/submissions`, { method: 'POST', body: warm })).status).toBe(201);
  const before = memoryOf(pid, 'VmRSS');
  const forms = Array.from({ length: 5 }, bigSubmission);
  const results = await Promise.all(forms.map((body) => fetch(`${server.baseUrl}/api/v1/services/hundeanmeldung/submissions`, { method: 'POST', body })));
  const peak = memoryOf(pid, 'VmHWM');
  const statuses = await Promise.all(results.map(async (r) => `${r.status} ${r.status === 201 ? '' : await r.text()}`));
  console.log(`upload memory: RSS before ${before} MB, peak ${peak} MB during five concurrent 24 MB uploads (growth ${peak - before} MB)`);
  expect(statuses.map((s) => s.trim())).toEqual(Array(5).fill('201'));
  expect(peak - before).toBeLessThan(120);
}, 180_000);
