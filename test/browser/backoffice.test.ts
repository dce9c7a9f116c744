/** The back office in a real browser against the real server and broker. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { applicant, baseUrl, call, login, openTasksOf, submit, submitGuideDog, waitFor, waitForNamedTask, waitForStatus, waitForTask } from '../integration/client';
import path from 'node:path';
import { projectRoot } from '../../server/config/config';
import { bundleReport } from '../../tools/bundle-size';
import { cspViolations, launchBrowser, newPage, screenshot, signIn } from './browser';

let browser: Browser;
const AUSWEIS = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\n% Ausweis\ntrailer<<>>\n%%EOF\n');

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

async function newLuzernCase(): Promise<string> {
  const res = await submit({ municipality: 1061, applicant: applicant({ firstName: 'Browser' }), data: { purpose: 'Arbeitgeber', copies: 1 } });
  expect(res.status).toBe(201);
  return res.body.reference as string;
}

/** The Dossiers list from the menu, with `reference` among its rows. */
async function openCaseList(page: Page, reference: string): Promise<void> {
  await page.getByTestId('menu-cases').click();
  await page.getByTestId('case-table').waitFor();
  await page.locator('tr', { hasText: reference }).waitFor({ timeout: 30_000 });
}

describe('back office in the browser', () => {
  it('every list opens its first row without a crash: dossiers and tasks, as a clerk and as an admin; a task page after the dossier list', async () => {
    // a case of our own to list (independent of the other test files), with a task for the Luzern clerks
    const { reference } = await submitGuideDog('Listenzeile');
    const task = await waitForTask(await login('luzern.einwohnerdienste'), reference);

    for (const username of ['luzern.einwohnerdienste', 'admin']) {
      const page = await newPage(browser);
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(`${username}: ${e.message}`));
      const noCrash = async () => {
        expect(errors).toEqual([]);
        await expect(page.getByText('Etwas ist schiefgelaufen').count()).resolves.toBe(0);
      };
      await signIn(page, username);

      // Dossiers: the first row (a list record without documents, tasks, timeline) opens the dossier
      await openCaseList(page, reference);
      const firstReference = (await page.locator('tbody tr').first().locator('td.column-reference').textContent())?.trim() ?? '';
      expect(firstReference).toMatch(/\S/);
      await page.locator('tbody tr').first().locator('td.column-reference').click();
      await page.getByTestId('case-title').waitFor();
      await expect(page.getByTestId('case-title').textContent()).resolves.toContain(firstReference);
      await page.getByTestId('case-timeline').waitFor();
      await noCrash();

      // back to the list, then our dossier, then back again
      await page.goBack();
      await page.locator('tr', { hasText: reference }).locator('td.column-reference').click();
      await expect(page.getByTestId('case-title').textContent()).resolves.toContain(reference);
      await page.getByTestId('case-applicant').getByText('Listenzeile').waitFor();
      // the form's option label, not the stored value ("guide")
      await page.getByTestId('case-data').getByText('Blinden- oder Assistenzhund').waitFor();
      await expect(page.getByTestId('case-data').textContent()).resolves.not.toContain('guide');
      await page.goBack();
      await page.locator('tr', { hasText: reference }).waitFor();
      await noCrash();

      // Tasks: the first row of the organisation's inbox opens the task with its dossier
      await page.getByTestId('menu-tasks-organisation').click();
      await page.locator('tbody tr').first().waitFor({ timeout: 30_000 });
      await page.locator('tbody tr').first().locator('td.column-name').click();
      await page.getByTestId('task-title').waitFor();
      await page.getByTestId('case-context').getByTestId('case-applicant').waitFor();
      await noCrash();

      // a task page whose dossier was listed before (the list row sits in the cache): no crash either
      await openCaseList(page, reference);
      await page.getByTestId('menu-tasks-organisation').click();
      await page.getByTestId('inbox-title').waitFor();
      await page.goto(`${baseUrl()}/#/tasks/${task.id}/show`);
      await page.getByTestId('task-title').waitFor();
      await page.getByTestId('case-context').getByTestId('case-applicant').getByText('Listenzeile').waitFor();
      await noCrash();
      await page.context().close();
    }
  });

  it('a clerk signs in, claims and completes "Wohnsitz prüfen" through the form, and sees the case completed with its document', async () => {
    const reference = await newLuzernCase();
    const page = await newPage(browser);
    // the modeler, form editor, charts and the task and case pages are lazy chunks (per the build's manifest)
    const lazy = new Set(bundleReport(path.join(projectRoot, 'backoffice', 'dist')).lazyFiles);
    expect(lazy.size).toBeGreaterThan(0);
    const assets: string[] = [];
    page.on('request', (req) => {
      const { pathname } = new URL(req.url());
      if (pathname.startsWith('/assets/')) assets.push(pathname.slice(1));
    });
    await page.goto(`${baseUrl()}/`);
    await page.getByRole('button', { name: 'Anmelden' }).waitFor();
    await screenshot(page, '01-login');

    await signIn(page, 'luzern.einwohnerdienste');
    // a clerk lands in "Offen in meinen Gruppen"; the new task appears without reloading
    await expect(page.getByTestId('inbox-title').textContent()).resolves.toBe('Offen in meinen Gruppen');
    const row = page.locator('tr', { hasText: reference });
    await row.waitFor({ timeout: 45_000 });
    await expect(row.textContent()).resolves.toContain('Wohnsitz prüfen');
    await expect(page.getByTestId('menu-tasks-groups-count').textContent()).resolves.toMatch(/^[1-9]\d*$/);
    await screenshot(page, '02-inbox-clerk');
    // login page and inbox: none of the lazy chunks; the task page then fetches its own
    expect(assets.filter((file) => lazy.has(file))).toEqual([]);

    await row.getByText('Wohnsitz prüfen').click();
    await page.getByTestId('task-title').waitFor();
    expect(assets.some((file) => lazy.has(file))).toBe(true);
    await page.getByTestId('case-applicant').getByText('Browser').waitFor();
    await page.getByTestId('claim-hint').waitFor();
    await page.getByTestId('claim-task').click();
    await page.getByTestId('complete-task').waitFor();
    await page.getByLabel('Ja, Wohnsitz bestätigen').check();
    await page.getByLabel('Bemerkung').fill('Mietvertrag im Browser geprüft');
    await screenshot(page, '03-task-form');
    await page.getByTestId('complete-task').click();

    // back on the dossier: completed (workers finish it), with the certificate PDF
    await page.getByTestId('case-title').waitFor();
    await expect(page.getByTestId('case-title').textContent()).resolves.toContain(reference);
    await page.getByTestId('status-completed').waitFor({ timeout: 45_000 });
    await page.getByTestId('case-document').first().waitFor({ timeout: 20_000 });
    await expect(page.getByTestId('case-documents').textContent()).resolves.toMatch(/\.pdf/i);
    await expect(page.getByTestId('case-timeline').textContent()).resolves.toContain('Wohnsitz prüfen');
    await page.getByTestId('bpmn-diagram').locator('svg').first().waitFor();

    // internal note: add, see it, delete it again
    await page.getByTestId('note-input').fill('Rückruf am Schalter erledigt');
    await page.getByTestId('note-add').click();
    await page.getByTestId('case-note').first().waitFor();
    await screenshot(page, '04-case-completed');
    await page.getByTestId('case-note').first().getByRole('button').click();
    await page.getByTestId('case-note').waitFor({ state: 'detached' });

    // the PDF link is downloadable with the session cookie
    const href = await page.getByTestId('case-documents').getByRole('link', { name: 'Herunterladen' }).first().getAttribute('href');
    const pdf = await page.request.get(`${baseUrl()}${href}`);
    expect(pdf.status()).toBe(200);
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

    // the case list and the English UI
    await page.getByTestId('menu-cases').click();
    await page.locator('tr', { hasText: reference }).waitFor();
    await screenshot(page, '05-case-list');
    // English is one click away; the labels and react-admin's own messages switch
    await page.getByRole('button', { name: /Deutsch/ }).click();
    await page.getByRole('menuitem', { name: 'English' }).click();
    await page.getByText('My tasks').waitFor();
    await page.getByText('Rows per page:').waitFor();
    await page.context().close();
  });

  it('a clerk asks the applicant through "Rückfrage", and reads the answer on the next task', async () => {
    // a service anyone may use without sign-in, whose clerk task allows a Rückfrage
    const { reference, accessToken } = await submitGuideDog('Rueckfrage');
    const clerk = await login('luzern.einwohnerdienste');
    const first = await waitForNamedTask(clerk, reference, 'Steuerbefreiung prüfen');
    const page = await newPage(browser);
    await signIn(page, 'luzern.einwohnerdienste');
    await page.goto(`${baseUrl()}/#/tasks/${first.id}/show`);
    await page.getByTestId('claim-task').click();
    await page.getByTestId('request-info').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Ihre Frage').fill('Bitte senden Sie uns den Ausweis der Blindenführhundeschule.');
    await screenshot(page, '08-request-info-dialog');
    await dialog.getByRole('button', { name: 'Senden' }).click();
    await page.getByText('Rückfrage gesendet').waitFor();

    // the applicant answers on the portal (the public API)
    const waiting = await waitForStatus(reference, accessToken, 'waiting_for_applicant');
    // with the requested document as a file (multipart: JSON part `reply` plus the PDF)
    const form = new FormData();
    form.append('reply', JSON.stringify({ requestId: waiting.openRequests[0].id, message: 'Der Ausweis liegt bei: gültig bis 31. März.' }));
    form.append('ausweis', new Blob([AUSWEIS], { type: 'application/pdf' }), 'Ausweis.pdf');
    const reply = await fetch(`${baseUrl()}/api/v1/submissions/${reference}/replies`, { method: 'POST', body: form, headers: { authorization: `Bearer ${accessToken}` } });
    expect(reply.status).toBe(202);

    // the process gives the clerk a new task; on it, the question and the answer
    const second = await waitFor('the task after the reply', async () => (await openTasksOf(clerk, reference)).find((t) => t.id !== first.id));
    await page.goto(`${baseUrl()}/#/tasks/${second.id}/show`);
    const requests = page.getByTestId('case-info-requests');
    await requests.waitFor();
    await expect(requests.textContent()).resolves.toContain('Bitte senden Sie uns den Ausweis der Blindenführhundeschule.');
    await expect(requests.getByTestId('case-info-answer').textContent()).resolves.toBe('Der Ausweis liegt bei: gültig bis 31. März.');
    await expect(requests.textContent()).resolves.toContain('beantwortet');
    // the file the applicant sent, as a download link that works with the clerk's session
    const link = requests.getByTestId('case-info-attachment');
    await expect(link.textContent()).resolves.toBe('Ausweis.pdf');
    const file = await page.request.get(`${baseUrl()}${await link.getAttribute('href')}`);
    expect(file.status()).toBe(200);
    expect(Buffer.compare(await file.body(), AUSWEIS)).toBe(0);
    await screenshot(page, '09-task-with-answer');
    // and in the dossier
    await page.goto(`${baseUrl()}/#/cases/${reference}/show`);
    await expect(page.getByTestId('case-info-requests').getByTestId('case-info-attachment').textContent()).resolves.toBe('Ausweis.pdf');
    await page.context().close();
  });

  it('a clerk of another municipality does not see the task or the case', async () => {
    const reference = await newLuzernCase();
    await waitForTask(await login('luzern.einwohnerdienste'), reference);
    const page = await newPage(browser);
    await signIn(page, 'emmen.einwohnerdienste');
    for (const view of ['groups', 'organisation']) {
      await page.goto(`${baseUrl()}/#/tasks?filter=${encodeURIComponent(JSON.stringify({ view, q: reference }))}`);
      await page.getByTestId('inbox-empty').waitFor();
      await expect(page.locator('tr', { hasText: reference }).count()).resolves.toBe(0);
    }
    await page.goto(`${baseUrl()}/#/cases?filter=${encodeURIComponent(JSON.stringify({ q: reference }))}`);
    await page
      .getByText(/keine dossiers/i)
      .first()
      .waitFor();
    await expect(page.locator('tr', { hasText: reference }).count()).resolves.toBe(0);
    // the API answers 404 to the cookie session as well
    const direct = await page.request.get(`${baseUrl()}/api/cases/${reference}`);
    expect(direct.status()).toBe(404);
    await page.context().close();
  });

  it('a team lead reassigns a task to a colleague with a reason (bulk action)', async () => {
    const reference = await newLuzernCase();
    const lead = await login('luzern.teamlead');
    const task = await waitForTask(lead, reference);
    const page = await newPage(browser);
    await signIn(page, 'luzern.teamlead');
    await page.getByTestId('dashboard').waitFor();
    await page.getByTestId('chart-per-service').locator('svg').first().waitFor();
    await screenshot(page, '06-dashboard-teamlead');

    await page.getByTestId('menu-tasks-organisation').click();
    const row = page.locator('tr', { hasText: reference });
    await row.waitFor({ timeout: 30_000 });
    await row.getByRole('checkbox').check();
    await page.getByTestId('bulk-assign').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('combobox').click();
    await page.getByTestId('assign-option-luzern.einwohnerdienste').click();
    await dialog.getByTestId('assign-reason').fill('Ferienvertretung');
    await screenshot(page, '07-assign-dialog');
    await dialog.getByTestId('assign-confirm').click();

    const assigned = await waitFor('the reassignment', async () => {
      const res = await call('GET', `/api/tasks/${task.id}`, { token: lead });
      return res.body.assignee === 'luzern.einwohnerdienste' ? res.body : undefined;
    });
    expect(assigned.state).toBe('open');
    const detail = await call('GET', `/api/cases/${reference}`, { token: lead });
    expect(detail.body.timeline.map((e: { label: string }) => e.label).join('\n')).toContain('Ferienvertretung');
    await row.filter({ hasText: 'Lea Meier' }).waitFor();
    await page.context().close();
  });
});

describe('Content-Security-Policy', () => {
  it('was not violated on any page of this file (run last)', () => {
    expect(cspViolations).toEqual([]);
  });
});
