/**
 * The load of the cluster test, as clients behind a load balancer send it: every request goes to
 * one of the servers; a connection error (a server killed or stopping) is retried on the other
 * server with the same request, so a submission keeps its Idempotency-Key. Every 5xx is recorded
 * (and retried the same way, so one 5xx does not hide what happens after it).
 */
import crypto from 'node:crypto';
import type { AppProcess } from './installation';
import { applicant, dogData } from '../integration/client';

export interface Sent {
  status: number;
  body: any;
  server: string;
}

export interface Submission {
  key: string;
  reference: string;
  accessToken: string;
  human: boolean;
}

const REQUEST_TIMEOUT_MS = 60_000;
const MAX_ATTEMPTS = 120;

export class Load {
  readonly fiveXx: { what: string; status: number; server: string; body: string }[] = [];
  connectionErrors = 0;
  readonly submissions: Submission[] = [];
  readonly completedTasks = new Set<string>();
  private readonly runId = crypto.randomBytes(3).toString('hex');

  constructor(private readonly servers: AppProcess[]) {}

  /** Sends to server `prefer` (mod 2); on a connection error or a 5xx, again on the next one. */
  async send(what: string, prefer: number, path: string, init: RequestInit = {}): Promise<Sent> {
    for (let attempt = 0; ; attempt++) {
      const server = this.servers[(prefer + attempt) % this.servers.length]!;
      try {
        const res = await fetch(`${server.baseUrl}${path}`, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
        const type = res.headers.get('content-type') ?? '';
        const body = type.includes('json') ? await res.json() : Buffer.from(await res.arrayBuffer());
        if (res.status < 500 || attempt >= MAX_ATTEMPTS) return { status: res.status, body, server: server.name };
        this.fiveXx.push({ what, status: res.status, server: server.name, body: JSON.stringify(body).slice(0, 300) });
      } catch (err) {
        if (attempt >= MAX_ATTEMPTS) throw err;
        this.connectionErrors += 1;
      }
      await sleep(500);
    }
  }

  /**
   * `count` hundeanmeldung submissions, every third asking for the exemption (a clerk's task).
   * `before(i)` is awaited before submission i is sent (the test pauses the load there).
   */
  async submit(count: number, concurrency: number, before: (index: number) => Promise<void>): Promise<void> {
    let next = 0;
    const one = async (i: number) => {
      await before(i);
      const human = i % 3 === 0;
      const key = `cluster-${this.runId}-${i}`;
      const body = JSON.stringify({
        municipality: 1061,
        applicant: applicant({ lastName: `Cluster${this.runId}n${i}` }),
        data: dogData(human ? { dogCategory: 'guide', exemptionRequested: true, exemptionReason: 'Blindenführhund' } : {}),
      });
      const res = await this.send(`submission ${i}`, i, '/api/v1/services/hundeanmeldung/submissions', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body,
      });
      if (res.status !== 201) throw new Error(`submission ${i}: ${res.status} ${JSON.stringify(res.body)}`);
      this.submissions.push({ key, reference: res.body.reference, accessToken: res.body.accessToken, human });
    };
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) await one(next++);
      }),
    );
  }

  /** Completes `count` «Steuerbefreiung prüfen» tasks as a Luzern clerk, alternating the servers. */
  async completeTasks(count: number, clerkToken: string, deadline: number): Promise<void> {
    const auth = { authorization: `Bearer ${clerkToken}`, 'content-type': 'application/json' };
    let turn = 0;
    while (this.completedTasks.size < count) {
      if (Date.now() > deadline) throw new Error(`only ${this.completedTasks.size} of ${count} tasks completed in time`);
      const filter = encodeURIComponent(JSON.stringify({ state: 'open' }));
      const open = await this.send('task list', turn++, `/api/tasks?filter=${filter}&range=[0,49]`, { headers: auth });
      const tasks = (Array.isArray(open.body) ? open.body : []).filter((t: { id: string; name: string }) => t.name === 'Steuerbefreiung prüfen' && !this.completedTasks.has(t.id));
      if (tasks.length === 0) await sleep(1000);
      for (const task of tasks.slice(0, count - this.completedTasks.size)) {
        await this.completeTask(task.id, turn++, auth);
      }
    }
  }

  private async completeTask(id: string, prefer: number, headers: Record<string, string>): Promise<void> {
    const claim = await this.send(`claim ${id}`, prefer, `/api/tasks/${id}/claim`, { method: 'POST', headers });
    if (claim.status !== 200 && claim.status !== 409) throw new Error(`claim ${id}: ${claim.status} ${JSON.stringify(claim.body)}`);
    // refused: an approved exemption waits for a second person's release (four-eyes, «Steuerbefreiung freigeben»)
    const variables = { exemptionApproved: false, decisionReason: 'Kein Ausweis der Blindenführhundeschule' };
    const done = await this.send(`complete ${id}`, prefer + 1, `/api/tasks/${id}/complete`, { method: 'POST', headers, body: JSON.stringify({ variables }) });
    // 409 after a retry: the first attempt completed it before the connection broke
    if (done.status === 409 && /erledigt/.test(JSON.stringify(done.body))) return void this.completedTasks.add(id);
    if (done.status !== 200) throw new Error(`complete ${id}: ${done.status} ${JSON.stringify(done.body)}`);
    this.completedTasks.add(id);
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
