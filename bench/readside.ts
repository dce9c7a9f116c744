/** Read side at scale: the clerk's inbox queries and the case view against the generated data. */
import { dist, now, type Dist } from './lib';
import type { PipelineBench } from './pipeline';

export interface ReadQueryResult {
  name: string;
  example: string;
  /** Content-Range of the first timed request, with " (capped)" when X-Total-Capped says the total is a lower bound */
  total: string | null;
  ms: Dist;
  /** server CPU (user + system) per request: robust against other load on the machine */
  serverCpuMsPerRequest: number | null;
  /** BENCH_DB=postgres: PostgreSQL's CPU (all its processes) per request, where the queries run */
  databaseCpuMsPerRequest: number | null;
}

/** Luzern rows are the generated i with i % 4 = 0; open ones have i <= open. */
function luzernRef(k: number, open: number, completed: number, wantOpen: boolean): string {
  const lo = wantOpen ? 1 : open + 1;
  const hi = wantOpen ? open : open + completed;
  const span = Math.max(1, Math.floor((hi - lo + 1) / 4));
  const i = 4 * (Math.floor(lo / 4) + 1 + ((k * 7919) % span));
  return `LU-2025-${String(Math.min(i, hi - (hi % 4))).padStart(7, '0')}`;
}

/** The generated applicant of a reference, as a clerk types it ("Vorname<i % 997> Nachname<i>", see generate.ts). */
function applicantName(reference: string): string {
  const i = Number(reference.slice(8));
  return `Vorname${i % 997} Nachname${i}`;
}

export async function readSide(
  http: PipelineBench,
  reps: number,
  open: number,
  completed: number,
  serverCpuS: () => number,
  maxSecondsPerQuery = 30,
  databaseCpuS: () => number = () => NaN,
): Promise<ReadQueryResult[]> {
  const tasks = (filter: object | undefined, sort?: [string, string], range: [number, number] = [0, 24]) => {
    const p = new URLSearchParams();
    if (filter) p.set('filter', JSON.stringify(filter));
    if (sort) p.set('sort', JSON.stringify(sort));
    p.set('range', JSON.stringify(range));
    return `/api/tasks?${p}`;
  };
  const services = ['wohnsitzbestaetigung', 'hundeanmeldung', 'umzug'];
  const queries: Array<{ name: string; path: (k: number) => string }> = [
    { name: 'tasks: first page (default sort createdAt DESC)', path: () => tasks(undefined) },
    { name: 'tasks: inbox {state:open}', path: () => tasks({ state: 'open' }) },
    { name: 'tasks: filtered {state:open, serviceKey}', path: (k) => tasks({ state: 'open', serviceKey: services[k % 3] }) },
    { name: 'tasks: mine {state:open, assignee}', path: () => tasks({ state: 'open', assignee: 'luzern.einwohnerdienste' }) },
    { name: 'tasks: groups view {state:open, assignee:null, candidateGroups}', path: () => tasks({ state: 'open', assignee: null, candidateGroups: ['einwohnerdienste'] }) },
    { name: 'tasks: completed view {state:completed}', path: () => tasks({ state: 'completed' }) },
    { name: 'tasks: sorted by dueDate ASC {state:open}', path: () => tasks({ state: 'open' }, ['dueDate', 'ASC']) },
    { name: 'tasks: page 40 {state:open}', path: () => tasks({ state: 'open' }, undefined, [1000, 1024]) },
    { name: 'tasks: {caseReference}', path: (k) => tasks({ caseReference: luzernRef(k, open, completed, k % 2 === 0) }) },
    { name: 'tasks: full text q (reference fragment)', path: (k) => tasks({ q: luzernRef(k, open, completed, true).slice(3, 13) }) },
    { name: 'tasks: full text q (word "zuzug")', path: () => tasks({ q: 'zuzug' }) },
    // as the back office sends it: the inbox view's state plus the search box, an applicant's name
    { name: 'tasks: inbox search {state:open, q: applicant name}', path: (k) => tasks({ state: 'open', q: applicantName(luzernRef(k, open, completed, true)) }) },
    { name: 'cases: first page (default sort)', path: () => '/api/cases?range=[0,24]' },
    { name: 'cases: {status:in_progress}', path: () => `/api/cases?${new URLSearchParams({ filter: JSON.stringify({ status: 'in_progress' }), range: '[0,24]' })}` },
    { name: 'cases/{reference}', path: (k) => `/api/cases/${luzernRef(k, open, completed, k % 2 === 0)}` },
  ];
  const out: ReadQueryResult[] = [];
  for (const q of queries) {
    // two untimed requests first (statement and page cache), then `reps` timed ones
    for (let k = 0; k < 2; k++) await http.request('GET', q.path(k + 10_000));
    const ms: number[] = [];
    let total: string | null = null;
    const cpu0 = serverCpuS();
    const dbCpu0 = databaseCpuS();
    const budgetEnd = now() + maxSecondsPerQuery * 1000;
    for (let k = 0; k < reps; k++) {
      if (k >= 3 && now() > budgetEnd) break; // a pathological query: keep what we have
      const t0 = now();
      const res = await http.request('GET', q.path(k));
      ms.push(now() - t0);
      if (res.status !== 200) throw new Error(`${q.name}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      if (k === 0) total = res.headers.get('content-range') && `${res.headers.get('content-range')}${res.headers.get('x-total-capped') === 'true' ? ' (capped)' : ''}`;
    }
    const perRequest = (seconds: number) => (Number.isFinite(seconds) ? Math.round(((seconds * 1000) / ms.length) * 10) / 10 : null);
    out.push({
      name: q.name,
      example: decodeURIComponent(q.path(0)),
      total,
      ms: dist(ms),
      serverCpuMsPerRequest: perRequest(serverCpuS() - cpu0),
      databaseCpuMsPerRequest: perRequest(databaseCpuS() - dbCpu0),
    });
  }
  return out;
}
