/**
 * A process owner in the browser: opens the modeler, renames "Wohnsitz prüfen" through the
 * properties panel, deploys, sees the new version in the list; a new case's task carries the new
 * name. afterAll restores the original process (as a new version) for the other test files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { applicant, baseUrl, call, login, submit, waitFor, waitForTask } from '../integration/client';
import { cspViolations, launchBrowser, newPage, screenshot, signIn } from './browser';

const KEY = 'wohnsitzbestaetigung';
let browser: Browser;
let owner: string;
let original: { xml: string; forms: unknown[]; version: number };

beforeAll(async () => {
  browser = await launchBrowser();
  owner = await login('prozess.owner');
  const res = await call('GET', `/api/processes/${KEY}`, { token: owner });
  original = { xml: res.body.xml, forms: res.body.forms, version: res.body.version };
});

afterAll(async () => {
  await browser?.close();
  const now = await call('GET', `/api/processes/${KEY}`, { token: owner });
  if (now.body.xml !== original.xml) {
    const draft = await call('POST', `/api/processes/${KEY}/drafts`, { token: owner, json: { ...original, comment: 'Browser-Test: Original wiederhergestellt' } });
    const deployed = await call('POST', `/api/processes/${KEY}/deploy`, { token: owner, json: { draftId: draft.body.id } });
    expect(deployed.status).toBe(201);
  }
});

describe('process owner in the browser', () => {
  it('the modeler draws the diagrams of adressauskunft and datensperre: every flow element has a shape or edge', async () => {
    const page = await newPage(browser);
    await signIn(page, 'prozess.owner');
    for (const key of ['adressauskunft', 'datensperre']) {
      const { xml } = (await call('GET', `/api/processes/${key}`, { token: owner })).body as { xml: string };
      const ids = [...xml.matchAll(/<bpmn:(?:startEvent|endEvent|serviceTask|userTask|exclusiveGateway|intermediateCatchEvent|boundaryEvent|sequenceFlow) id="([^"]+)"/g)].map((m) => m[1]!);
      expect(ids.length, key).toBeGreaterThan(20);
      await page.goto(`${baseUrl()}/#/processes/${key}/show`);
      const modeler = page.getByTestId('bpmn-modeler');
      await modeler.locator('[data-element-id="StartEvent_GesuchEingegangen"]').first().waitFor();
      const drawn = new Set(await modeler.locator('.djs-element[data-element-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-element-id'))));
      expect(
        ids.filter((id) => !drawn.has(id)),
        `${key}: elements without DI`,
      ).toEqual([]);
      // shapes lie where the DI puts them: nothing stacked at the origin
      const origin = await modeler.locator('.djs-shape[data-element-id]').evaluateAll((els) => els.filter((e) => /translate\(0(\.0+)?,? ?0(\.0+)?\)/.test(e.getAttribute('transform') ?? '')).length);
      expect(origin, key).toBe(0);
      await screenshot(page, `po-00-${key}`);
    }
    await page.context().close();
  });

  it('renames a task in the modeler, deploys, sees the new version; a new case gets the new task name', async () => {
    const page = await newPage(browser);
    await signIn(page, 'prozess.owner');
    await page.getByTestId('menu-processes').click();
    // the row of the process list (not a case row of the page shown before the menu click)
    const row = page.locator('tr', { has: page.getByTestId(`process-versions-${KEY}`) });
    await row.waitFor();
    await expect(page.getByTestId(`process-versions-${KEY}`).textContent()).resolves.toContain(`v${original.version}`);
    await screenshot(page, 'po-01-process-list');

    await row.click();
    const task = page.getByTestId('bpmn-modeler').locator('[data-element-id="UserTask_WohnsitzPruefen"]').first();
    await task.waitFor();
    await page.getByTestId('process-lint').click();
    await page.getByTestId('lint-findings').waitFor();
    await task.click();
    const panel = page.getByTestId('properties-panel');
    const name = panel.locator('#bio-properties-panel-name');
    await name.waitFor({ state: 'attached' });
    // the "General" group may start collapsed
    if (!(await name.isVisible())) await panel.locator('[data-group-id="group-general"] .bio-properties-panel-group-header').click();
    await name.waitFor({ state: 'visible' });
    await expect(name.inputValue()).resolves.toBe('Wohnsitz prüfen');
    await name.fill('Wohnsitz prüfen (neu)');
    await name.press('Tab');
    await page.waitForTimeout(500); // the panel applies the change after its debounce
    await expect(page.getByTestId('bpmn-modeler').textContent()).resolves.toContain('Wohnsitz prüfen (neu)');
    await page.getByTestId('draft-comment').fill('Aufgabe umbenannt (Browser-Test)');
    await screenshot(page, 'po-02-modeler');
    // "Bereitstellen" first shows what the new version affects; cancelling and trying again stores no second draft
    const owner = await login('prozess.owner');
    const draftCount = async () => (await call('GET', `/api/processes/${KEY}/drafts`, { token: owner })).body.length as number;
    await page.getByTestId('process-deploy').click();
    await page.getByTestId('deploy-impact').waitFor();
    await expect(page.getByTestId('impact-running').textContent()).resolves.toMatch(/^\d+ laufende/);
    await screenshot(page, 'po-02b-deploy-impact');
    const drafts = await draftCount();
    await page.getByTestId('deploy-impact').getByRole('button', { name: 'Abbrechen' }).click();
    await page.getByTestId('deploy-impact').waitFor({ state: 'detached' });
    await expect(page.getByTestId('process-current-version').textContent()).resolves.toBe(`v${original.version}`);
    await page.getByTestId('process-deploy').click();
    await page.getByTestId('deploy-confirm').click();
    expect(await draftCount()).toBe(drafts);
    // the next version in Zeebe (another installation on the broker may have taken a number in between)
    const message = page.getByText(/^Version \d+ bereitgestellt/);
    await message.waitFor({ timeout: 30_000 });
    const newVersion = Number(/Version (\d+)/.exec((await message.textContent())!)![1]);
    expect(newVersion).toBeGreaterThan(original.version);
    // the version label follows the message once the process is read again
    const current = page.getByTestId('process-current-version');
    await waitFor('the new version as current', async () => ((await current.textContent()) === `v${newVersion}` ? true : undefined));

    // history and diff
    await page.getByTestId('tab-versions').click();
    await expect(page.getByTestId('draft-history').textContent()).resolves.toContain('Aufgabe umbenannt (Browser-Test)');
    await page.getByTestId('diff-compare').click();
    await page.getByTestId('diff-result').waitFor();
    await screenshot(page, 'po-03-versions');

    // the list shows the new version
    await page.getByTestId('menu-processes').click();
    await waitFor('new version in the list', async () => ((await page.getByTestId(`process-versions-${KEY}`).textContent())?.includes(`v${newVersion}`) ? true : undefined));

    // a new case runs the new version: its task carries the new name
    const res = await submit({ municipality: 1061, applicant: applicant({ firstName: 'Modeler' }), data: { purpose: 'Arbeitgeber', copies: 1 } });
    expect(res.status).toBe(201);
    const clerk = await login('luzern.einwohnerdienste');
    const newTask = await waitForTask(clerk, res.body.reference);
    expect(newTask.name).toBe('Wohnsitz prüfen (neu)');
  });
});

describe('Content-Security-Policy', () => {
  it('was not violated on any page of this file (run last)', () => {
    expect(cspViolations).toEqual([]);
  });
});
