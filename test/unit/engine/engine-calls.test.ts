/**
 * Engine calls while a broker dies (the cluster test's kill -9): the gateway answers 13 INTERNAL
 * "… closed unexpectedly before the request was handled", which means nothing happened; the call
 * is sent again until the partition's new leader takes it, and answers 503 (not 500) if it never
 * does. The ZBClient is replaced by a stub inside this test only.
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../../server/engine/zeebe';
import { DependencyUnavailableError } from '../../../server/lib/unavailable';

const lostBeforeHandled = Object.assign(
  new Error('13 INTERNAL: Unexpected error occurred during the request processing: Channel [id: 0x0d1e02b0] for address 127.0.0.1:30113 was closed unexpectedly before the request was handled'),
  { code: 13 },
);

async function engineWith(completeJob: () => Promise<void>): Promise<Engine> {
  const engine = new Engine({ address: '127.0.0.1:1', tls: false, caPem: undefined, oauth: undefined }, pino({ level: 'silent' }));
  const internals = engine as unknown as { client: { close(ms?: number): Promise<void>; completeJob: () => Promise<void> } };
  await internals.client.close(100);
  internals.client = { close: async () => {}, completeJob };
  return engine;
}

describe('engine calls while a broker dies', () => {
  it('sends a call the gateway lost before the broker handled it again, until it goes through', async () => {
    let calls = 0;
    const engine = await engineWith(async () => {
      calls += 1;
      if (calls < 3) throw lostBeforeHandled;
    });
    await engine.completeJob('2251799813685249', {});
    expect(calls).toBe(3);
  });

  it('answers 503 (engine unavailable), not 500, when no leader takes it after five attempts', async () => {
    let calls = 0;
    const engine = await engineWith(async () => {
      calls += 1;
      throw lostBeforeHandled;
    });
    await expect(engine.completeJob('2251799813685249', {})).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(calls).toBe(5);
  }, 15_000);

  it('does not repeat other internal errors', async () => {
    let calls = 0;
    const engine = await engineWith(async () => {
      calls += 1;
      throw Object.assign(new Error('13 INTERNAL: something else'), { code: 13 });
    });
    await expect(engine.completeJob('2251799813685249', {})).rejects.toThrow('something else');
    expect(calls).toBe(1);
  });
});
