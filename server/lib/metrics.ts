/**
 * The process's Prometheus metrics (prom-client), served at /metrics: HTTP latency per route
 * template, jobs per type and outcome, and gauges whose values are read when scraped (database
 * backlogs, pool). Each process has its own registry; readings that query the database are cached
 * for a few seconds, so frequent scrapes by several collectors stay cheap.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const SAMPLE_CACHE_MS = 5000;

export type Reading = Array<{ labels?: Record<string, string>; value: number }>;

export class Metrics {
  readonly registry = new Registry();

  readonly httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly jobs = new Counter({
    name: 'lu_jobs_total',
    help: 'Zeebe jobs handled by this process, by job type and outcome (complete, bpmnError, fail, incident: failed with no retries left, hold)',
    labelNames: ['type', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly jobDuration = new Histogram({
    name: 'lu_job_duration_seconds',
    help: 'Time a job handler took, by job type',
    labelNames: ['type'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  jobFinished(type: string, outcome: string, seconds: number): void {
    this.jobs.inc({ type, outcome });
    this.jobDuration.observe({ type }, seconds);
  }

  /** A gauge set from `read` when scraped (wrap a database read in cached()). */
  sampledGauge(name: string, help: string, labelNames: string[], read: () => Promise<Reading> | Reading): void {
    const sample = async () => read();
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        // the database down: the gauge keeps its last values rather than failing the whole scrape
        const reading = await sample().catch(() => undefined);
        if (!reading) return;
        this.reset();
        for (const { labels, value } of reading) {
          if (labels) this.set(labels, value);
          else this.set(value);
        }
      },
    });
  }

  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/** `read`'s last result for `ms`; concurrent callers share one read. */
export function cached<T>(read: () => Promise<T> | T, ms = SAMPLE_CACHE_MS): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | undefined;
  return () => {
    if (!last || Date.now() - last.at > ms) {
      const value = Promise.resolve().then(read);
      last = { at: Date.now(), value };
      value.catch(() => (last = undefined)); // a failed read is retried on the next scrape
    }
    return last.value;
  };
}
