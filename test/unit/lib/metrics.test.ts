import { describe, expect, it } from 'vitest';
import { Metrics, cached } from '../../../server/lib/metrics';
import { Poller, pollerRunsEnded } from '../../../server/lib/poller';

describe('Metrics', () => {
  it('reads a sampled gauge on scrape; a failing reading keeps the last values instead of failing the scrape', async () => {
    const metrics = new Metrics();
    let value: number | undefined = 3;
    metrics.sampledGauge('test_backlog', 'test', ['outbox'], () => (value === undefined ? Promise.reject(new Error('database down')) : [{ labels: { outbox: 'mail' }, value }]));
    metrics.jobFinished('register-lookup', 'complete', 0.02);
    expect((await metrics.text()).contentType).toMatch(/^text\/plain/);
    let { body } = await metrics.text();
    expect(body).toContain('test_backlog{outbox="mail"} 3');
    expect(body).toContain('lu_jobs_total{type="register-lookup",outcome="complete"} 1');
    value = 5;
    ({ body } = await metrics.text());
    expect(body).toContain('test_backlog{outbox="mail"} 5');
    value = undefined;
    ({ body } = await metrics.text());
    expect(body).toContain('test_backlog{outbox="mail"} 5');
  });

  it('cached() shares one read within its time and reads again after a failure', async () => {
    let reads = 0;
    let fail = true;
    const read = cached(async () => {
      reads += 1;
      if (fail) throw new Error('down');
      return reads;
    }, 60_000);
    await expect(read()).rejects.toThrow('down');
    fail = false;
    const [a, b] = await Promise.all([read(), read()]);
    expect([a, b, reads]).toEqual([2, 2, 2]);
    expect(await read()).toBe(2);
  });
});

describe('pollerRunsEnded', () => {
  it('resolves once the runs under way have ended', async () => {
    let release: () => void = () => {};
    const poller = new Poller(
      () => new Promise<void>((resolve) => (release = resolve)),
      () => {},
    );
    poller.start(60_000);
    poller.stop();
    let ended = false;
    const waiting = pollerRunsEnded().then(() => (ended = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(ended).toBe(false);
    release();
    await waiting;
    expect(ended).toBe(true);
  });
});
