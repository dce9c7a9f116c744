/**
 * Nothing accepted is lost: the broker going away, and the server dying between "instance
 * created" and "database updated". These tests restart the shared broker and server (same
 * ports and data), so they leave both running for the files after them.
 */
import { describe, expect, inject, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBroker, stopBrokerOf } from '../../tools/zeebe';
import { annaMuster, call, login, mailsMentioning, statusOf, submit, waitFor, waitForStatus, restartSharedServer } from './client';
import { startServerProcess, UNLIMITED, type ServerProcess } from './server-process';

const zeebe = () => inject('zeebe');

/** Each service's current process version as one server sees it (null: not deployed yet). */
async function deployedVersions(base: string): Promise<(number | null)[]> {
  const owner = await login('prozess.owner', undefined, base);
  const list = await call('GET', '/api/processes', { token: owner, base });
  expect(list.status).toBe(200);
  return list.body.map((p: { currentVersion: number | null }) => p.currentVersion);
}

describe('never lost', () => {
  it('accepts submissions while Zeebe is down and starts them once it is back', { timeout: 300_000 }, async () => {
    await stopBrokerOf(zeebe().dataDir);
    let res;
    let fresh: ServerProcess | undefined;
    try {
      res = await submit({ municipality: 1061, applicant: annaMuster(), data: {} });
      expect(res.status).toBe(201);
      await new Promise((r) => setTimeout(r, 3000));
      const meanwhile = await statusOf(res.body.reference, res.body.accessToken);
      expect(meanwhile.body.status).toBe('received');
      // intake stays ready for the load balancer (it keeps submissions); the body says Zeebe is down
      const ready = await call('GET', '/api/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.engine).toBe(false);
      expect(ready.body.dependencies.zeebe).toBe('down');
      // a second process starting now, on a database of its own that has deployed nothing yet:
      // it must start (ready, intake open) and deploy once Zeebe is back, not die
      fresh = await startServerProcess({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'lu-fresh-')), zeebeAddress: inject('zeebeAddress'), env: UNLIMITED });
      const before = await deployedVersions(fresh.baseUrl);
      expect(before.length).toBeGreaterThan(5);
      expect(before.filter((v) => v !== null)).toEqual([]);
    } finally {
      // the files after this one need the broker, whatever happened above
      await startBroker({ gatewayPort: zeebe().gatewayPort, dataDir: zeebe().dataDir, logFile: zeebe().logFile });
    }
    const done = await waitForStatus(res.body.reference, res.body.accessToken, 'completed', 120_000);
    expect(done.documents).toHaveLength(1);
    try {
      const deployed = await waitFor(
        'the fresh process deploying',
        async () => {
          const versions = await deployedVersions(fresh!.baseUrl);
          return versions.every((v) => v !== null) ? versions : undefined;
        },
        60_000,
      );
      expect(deployed.length).toBeGreaterThan(5);
    } finally {
      await fresh?.stop();
    }
  });

  it('starts exactly one instance when the server dies right after creating it', { timeout: 180_000 }, async () => {
    // this server kills itself right after the engine created the instance, before the database knows
    const crashing = await restartSharedServer({ TEST_CRASH_AFTER_INSTANCE_CREATED: 'true' });
    let res;
    try {
      res = await submit({ municipality: 1061, applicant: annaMuster(), data: { copies: 3 } });
      expect(res.status).toBe(201);
      await waitFor('crash', async () => (crashing.child.exitCode !== null || crashing.child.signalCode !== null ? true : undefined), 30_000);
    } finally {
      // an ordinary server for this test's end and the files after it, whatever happened above
      await restartSharedServer();
    }
    // a job the broker had already pushed to the dead server comes back after its 60 s job timeout
    const done = await waitForStatus(res.body.reference, res.body.accessToken, 'completed', 120_000);
    // one instance did the work: one certificate, one invoice, one completion mail
    expect(done.documents).toHaveLength(1);
    expect(done.fee).toEqual({ amount: 30, currency: 'CHF', status: 'open' }); // once for the one PDF
    await new Promise((r) => setTimeout(r, 3000)); // give a duplicate time to show itself
    const admin = await login('admin');
    const dossier = await call('GET', `/api/cases/${res.body.reference}`, { token: admin });
    expect(dossier.body.documents).toHaveLength(1);
    expect(dossier.body.invoices).toHaveLength(1);
    const started = dossier.body.timeline.filter((e: { type: string }) => e.type === 'process.started');
    expect(started).toHaveLength(1);
    expect(dossier.body.timeline.filter((e: { type: string; status: string | null }) => e.type === 'status.changed' && e.status === 'completed')).toHaveLength(1);
    expect(mailsMentioning(res.body.reference).filter((m) => m.includes('Erledigt'))).toHaveLength(1);
  });
});
