/** Small helpers for the benchmark: percentiles, /proc sampling, timing. */
import fs from 'node:fs';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
export const now = () => performance.now();

export interface Dist {
  n: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

/** Nearest-rank percentiles (ms, rounded to 0.1). */
export function dist(samples: number[]): Dist {
  if (samples.length === 0) return { n: 0, p50: null, p95: null, p99: null, max: null };
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => round(s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!);
  return { n: s.length, p50: at(50), p95: at(95), p99: at(99), max: round(s[s.length - 1]!) };
}

export const round = (x: number, digits = 1) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

export function median(values: Array<number | null | undefined>): number | null {
  const v = values.filter((x): x is number => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m]! : round((v[m - 1]! + v[m]!) / 2, 2);
}

export function spread(values: Array<number | null | undefined>): { min: number | null; max: number | null } {
  const v = values.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  return v.length ? { min: Math.min(...v), max: Math.max(...v) } : { min: null, max: null };
}

// ---------------------------------------------------------------------------------------------
// /proc

const CLK_TCK = 100; // Linux USER_HZ on every mainstream kernel

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
      try {
        const c = fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
        if (c) out.push(...c.split(/\s+/).map(Number));
      } catch {
        /* gone */
      }
    }
  } catch {
    /* gone */
  }
  return out;
}

/** pid and all its descendants (the broker script forks java; tsx may fork esbuild). */
export function processTree(pid: number): number[] {
  const all: number[] = [];
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    if (all.includes(p)) continue;
    all.push(p);
    stack.push(...childrenOf(p));
  }
  return all;
}

/** CPU seconds (user + system) of a process tree. */
export function cpuSeconds(pid: number): number {
  let ticks = 0;
  for (const p of processTree(pid)) {
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]); // utime, stime (fields 14, 15)
    } catch {
      /* gone */
    }
  }
  return ticks / CLK_TCK;
}

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Current RSS (MB) of a process tree. */
export function rssMb(pid: number): number {
  return processTree(pid).reduce((s, p) => s + statusKb(p, 'VmRSS'), 0) / 1024;
}

/** Peak RSS (VmHWM, MB) of a process tree: sum of each process's own peak. */
export function hwmMb(pid: number): number {
  return processTree(pid).reduce((s, p) => s + statusKb(p, 'VmHWM'), 0) / 1024;
}

/** Samples the RSS of some process trees every `everyMs`; peak() gives the highest sum seen per name. */
export class RssSampler {
  private readonly peaks = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  constructor(
    private readonly pids: () => Record<string, number | undefined>,
    everyMs = 250,
  ) {
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }
  sample(): void {
    for (const [name, pid] of Object.entries(this.pids())) {
      if (!pid) continue;
      const mb = rssMb(pid);
      if (mb > (this.peaks.get(name) ?? 0)) this.peaks.set(name, mb);
    }
  }
  peak(name: string): number | null {
    const v = this.peaks.get(name);
    return v === undefined ? null : round(v);
  }
  reset(name: string): void {
    this.peaks.delete(name);
  }
  stop(): void {
    clearInterval(this.timer);
  }
}

/**
 * Closed-loop load: `concurrency` slots each run `cycle` back to back for `seconds`, then the
 * in-flight cycles finish. Throughput counts the cycles started in the window over the time until
 * the last of them finished.
 */
export async function closedLoop(
  concurrency: number,
  seconds: number,
  cycle: (slot: number) => Promise<void>,
): Promise<{ cycles: number; errors: number; elapsedS: number; perSecond: number; firstError?: string }> {
  const t0 = now();
  const stopAt = t0 + seconds * 1000;
  let cycles = 0;
  let errors = 0;
  let firstError: string | undefined;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, slot) => {
      while (now() < stopAt) {
        try {
          await cycle(slot);
          cycles += 1;
        } catch (err) {
          errors += 1;
          firstError ??= String((err as Error).message ?? err);
          await sleep(100);
        }
      }
    }),
  );
  const elapsedS = (now() - t0) / 1000;
  return { cycles, errors, elapsedS: round(elapsedS, 2), perSecond: round(cycles / elapsedS, 2), firstError };
}

export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got ${raw}`);
  return n;
}

export function envList(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  if (!raw) return fallback;
  return raw
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
}
