/**
 * The escalation timer on a human task really fires: the server is restarted with a short
 * ESCALATION_AFTER (instead of the service's target processing time), a task is left open, and
 * the team lead is told. The shared server is restarted with its normal settings afterwards.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { emmenApplicant, call, login, mailsMentioning, submitTo, waitFor, waitForNamedTask, restartSharedServer } from './client';

describe('escalation to the team lead', () => {
  afterAll(async () => restartSharedServer({}));

  it('fires the non-interrupting timer after the target time: mail to the team lead, task stays open', { timeout: 120_000 }, async () => {
    await restartSharedServer({ ESCALATION_AFTER: 'PT3S' });
    const year = new Date().getFullYear();
    const res = await submitTo('fristerstreckung-steuern', {
      municipality: 1024,
      applicant: emmenApplicant(),
      data: { ahvNumber: '756.9217.0769.85', taxYear: year, taxpayerType: 'self_employed', represented: false, requestedUntil: `${year + 1}-09-30`, reason: 'Spitalaufenthalt' },
    });
    expect(res.status).toBe(201);
    const reference = res.body.reference;
    const tax = await login('steuern.sachbearbeitung');
    const task = await waitForNamedTask(tax, reference, 'Fristerstreckung entscheiden');

    const mail = await waitFor('escalation mail', async () => mailsMentioning(reference).find((m) => m.includes('steuern.teamlead@demo.lu.ch')), 60_000);
    expect(mail).toContain('Frist überschritten');
    const dossier = await call('GET', `/api/cases/${reference}`, { token: await login('admin') });
    expect(dossier.body.timeline.filter((e: { type: string }) => e.type === 'task.escalated')).toHaveLength(1);
    // non-interrupting: the clerk's task is still there and open
    expect((await call('GET', `/api/tasks/${task.id}`, { token: tax })).body.state).toBe('open');
  });
});
