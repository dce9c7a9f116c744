/**
 * Incidents against the real broker: a service step whose input is broken fails all its retries,
 * the incident appears for process owners with case, step, error and time, and a mail goes to the
 * process owner; after the fix (the variable corrected, as one would in Operate) "retry" runs the
 * step again and the case goes on; or the case is cancelled with a reason.
 */
import { describe, expect, it } from 'vitest';
import { applicant, call, login, mailsMentioning, submitTo, waitFor, waitForNamedTask, waitForStatus } from './client';
import { BROKEN_STEP, BROKEN_STEP_ERROR, BROKEN_STEP_FIX, caseWithFailingStep, openIncidentOf, withZeebe } from '../support/incidents';

describe('incidents', () => {
  it('a step that fails all retries becomes an incident with case, step, error and time; after the fix, retry lets the case go on', async () => {
    const { reference, accessToken } = await caseWithFailingStep('Stoerung');
    const owner = await login('prozess.owner');
    const incident = await openIncidentOf(owner, reference);
    expect(incident).toMatchObject({ caseReference: reference, serviceKey: 'wohnsitzbestaetigung', step: 'Ablehnung erstellen', elementId: BROKEN_STEP, jobType: 'decision-letter', state: 'open' });
    expect(incident.errorMessage).toContain(BROKEN_STEP_ERROR);
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
    expect(mail).toContain(BROKEN_STEP_ERROR);
    const dossier = await call('GET', `/api/cases/${reference}`, { token: admin });
    expect(dossier.body.timeline.map((e: { label: string }) => e.label)).toContainEqual(expect.stringMatching(/^Störung bei «Ablehnung erstellen»: .*decisionReason is empty$/));

    // the fix: the variable corrected on the failed step
    await withZeebe((zbc) => zbc.setVariables({ elementInstanceKey: incident.elementInstanceKey, variables: BROKEN_STEP_FIX, local: true }));
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

  it('a BPMN error the model does not catch becomes an incident of the back office, not an invisible Zeebe incident', { timeout: 240_000 }, async () => {
    // a version of the debt-register extract whose «Gesuch prüfen» no longer catches INVALID_REQUEST
    const KEY = 'betreibungsregisterauszug';
    const owner = await login('prozess.owner');
    const current = (await call('GET', `/api/processes/${KEY}`, { token: owner })).body;
    const deployVersion = async (xml: string, comment: string) => {
      const draft = await call('POST', `/api/processes/${KEY}/drafts`, { token: owner, json: { xml, forms: current.forms, comment } });
      expect(draft.status, JSON.stringify(draft.body)).toBe(201);
      const deployed = await call('POST', `/api/processes/${KEY}/deploy`, { token: owner, json: { draftId: draft.body.id } });
      expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);
    };
    const uncaught = current.xml.replace('errorCode="INVALID_REQUEST"', 'errorCode="INVALID_REQUEST_ALT"');
    expect(uncaught).not.toBe(current.xml);
    await deployVersion(uncaught, 'Test: INVALID_REQUEST ohne Behandlung');
    try {
      const thirdParty = { requestType: 'third_party', subjectFirstName: 'Max', subjectLastName: 'Schuldner', subjectDateOfBirth: '1970-01-01', interestReason: 'Vermietung einer Wohnung' };
      const res = await submitTo(KEY, { municipality: 1061, applicant: applicant({ firstName: 'Unbehandelt' }), data: thirdParty });
      expect(res.status).toBe(201);
      const { reference } = res.body;
      await waitForNamedTask(await login('betreibungsamt.sachbearbeitung'), reference, 'Auszug prüfen');
      // «Gesuch prüfen» once more, with the person concerned missing: the worker throws INVALID_REQUEST
      const admin = await login('admin');
      const c = await call('GET', `/api/cases/${reference}`, { token: admin });
      await withZeebe((zbc) =>
        zbc.modifyProcessInstance({
          processInstanceKey: c.body.processInstanceKey,
          activateInstructions: [
            { elementId: 'Task_GesuchPruefen', ancestorElementInstanceKey: '-1', variableInstructions: [{ variables: { data: { requestType: 'third_party' } }, scopeId: 'Task_GesuchPruefen' }] },
          ],
        }),
      );
      const incident = await openIncidentOf(owner, reference);
      expect(incident).toMatchObject({ step: 'Gesuch prüfen', elementId: 'Task_GesuchPruefen', jobType: 'debt-extract-assess', state: 'open' });
      expect(incident.errorMessage).toContain('INVALID_REQUEST ohne Fehlerbehandlung im Prozessmodell');
      expect(incident.errorMessage).toContain('fehlen Angaben');
      const cancelled = await call('POST', `/api/incidents/${incident.id}/cancel-case`, { token: owner, json: { reason: 'Testfall' } });
      expect(cancelled.status).toBe(200);
    } finally {
      await deployVersion(current.xml, 'Test: Original wiederhergestellt');
    }
  });
});
