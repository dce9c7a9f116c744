/**
 * Browser helpers: playwright-core driving Debian's chromium (never a downloaded browser).
 * A missing chromium fails the run with a clear message; it is never skipped.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { projectRoot } from '../../server/config/config';
import { baseUrl } from '../integration/client';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const screenshotDir = path.join(projectRoot, 'test-output', 'screenshots');

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Browser tests need Debian's chromium at ${CHROMIUM} (install it with: apt-get install -y chromium, or set CHROMIUM_PATH)`);
  }
  if (!fs.existsSync(path.join(projectRoot, 'backoffice', 'dist', 'index.html'))) {
    throw new Error('The back office is not built: run npm run build:backoffice before the browser tests');
  }
  if (!fs.existsSync(path.join(projectRoot, 'portal', 'dist', 'index.html'))) {
    throw new Error("The residents' portal is not built: run npm run build:portal before the browser tests");
  }
  fs.mkdirSync(screenshotDir, { recursive: true });
  // playwright gives every launch a fresh, empty user-data-dir of its own
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Content-Security-Policy violations the browser reported on any page of this test file (each file asserts none). */
export const cspViolations: string[] = [];

export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'de-CH', timezoneId: 'Europe/Zurich' });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) cspViolations.push(`${page.url()}: ${msg.text()}`);
  });
  return page;
}

export async function signIn(page: Page, username: string, password = 'demo1234'): Promise<void> {
  await page.goto(`${baseUrl()}/`);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  // the menu differs by role: process owners and organisation admins have no case list
  await page.locator('[data-testid="menu-cases"], [data-testid="menu-processes"], [data-testid="menu-users"]').first().waitFor();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(300); // let charts and transitions settle
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}
