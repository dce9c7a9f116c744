/**
 * Provoking an incident on the real broker: "Ablehnung erstellen" (decision-letter) of a
 * Wohnsitzbestätigung is started by process instance modification without the clerk's decision,
 * so the worker refuses on every attempt to issue a negative decision without reasons
 * ("… decisionReason is empty"). The fix is setting the reason on the step (as one would in Operate).
 */
import { inject } from 'vitest';
import { applicant, call, login, submit, waitFor, waitForTask } from '../integration/client';

export const BROKEN_STEP = 'Task_AblehnungErstellen';
export const BROKEN_STEP_ERROR = 'decisionReason is empty';
/** the variables that repair the step */
export const BROKEN_STEP_FIX = { decisionReason: 'Im Einwohnerregister ist keine Anmeldung verzeichnet.' };

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
      activateInstructions: [{ elementId: BROKEN_STEP, ancestorElementInstanceKey: '-1', variableInstructions: [{ variables: { decisionReason: '' }, scopeId: BROKEN_STEP }] }],
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
