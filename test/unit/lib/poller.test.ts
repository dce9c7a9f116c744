import { describe, expect, it } from 'vitest';
import { Poller } from '../../../server/lib/poller';

describe('Poller', () => {
  it('does nothing before start and after stop, runs once at a time, and once more after a kick during a run', async () => {
    let runs = 0;
    let release: () => void = () => {};
    const poller = new Poller(
      () =>
        new Promise<void>((resolve) => {
          runs += 1;
          release = resolve;
        }),
      () => {},
    );
    poller.kick();
    expect(runs).toBe(0);
    poller.start(60_000);
    expect(runs).toBe(1);
    poller.kick();
    poller.kick();
    expect(runs).toBe(1);
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(runs).toBe(2);
    release();
    poller.stop();
    await new Promise((r) => setTimeout(r, 0));
    poller.kick();
    expect(runs).toBe(2);
    expect(poller.started).toBe(false);
  });
});
