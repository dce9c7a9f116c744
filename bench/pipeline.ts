/**
 * Our pipeline over HTTP: wohnsitzbestaetigung on the human path (an applicant not in the
 * register). One cycle = POST submission → task visible in the clerk's inbox (GET /api/tasks)
 * → claim + complete {approved:true} → the case is "completed" in GET /api/cases.
 * The probes are shared by all concurrent cycles, as one back office screen would be: one inbox
 * request and one case-list request per poll interval answer every waiting cycle, so the probing
 * load does not grow with the concurrency (nor with the latency it measures).
 */
import { citizenSessionCookies } from '../test/support/oidc-flow';
import { closedLoop, dist, now, sleep, type Dist } from './lib';

export interface PipelineLevel {
  concurrency: number;
  pollMs: number;
  submissions: number;
  cycles: number;
  errors: number;
  firstError?: string;
  status429: number;
  /** complete cycles per second (closed loop) */
  cyclesPerS: number;
  /** accepted submissions (201) per second over the same window */
  acceptedPerS: number;
  submitMs: Dist;
  /** submission sent → task first returned by GET /api/tasks (polled every pollMs) */
  visibleMs: Dist;
  /** submission sent → task row's createdAt (server clock; no polling granularity) */
  visibleServerMs: Dist;
  /** claim sent → case "completed" seen by the shared GET /api/cases probe (polled every pollMs) */
  completedMs: Dist;
  /** claim sent → the timeline's "completed" event (server clock) */
  completedServerMs: Dist;
  listMs: Dist;
}

/**
 * A residence certificate as the signed-in resident Max Neu (in no register, so every case takes
 * the human path). The service is `verified` (DESIGN.md §6): names and birth date come from the
 * sign-in, the body carries only contact data and the form.
 */
function submission() {
  return {
    municipality: 1061,
    applicant: {
      email: 'test@example.ch',
      address: { street: 'Musterweg', houseNumber: '1', postalCode: '6003', town: 'Luzern' },
    },
    data: { copies: 1, purpose: 'Benchmark' },
  };
}

/** The resident the benchmark submits as (demo provider account). */
export const BENCH_RESIDENT = 'max.neu';

/** One shared poll loop: `fetch` returns what is there now, keyed by case reference. */
class Watcher<T> {
  private readonly waiting = new Map<string, { resolve: (v: T) => void; reject: (e: Error) => void; deadline: number }>();
  private running = false;

  constructor(
    private readonly fetch: () => Promise<Map<string, T>>,
    private readonly onRequestMs: (ms: number) => void,
    private readonly pollMs: () => number,
  ) {}

  waitFor(reference: string, timeoutMs = 60_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(reference, { resolve, reject, deadline: now() + timeoutMs });
      if (!this.running) void this.loop();
    });
  }

  private async loop(): Promise<void> {
    this.running = true;
    try {
      while (this.waiting.size > 0) {
        const t0 = now();
        try {
          const found = await this.fetch();
          this.onRequestMs(now() - t0);
          for (const [reference, w] of this.waiting) {
            const value = found.get(reference);
            if (value !== undefined) {
              this.waiting.delete(reference);
              w.resolve(value);
            } else if (now() > w.deadline) {
              this.waiting.delete(reference);
              w.reject(new Error(`${reference}: not seen within the time limit`));
            }
          }
        } catch (err) {
          for (const w of this.waiting.values()) w.reject(err as Error);
          this.waiting.clear();
        }
        await sleep(this.pollMs());
      }
    } finally {
      this.running = false;
    }
  }
}

export class PipelineBench {
  private token = '';
  status429 = 0;
  /** the current level's settings and samples */
  private concurrency = 1;
  private pollMs = 50;
  private samples = new Samples();
  /** open tasks of the inbox, newest first */
  private readonly inbox = new Watcher<any>(
    async () => new Map((await this.newest('tasks', { state: 'open' }, 'createdAt')).map((t) => [t.caseReference as string, t])),
    (ms) => this.samples.listMs.push(ms),
    () => this.pollMs,
  );
  /** completed cases, newest submissions first */
  private readonly completed = new Watcher<true>(
    async () => new Map((await this.newest('cases', { status: 'completed' }, 'submittedAt')).map((c) => [c.reference as string, true as const])),
    () => {},
    () => this.pollMs,
  );

  /** the resident's session: cookie header and CSRF token (signIn) */
  private citizen = { cookie: '', csrfToken: '' };

  constructor(private readonly baseUrl: string) {}

  /** Signs the benchmark's resident in through the real demo provider (once per server). */
  async signIn(username = BENCH_RESIDENT): Promise<void> {
    this.citizen = await citizenSessionCookies(this.baseUrl, username);
  }

  async login(username = 'luzern.einwohnerdienste', password = 'demo1234'): Promise<void> {
    const res = await this.request('POST', '/api/auth/login', { json: { username, password } });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
    this.token = res.body.token;
  }

  async request(method: string, path: string, opts: { json?: unknown; bearer?: string; asCitizen?: boolean } = {}): Promise<{ status: number; headers: Headers; body: any }> {
    for (;;) {
      const headers: Record<string, string> = {};
      if (opts.bearer ?? this.token) headers.authorization = `Bearer ${opts.bearer ?? this.token}`;
      if (opts.asCitizen) Object.assign(headers, { cookie: this.citizen.cookie, 'x-csrf-token': this.citizen.csrfToken });
      if (opts.json !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body: opts.json === undefined ? undefined : JSON.stringify(opts.json) });
      const text = await res.text();
      if (res.status === 429) {
        this.status429 += 1;
        await sleep(1000 * Number(res.headers.get('retry-after') ?? 1));
        continue;
      }
      return { status: res.status, headers: res.headers, body: text && (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text };
    }
  }

  /** The newest rows of a staff list: enough for every concurrent cycle. */
  private async newest(resource: 'tasks' | 'cases', filter: object, sortField: string): Promise<any[]> {
    const params = new URLSearchParams({ filter: JSON.stringify(filter), sort: JSON.stringify([sortField, 'DESC']), range: JSON.stringify([0, 4 * this.concurrency + 20]) });
    const list = await this.request('GET', `/api/${resource}?${params}`);
    if (list.status !== 200) throw new Error(`${resource} list: ${list.status}`);
    return list.body as any[];
  }

  private async cycle(): Promise<void> {
    const s = this.samples;
    const wall0 = Date.now();
    const t0 = now();
    const sub = await this.request('POST', '/api/v1/services/wohnsitzbestaetigung/submissions', { json: submission(), bearer: '', asCitizen: true });
    if (sub.status !== 201) throw new Error(`submission: ${sub.status} ${JSON.stringify(sub.body).slice(0, 200)}`);
    s.submitMs.push(now() - t0);
    s.accepted += 1;
    const { reference, accessToken } = sub.body as { reference: string; accessToken: string };

    // task visible in the inbox
    const task = await this.inbox.waitFor(reference);
    s.visibleMs.push(now() - t0);
    s.visibleServerMs.push(Date.parse(task.createdAt) - wall0);

    // claim + complete
    const wall1 = Date.now();
    const t1 = now();
    const claim = await this.request('POST', `/api/tasks/${task.id}/claim`);
    if (claim.status !== 200) throw new Error(`claim: ${claim.status}`);
    const done = await this.request('POST', `/api/tasks/${task.id}/complete`, { json: { variables: { approved: true } } });
    if (done.status !== 200) throw new Error(`complete: ${done.status} ${JSON.stringify(done.body).slice(0, 200)}`);

    // case completed; then its timeline (as the citizen sees it) for the server-clock figure
    await this.completed.waitFor(reference);
    s.completedMs.push(now() - t1);
    const st = await this.request('GET', `/api/v1/submissions/${reference}`, { bearer: accessToken });
    if (st.status !== 200 || st.body.status !== 'completed') throw new Error(`status: ${st.status} ${st.body?.status}`);
    const ev = (st.body.timeline as Array<{ at: string; status: string }>).find((e) => e.status === 'completed');
    if (ev) s.completedServerMs.push(Date.parse(ev.at) - wall1);
  }

  async level(concurrency: number, seconds: number, pollMs: number): Promise<PipelineLevel> {
    const s = new Samples();
    this.samples = s;
    this.concurrency = concurrency;
    this.pollMs = pollMs;
    const before429 = this.status429;
    const r = await closedLoop(concurrency, seconds, () => this.cycle());
    return {
      concurrency,
      pollMs,
      submissions: s.accepted,
      cycles: r.cycles,
      errors: r.errors,
      firstError: r.firstError,
      status429: this.status429 - before429,
      cyclesPerS: r.perSecond,
      acceptedPerS: Math.round((s.accepted / r.elapsedS) * 100) / 100,
      submitMs: dist(s.submitMs),
      visibleMs: dist(s.visibleMs),
      visibleServerMs: dist(s.visibleServerMs),
      completedMs: dist(s.completedMs),
      completedServerMs: dist(s.completedServerMs),
      listMs: dist(s.listMs),
    };
  }

  async warmUp(): Promise<void> {
    await this.level(2, 3, 25);
  }
}

class Samples {
  accepted = 0;
  submitMs: number[] = [];
  visibleMs: number[] = [];
  visibleServerMs: number[] = [];
  completedMs: number[] = [];
  completedServerMs: number[] = [];
  listMs: number[] = [];
}
