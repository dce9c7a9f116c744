/**
 * The absence screen (Stellvertretung, issue 17 item 4): a team lead records a clerk's absence
 * with a deputy; the deputy finds the clerk's task in "Meine Aufgaben" marked "Stellvertretung für
 * …"; the lead ends the absence on the screen and the task goes back to the clerk.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { call, login, submitGuideDog, waitFor, waitForNamedTask } from '../integration/client';
import { launchBrowser, newPage, screenshot, signIn } from './browser';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

const run = Date.now().toString(36);

async function createClerk(username: string, displayName: string): Promise<string> {
  const created = await call('POST', '/api/admin/users', {
    token: await login('admin'),
    json: { username, displayName, email: null, roles: ['clerk'], groups: ['einwohnerdienste'], organisations: ['municipality:1061'], initialPassword: 'Start-Passwort-1' },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const changed = await call('POST', '/api/auth/password', { json: { username, password: 'Start-Passwort-1', newPassword: 'Deputy-Passwort-1' } });
  expect(changed.status).toBe(200);
  return changed.body.token;
}

/** a time as the date-time picker of a browser in Zurich takes it: YYYY-MM-DDTHH:mm */
const zurichLocal = (date: Date) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Zurich', dateStyle: 'short', timeStyle: 'short' }).format(date).replace(' ', 'T');

describe('absences in the browser', () => {
  it('a team lead records an absence; the deputy sees the task marked; ending it hands the task back', async () => {
    const absent = `ui.absent.${run}`;
    const deputy = `ui.deputy.${run}`;
    const absentToken = await createClerk(absent, `Ursula Abwesend ${run}`);
    await createClerk(deputy, `Viktor Vertretung ${run}`);
    const { reference } = await submitGuideDog('Browser');
    const task = await waitForNamedTask(absentToken, reference, 'Steuerbefreiung prüfen');
    expect((await call('POST', `/api/tasks/${task.id}/claim`, { token: absentToken })).status).toBe(200);

    const errors: string[] = [];
    const page = await newPage(browser);
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('response', (r) => r.url().includes('/api/absences') && r.status() >= 400 && errors.push(`${r.request().method()} ${r.url()}: ${r.status()}`));
    await signIn(page, 'luzern.teamlead');
    await page.getByTestId('menu-absences').click();
    await page
      .getByText('Während einer Abwesenheit liegen die offenen Aufgaben')
      .waitFor()
      .catch(async (err) => {
        await screenshot(page, '40-absence-list-failed');
        throw new Error(`${err} ${errors.join('; ')}`);
      });
    await screenshot(page, '40-absence-list-before');
    await page.getByRole('link', { name: 'Abwesenheit erfassen' }).click();
    await page.waitForURL(/#\/absences\/create/);
    await page.getByLabel('Abwesende Person').click();
    await page.getByRole('option', { name: `Ursula Abwesend ${run}` }).click();
    await page.getByLabel('Stellvertretung').click();
    await page.getByRole('option', { name: `Viktor Vertretung ${run}` }).click();
    await page.locator('input[name="from"]').fill(zurichLocal(new Date(Date.now() - 60 * 60_000)));
    await page.locator('input[name="to"]').fill(zurichLocal(new Date(Date.now() + 24 * 60 * 60_000)));
    await page.locator('textarea[name="note"]').fill('Ferien');
    await screenshot(page, '40-absence-create');
    await page.getByRole('button', { name: 'Speichern' }).click();
    const row = page.getByTestId('absence-list').locator('tr', { hasText: `Ursula Abwesend ${run}` });
    await row.waitFor().catch(async (err) => {
      await screenshot(page, '40-absence-create-failed');
      throw new Error(`${err} ${errors.join('; ')}`);
    });
    await expect(row.textContent()).resolves.toContain(`Viktor Vertretung ${run}`);
    await row.getByTestId('absence-state-active').waitFor();
    await screenshot(page, '41-absence-list');

    // the deputy's "Meine Aufgaben": the clerk's task, marked
    const deputyPage = await newPage(browser);
    deputyPage.on('pageerror', (e) => errors.push(e.message));
    await signIn(deputyPage, deputy, 'Deputy-Passwort-1');
    await deputyPage.getByTestId('menu-tasks-mine').click();
    const taskRow = deputyPage.getByTestId('task-table').locator('tr', { hasText: reference });
    await taskRow.getByTestId('deputy-chip').waitFor();
    await expect(taskRow.getByTestId('deputy-chip').textContent()).resolves.toBe(`Stellvertretung für Ursula Abwesend ${run}`);
    await screenshot(deputyPage, '42-deputy-inbox');
    await deputyPage.context().close();

    // the lead ends the absence on the screen: the task goes back to the clerk
    await row.getByRole('button', { name: 'Beenden' }).click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /Bestätigen|Ja/ })
      .click();
    await row.waitFor({ state: 'detached' });
    const back = await waitFor('task back to the clerk', async () => {
      const t = (await call('GET', `/api/tasks/${task.id}`, { token: absentToken })).body;
      return t.assignee === absent ? t : undefined;
    });
    expect(back.deputyFor).toBeNull();
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
