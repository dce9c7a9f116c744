/**
 * Four-eyes in the back office (issue 17 item 5): the clerk who approved a dog tax exemption opens
 * the release task and reads why she cannot take it (claim disabled); the team lead can.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseUrl, claimAndComplete, login, submitGuideDog, waitForNamedTask } from '../integration/client';
import { launchBrowser, newPage, screenshot, signIn } from './browser';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe('four-eyes in the browser', () => {
  it('the approving clerk sees the explanation on the release task and cannot claim it; the team lead can', async () => {
    const { reference } = await submitGuideDog('VierAugen');
    const clerk = await login('luzern.einwohnerdienste');
    const check = await waitForNamedTask(clerk, reference, 'Steuerbefreiung prüfen');
    expect((await claimAndComplete(clerk, check.id, { exemptionApproved: true, comment: 'Ausweis geprüft' })).status).toBe(200);
    const release = await waitForNamedTask(clerk, reference, 'Steuerbefreiung freigeben');

    const page = await newPage(browser);
    await signIn(page, 'luzern.einwohnerdienste');
    await page.goto(`${baseUrl()}/#/tasks/${release.id}/show`);
    const block = page.getByTestId('four-eyes-block');
    await block.waitFor();
    await expect(block.textContent()).resolves.toMatch(/^Vier-Augen-Prinzip: Lea Meier .* hat «Steuerbefreiung prüfen» erledigt/);
    await expect(page.getByTestId('claim-task').isDisabled()).resolves.toBe(true);
    await screenshot(page, '43-four-eyes-blocked');
    await page.context().close();

    const leadPage = await newPage(browser);
    await signIn(leadPage, 'luzern.teamlead');
    await leadPage.goto(`${baseUrl()}/#/tasks/${release.id}/show`);
    await leadPage.getByTestId('claim-task').waitFor();
    // the release form shows what the first person decided on
    await leadPage.getByTestId('task-form').getByText('Ausweis geprüft').waitFor();
    await expect(leadPage.getByTestId('task-form').textContent()).resolves.toContain('Begründung des Gesuchs: Blindenführhund');
    await expect(leadPage.getByTestId('claim-task').isDisabled()).resolves.toBe(false);
    await expect(leadPage.getByTestId('four-eyes-block').count()).resolves.toBe(0);
    await leadPage.getByTestId('claim-task').click();
    await leadPage.getByTestId('complete-task').waitFor();
    await leadPage.context().close();
  });
});
