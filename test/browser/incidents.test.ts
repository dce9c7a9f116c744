/** The incidents page as a process owner: the count in the menu, retry after a fix, cancel a case with a reason. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { call, login, waitFor, waitForStatus } from '../integration/client';
import { BROKEN_STEP_ERROR, BROKEN_STEP_FIX, caseWithFailingStep, openIncidentOf, withZeebe } from '../support/incidents';
import { launchBrowser, newPage, screenshot, signIn } from './browser';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe('incidents in the browser', () => {
  it('a process owner sees the incidents with a count in the menu, retries one after the fix and cancels the other case with a reason', async () => {
    const [toRetry, toCancel] = await Promise.all([caseWithFailingStep('Wiederholen'), caseWithFailingStep('Abbrechen')]);
    const owner = await login('prozess.owner');
    const [retryIncident, cancelIncident] = await Promise.all([openIncidentOf(owner, toRetry.reference), openIncidentOf(owner, toCancel.reference)]);

    const page = await newPage(browser);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, 'prozess.owner');
    // the menu count is fetched on its own schedule: wait for it to include both incidents
    await expect.poll(async () => Number(await page.getByTestId('menu-incidents-count').textContent({ timeout: 30_000 })), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    await page.getByTestId('menu-incidents').click();
    const row = page.locator('tr', { hasText: toRetry.reference });
    // the row may render before its step and error text: wait for each (fails after 30 s if missing)
    await row.filter({ hasText: 'Ablehnung erstellen' }).filter({ hasText: BROKEN_STEP_ERROR }).waitFor({ timeout: 30_000 });
    await screenshot(page, '21-incidents');

    // the fix, then "Erneut versuchen": the row leaves the unresolved list once the step ran
    await withZeebe((zbc) => zbc.setVariables({ elementInstanceKey: retryIncident.elementInstanceKey, variables: BROKEN_STEP_FIX, local: true }));
    await page.getByTestId(`incident-retry-${retryIncident.id}`).click();
    await page.getByText('Der Schritt wird in wenigen Sekunden erneut ausgeführt').waitFor();
    await waitForStatus(toRetry.reference, toRetry.accessToken, 'rejected', 60_000);
    await row.waitFor({ state: 'detached', timeout: 30_000 });

    // "Verfahren einstellen" needs a reason
    await page.getByTestId(`incident-cancel-${cancelIncident.id}`).click();
    await expect(page.getByTestId('incident-cancel-confirm').isDisabled()).resolves.toBe(true);
    await page.getByTestId('incident-cancel-reason').fill('Register nicht erreichbar; bitte neu einreichen');
    await screenshot(page, '22-incident-cancel-dialog');
    await page.getByTestId('incident-cancel-confirm').click();
    await page.getByText('Verfahren eingestellt').first().waitFor();
    await waitForStatus(toCancel.reference, toCancel.accessToken, 'withdrawn');
    const cancelled = await waitFor('cancelled incident', async () => {
      const r = await call('GET', `/api/incidents/${cancelIncident.id}`, { token: owner });
      return r.body.state === 'cancelled' ? r.body : undefined;
    });
    expect(cancelled.resolvedBy).toBe('prozess.owner');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
