/**
 * The administration screens (issue 17): an admin creates a clerk for Kriens through the UI, sees
 * them in the user list and the creation in the audit log; the clerk's first sign-in asks for an
 * own password and then opens the inbox. A clerk sees no administration in the menu.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseUrl, call, login } from '../integration/client';
import { launchBrowser, newPage, screenshot, signIn } from './browser';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe('administration in the browser', () => {
  it('an admin creates a Kriens clerk, finds them in the list and the audit log; the clerk chooses an own password at the first sign-in', async () => {
    const username = `ui.kriens.${Date.now().toString(36)}`;
    const page = await newPage(browser);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('response', (r) => {
      if (r.url().includes('/api/admin/') && r.status() >= 400) errors.push(`${r.request().method()} ${r.url()}: ${r.status()}`);
    });
    await signIn(page, 'admin');
    await page.getByTestId('menu-users').click();
    await page.getByTestId('user-list').waitFor();
    await page.getByRole('link', { name: 'Erstellen' }).click();
    await page.waitForURL(/#\/users\/create/);
    const form = page.locator('form');
    await form.locator('input[name="username"]').fill(username);
    await form.locator('input[name="displayName"]').fill('Kim Kriens (UI)');
    await form.locator('input[name="email"]').fill(`${username}@kriens.example.ch`);
    await form.getByLabel('Organisationen').fill('Kriens');
    await page.getByRole('option', { name: 'Stadt Kriens' }).click();
    await form.getByLabel('Eingangsgruppen').fill('einwohner');
    await page.getByRole('option', { name: 'einwohnerdienste' }).click();
    await form.locator('input[name="initialPassword"]').fill('Start-Passwort-1');
    await screenshot(page, '30-administration-user-create');
    await page.getByRole('button', { name: 'Speichern' }).click();
    await page.waitForURL(/#\/users$/).catch(async (err) => {
      await screenshot(page, '30-administration-user-create-failed');
      throw new Error(`${err} ${errors.join('; ')}`);
    });

    // back in the list (11 users, the new one on the second page of 10): search for them
    await page.locator('input[name="q"]').fill(username);
    const row = page.getByTestId('user-list').locator('tr', { hasText: username });
    await row.waitFor({ timeout: 20_000 }).catch(async (err) => {
      await screenshot(page, '31-administration-users-failed');
      throw new Error(`${err} ${errors.join('; ')}`);
    });
    await expect(row.textContent()).resolves.toContain('Sachbearbeitung');
    await expect(row.textContent()).resolves.toContain('municipality:1059');
    const stored = await call('GET', `/api/admin/users?filter=${encodeURIComponent(JSON.stringify({ q: username }))}`, { token: await login('admin') });
    expect(stored.body).toEqual([expect.objectContaining({ username, roles: ['clerk'], groups: ['einwohnerdienste'], organisations: ['municipality:1059'], mustChangePassword: true })]);
    await screenshot(page, '31-administration-users');

    // the audit log shows the creation, with the values after it
    await page.getByTestId('menu-audit').click();
    const event = page.getByTestId('audit-list').locator('tr', { hasText: username });
    await event.filter({ hasText: 'Benutzer/in erstellt' }).filter({ hasText: 'admin' }).waitFor();
    await event.first().click();
    await expect(page.getByTestId('audit-changes').first().textContent()).resolves.toContain(`"${username}"`);
    await screenshot(page, '32-administration-audit');

    // the organisations list names Kriens with its inbox group
    await page.getByTestId('menu-organisations').click();
    await page.getByTestId('organisation-list').locator('tr', { hasText: 'Stadt Kriens' }).filter({ hasText: 'einwohnerdienste' }).waitFor();
    await page.context().close();

    // the clerk's first sign-in: choose an own password, then the inbox
    const clerkPage = await newPage(browser);
    clerkPage.on('pageerror', (e) => errors.push(e.message));
    await clerkPage.goto(`${baseUrl()}/`);
    await clerkPage.locator('input[name="username"]').fill(username);
    await clerkPage.locator('input[name="password"]').fill('Start-Passwort-1');
    await clerkPage.getByRole('button', { name: 'Anmelden' }).click();
    await clerkPage.getByTestId('password-change').waitFor();
    await clerkPage.getByLabel('Neues Passwort (mindestens 10 Zeichen)').fill('Eigenes-Passwort-7');
    await screenshot(clerkPage, '33-administration-password-change');
    await clerkPage.getByRole('button', { name: 'Passwort ändern und anmelden' }).click();
    await clerkPage.getByTestId('menu-tasks-mine').waitFor();
    // a clerk has no administration in the menu
    await expect(clerkPage.getByTestId('menu-users').count()).resolves.toBe(0);
    expect((await call('POST', '/api/auth/login', { json: { username, password: 'Eigenes-Passwort-7' } })).status).toBe(200);
    await clerkPage.context().close();
    expect(errors).toEqual([]);
  });
});
