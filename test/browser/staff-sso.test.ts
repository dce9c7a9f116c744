/**
 * Staff single sign-on in the browser (issue 17, item 3): on the back office's login page a Kriens
 * clerk clicks "Mit Kantons-Login anmelden", signs in on the demo provider's own page, lands in
 * the back office with a session (the one-time code gone from the address) and sees the Kriens
 * task in the inbox. A refused sign-in (a role the back office does not know) comes back to the
 * login page with the reason. With STAFF_LOCAL_LOGIN=false the page has no password form.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { applicant, baseUrl, dogData, login, startSecondServer, submitTo, waitForTask } from '../integration/client';
import type { ServerProcess } from '../integration/server-process';
import { cspViolations, launchBrowser, newPage, screenshot } from './browser';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

/** From the back office's login page through the provider's login page. */
async function signInThroughProvider(page: Page, username: string): Promise<void> {
  await page.goto(`${baseUrl()}/`);
  const button = page.getByRole('link', { name: 'Mit Kantons-Login anmelden' });
  await button.waitFor();
  await screenshot(page, '40-sso-login-page');
  await button.click();
  await page.waitForURL(/\/idp\/interaction\//);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill('demo1234');
  await screenshot(page, '41-sso-provider-page');
  await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
}

describe('staff single sign-on in the browser', () => {
  it('a Kriens clerk signs in with "Mit Kantons-Login anmelden" on the provider page and sees the Kriens task', async () => {
    const submitted = await submitTo('hundeanmeldung', {
      municipality: 1059,
      applicant: applicant({ address: { street: 'Schachenstrasse', houseNumber: '5', postalCode: '6010', town: 'Kriens' } }),
      data: dogData({ dogCategory: 'guide', exemptionRequested: true, exemptionReason: 'Blindenführhund' }),
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    const reference = submitted.body.reference as string;
    // the task exists (an admin sees every organisation) before the clerk looks
    await waitForTask(await login('admin'), reference);

    const page = await newPage(browser);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const urls: string[] = [];
    page.on('request', (r) => urls.push(r.url()));
    // a provider-only account: the first sign-in creates the user in the back office
    await signInThroughProvider(page, 'kriens.einwohnerdienste');
    await page
      .getByTestId('menu-tasks-mine')
      .waitFor()
      .catch(async (err) => {
        await screenshot(page, '42-sso-landing-failed');
        throw new Error(`${err} at ${page.url()}; ${errors.join('; ')}`);
      });
    await expect(page.getByTestId('menu-tasks-mine').textContent()).resolves.toContain('Meine Aufgaben');
    // the one-time code left the address bar, and no request carried the session token in a URL
    expect(page.url()).not.toContain('sso=');
    const me = await page.request.get(`${baseUrl()}/api/auth/me`);
    expect(me.status()).toBe(200);
    const { user } = (await me.json()) as { user: { username: string; roles: string[]; organisations: string[] } };
    expect(user).toMatchObject({ username: 'kriens.einwohnerdienste', roles: ['clerk'], organisations: ['municipality:1059'] });
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'lu_session');
    expect(session?.httpOnly).toBe(true);
    expect(urls.filter((u) => u.includes(session!.value))).toEqual([]);

    await page.goto(`${baseUrl()}/#/tasks?filter=${encodeURIComponent(JSON.stringify({ view: 'groups', q: reference }))}`);
    await page.locator('tr', { hasText: reference }).first().waitFor();
    await screenshot(page, '42-sso-kriens-inbox');
    await page.context().close();
    expect(errors).toEqual([]);
  });

  it('a refused sign-in comes back to the login page with the reason', async () => {
    const page = await newPage(browser);
    const claims = { username: `sso.refused.${Date.now().toString(36)}`, roles: ['superuser'], organisations: ['municipality:1059'] };
    await signInThroughProvider(page, `test-staff:${Buffer.from(JSON.stringify(claims)).toString('base64url')}`);
    const alert = page.getByTestId('sso-error');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toMatch(/unbekannte Rolle/);
    await expect(page.getByTestId('menu-tasks-mine').count()).resolves.toBe(0);
    // the password form is still there (local login is on by default)
    await page.locator('input[name="username"]').waitFor();
    await screenshot(page, '43-sso-refused');
    await page.context().close();
    expect(cspViolations).toEqual([]);
  });
});

describe('STAFF_LOCAL_LOGIN=false in the browser', () => {
  let second: ServerProcess;
  beforeAll(async () => {
    // a second server on the shared database with the password login switched off
    second = await startSecondServer({ name: 'server-sso-only-ui', env: { STAFF_LOCAL_LOGIN: 'false' } });
  }, 200_000);
  afterAll(async () => second?.stop());

  it('shows only "Mit Kantons-Login anmelden", no password form', async () => {
    const page = await newPage(browser);
    await page.goto(`${second.baseUrl}/`);
    await page.getByRole('link', { name: 'Mit Kantons-Login anmelden' }).waitFor();
    await expect(page.locator('input[name="username"]').count()).resolves.toBe(0);
    await expect(page.locator('input[name="password"]').count()).resolves.toBe(0);
    await screenshot(page, '44-sso-only-login-page');
    await page.context().close();
  });
});
