/** Decisions in the browser: a decision must be made, and a rejection needs a reason and a confirmation. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { applicant, call, login, submit, waitForStatus, waitForTask } from '../integration/client';
import { launchBrowser, newPage, screenshot, signIn } from './browser';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe('decisions in the browser', () => {
  it('"Abschliessen" on an untouched form rejects nobody; a rejection asks for a reason and a confirmation', async () => {
    const res = await submit({ municipality: 1061, applicant: applicant({ firstName: 'Entscheid' }), data: { copies: 1 } });
    const { reference, accessToken } = res.body;
    const task = await waitForTask(await login('luzern.einwohnerdienste'), reference);
    const page = await newPage(browser);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, 'luzern.einwohnerdienste');
    await page.goto(`${new URL(page.url()).origin}/#/tasks/${task.id}/show`);
    await page.getByTestId('claim-task').click();
    await page.getByTestId('complete-task').waitFor();

    // nothing decided: the form refuses, the task stays open
    await page.getByTestId('complete-task').click();
    await page.getByText('Bitte prüfen Sie die markierten Felder.').waitFor();
    await expect(page.getByLabel('Begründung der Ablehnung').count()).resolves.toBe(0);

    // "Nein": the reason appears and is required
    await page.getByLabel('Nein, Gesuch ablehnen').check();
    await page.getByLabel('Begründung der Ablehnung').waitFor();
    await page.getByTestId('complete-task').click();
    await expect(page.getByRole('dialog').count()).resolves.toBe(0);
    const reason = 'Keine Anmeldung im Einwohnerregister gefunden (im Browser geprüft).';
    await page.getByLabel('Begründung der Ablehnung').fill(reason);
    await page.getByTestId('complete-task').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Gesuch ablehnen?').waitFor();
    await expect(dialog.textContent()).resolves.toContain(reason);
    await screenshot(page, '20-rejection-confirmation');

    // "Abbrechen" keeps the task open
    await dialog.getByRole('button', { name: 'Abbrechen' }).click();
    await dialog.waitFor({ state: 'detached' });
    const clerk = await login('luzern.einwohnerdienste');
    expect((await call('GET', `/api/tasks/${task.id}`, { token: clerk })).body.state).toBe('open');

    await page.getByTestId('complete-task').click();
    await page.getByRole('dialog').getByRole('button', { name: 'Ablehnen' }).click();
    await page.getByTestId('case-title').waitFor();
    const done = await waitForStatus(reference, accessToken, 'rejected');
    expect(done.documents[0].name).toMatch(/^Entscheid-/);
    const completed = (await call('GET', `/api/tasks/${task.id}`, { token: clerk })).body;
    expect(completed.result).toMatchObject({ approved: false, decisionReason: reason });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
