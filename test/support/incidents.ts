/**
 * Provoking an incident on the real broker: "Ablehnung erstellen" (decision-letter) of a
 * Wohnsitzbestätigung is started by process instance modification with a local `municipality`
 * that does not exist, so the worker throws "unknown municipality 9999" on every attempt. The fix
 * is setting that variable right on the step (as one would in Operate).
 */
import { inject } from 'vitest';
import { applicant, call, login, submit, waitFor, waitForTask } from '../integration/client';

export const BROKEN_STEP = 'Task_AblehnungErstellen';

export async function withZeebe<T>(work: (zbc: any) => Promise<T>): Promise<T> {
  const { ZBClient } = await import('zeebe-node');
  const zbc = new ZBClient(inject('zeebeAddress'), { useTLS: false, loglevel: 'NONE' } as any);
  try {
    return await work(zbc);
  } finally {
    await zbc.close();
  }
}

/** A Wohnsitzbestätigung waiting for "Wohnsitz prüfen", plus a failing "Ablehnung erstellen". */
export async function caseWithFailingStep(firstName: string) {
  const res = await submit({ municipality: 1061, applicant: applicant({ firstName }), data: { copies: 1 } });
  const { reference, accessToken } = res.body;
  await waitForTask(await login('luzern.einwohnerdienste'), reference);
  const admin = await login('admin');
  const c = await call('GET', `/api/cases/${reference}`, { token: admin });
  await withZeebe((zbc) =>
    zbc.modifyProcessInstance({
      processInstanceKey: c.body.processInstanceKey,
      activateInstructions: [{ elementId: BROKEN_STEP, ancestorElementInstanceKey: '-1', variableInstructions: [{ variables: { municipality: 9999 }, scopeId: BROKEN_STEP }] }],
    }),
  );
  return { reference, accessToken };
}

export async function openIncidentOf(token: string, reference: string) {
  const started = Date.now();
  const incident = await waitFor(
    `incident of ${reference}`,
    async () => {
      const list = await call('GET', `/api/incidents?filter=${encodeURIComponent(JSON.stringify({ caseReference: reference }))}`, { token });
      return list.body.find((i: { state: string }) => i.state === 'open');
    },
    90_000,
  );
  console.log(`[incidents] incident of ${reference} visible ${Date.now() - started} ms after the step was started (3 attempts, 5 s back-off)`);
  return incident;
}
