/**
 * Incidents against the real broker: a service step whose input is broken fails all its retries,
 * the incident appears for process owners with case, step, error and time, and a mail goes to the
 * process owner; after the fix (the variable corrected, as one would in Operate) "retry" runs the
 * step again and the case goes on; or the case is cancelled with a reason.
 */
import { describe, expect, it } from 'vitest';
import { call, login, mailsMentioning, waitFor, waitForStatus } from './client';
import { BROKEN_STEP, caseWithFailingStep, openIncidentOf, withZeebe } from '../support/incidents';

describe('incidents', () => {
  it('a step that fails all retries becomes an incident with case, step, error and time; after the fix, retry lets the case go on', async () => {
    const { reference, accessToken } = await caseWithFailingStep('Stoerung');
    const owner = await login('prozess.owner');
    const incident = await openIncidentOf(owner, reference);
    expect(incident).toMatchObject({ caseReference: reference, serviceKey: 'wohnsitzbestaetigung', step: 'Ablehnung erstellen', elementId: BROKEN_STEP, jobType: 'decision-letter', state: 'open' });
    expect(incident.errorMessage).toContain('unknown municipality 9999');
    expect(Date.parse(incident.createdAt)).toBeGreaterThan(Date.now() - 5 * 60_000);

    // for process owners and admins only
    const clerk = await login('luzern.einwohnerdienste');
    expect((await call('GET', '/api/incidents', { token: clerk })).status).toBe(403);
    expect((await call('POST', `/api/incidents/${incident.id}/retry`, { token: clerk })).status).toBe(403);
    const admin = await login('admin');
    expect((await call('GET', `/api/incidents/${incident.id}`, { token: admin })).body.caseReference).toBe(reference);
    expect((await call('GET', '/api/incidents/count', { token: owner })).body.unresolved).toBeGreaterThanOrEqual(1);
    expect((await call('GET', '/api/incidents/0', { token: owner })).status).toBe(422);
    expect((await call('GET', '/api/incidents/99999999', { token: owner })).status).toBe(404);

    // the process owner gets one mail, and the case timeline says what failed
    const mail = await waitFor('incident mail', async () => mailsMentioning(`Störung im Dossier ${reference}`)[0]);
    expect(mail).toContain('prozess.owner@demo.lu.ch');
    expect(mail).toContain('unknown municipality 9999');
    const dossier = await call('GET', `/api/cases/${reference}`, { token: admin });
    expect(dossier.body.timeline.map((e: { label: string }) => e.label)).toContain('Störung bei «Ablehnung erstellen»: unknown municipality 9999');

    // the fix: the variable corrected on the failed step
    await withZeebe((zbc) => zbc.setVariables({ elementInstanceKey: incident.elementInstanceKey, variables: { municipality: 1061 }, local: true }));
    const retried = await call('POST', `/api/incidents/${incident.id}/retry`, { token: owner });
    expect(retried.status).toBe(200);
    expect(retried.body.state).toBe('retrying');
    expect((await call('POST', `/api/incidents/${incident.id}/retry`, { token: owner })).status).toBe(409);

    const started = Date.now();
    const resolved = await waitFor(
      'incident resolved',
      async () => {
        const r = await call('GET', `/api/incidents/${incident.id}`, { token: owner });
        return r.body.state === 'resolved' ? r.body : undefined;
      },
      60_000,
    );
    console.log(`[incidents] retry → resolved in ${Date.now() - started} ms (parked jobs come back every 10 s)`);
    expect(resolved.resolvedAt).not.toBeNull();
    // the case went on: the letter, the mail, status rejected
    const done = await waitForStatus(reference, accessToken, 'rejected');
    expect(done.documents.map((d: { name: string }) => d.name)).toEqual([`Entscheid-${reference}.pdf`]);
    const labels: string[] = (await call('GET', `/api/cases/${reference}`, { token: admin })).body.timeline.map((e: { label: string }) => e.label);
    expect(labels).toContain('Störung bei «Ablehnung erstellen» behoben');
    expect(labels).toContain('Automatischer Schritt: Ablehnung erstellen');
    expect(mailsMentioning(`Störung im Dossier ${reference}`)).toHaveLength(1);
    const unresolved = await call('GET', `/api/incidents?filter=${encodeURIComponent(JSON.stringify({ caseReference: reference }))}`, { token: owner });
    expect(unresolved.body).toEqual([]);
  });

  it('cancels the case of an incident with a reason (required): the task leaves the inbox, the citizen sees why', async () => {
    const { reference, accessToken } = await caseWithFailingStep('Einstellung');
    const owner = await login('prozess.owner');
    const incident = await openIncidentOf(owner, reference);

    const noReason = await call('POST', `/api/incidents/${incident.id}/cancel-case`, { token: owner, json: {} });
    expect(noReason.status).toBe(422);
    expect(noReason.body.errors[0].path).toBe('reason');
    expect((await call('POST', `/api/incidents/${incident.id}/cancel-case`, { token: owner, json: { reason: '   ' } })).body.errors[0].path).toBe('reason');

    const reason = 'Register nicht erreichbar; bitte neu einreichen';
    const cancelled = await call('POST', `/api/incidents/${incident.id}/cancel-case`, { token: owner, json: { reason } });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.state).toBe('cancelled');
    expect((await call('POST', `/api/incidents/${incident.id}/retry`, { token: owner })).status).toBe(409);

    const status = await waitForStatus(reference, accessToken, 'withdrawn');
    expect(status.timeline.map((e: { label: string }) => e.label).join('\n')).toContain(reason);
    const admin = await login('admin');
    const dossier = await call('GET', `/api/cases/${reference}`, { token: admin });
    expect(dossier.body.tasks.every((t: { state: string }) => t.state !== 'open')).toBe(true);
  });
});
