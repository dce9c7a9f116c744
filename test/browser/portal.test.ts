/**
 * The residents' portal (/portal/) in a real browser against the real server, broker and (for
 * signing in) the demo OpenID provider: catalogue search, anonymous submission with a PDF,
 * receipt and status page, sign-in and Meine Gesuche, withdrawal; axe on every page,
 * screenshots at 360 and 1440 px, no horizontal scrolling at 360 px.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import {
  annaMuster,
  applicant,
  baseUrl,
  call,
  claimAndComplete,
  guideDogWaitingForAnswer,
  login,
  mailsMentioning,
  openTasksOf,
  submitGuideDog,
  uniqueChip,
  waitFor,
  waitForNamedTask,
} from '../integration/client';
import { cspViolations, launchBrowser, newPage, screenshot } from './browser';

// page.evaluate callbacks run in the browser (the test project has no DOM types)
declare const document: any, window: any;

let browser: Browser;
const axeFigures: Record<string, { violations: number; serious: number; critical: number; rules: string[] }> = {};

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  console.log('[portal] axe figures per page (violations / serious / critical):');
  for (const [name, f] of Object.entries(axeFigures)) console.log(`  ${name}: ${f.violations} / ${f.serious} / ${f.critical}${f.rules.length ? ` (${f.rules.join(', ')})` : ''}`);
});

const portal = (path = '') => `${baseUrl()}/portal/${path}`;

/** A tiny but real PDF. */
function samplePdf(): Buffer {
  return Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
}

/** axe-core on the page as it is: no serious or critical violation; the counts are kept for the report. */
async function axe(page: Page, name: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = result.violations.filter((v) => v.impact === 'serious');
  const critical = result.violations.filter((v) => v.impact === 'critical');
  axeFigures[name] = { violations: result.violations.length, serious: serious.length, critical: critical.length, rules: result.violations.map((v) => `${v.id}:${v.impact}`) };
  const details = [...serious, ...critical].map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
  expect(details, `axe on ${name}`).toEqual([]);
}

/** Screenshots at 1440 and 360 px; at 360 px the page must not scroll sideways. */
async function layouts(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 1440, height: 900 });
  await screenshot(page, `portal-${name}-1440`);
  await page.setViewportSize({ width: 360, height: 800 });
  await page.waitForTimeout(200);
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth, `${name}: no horizontal scrolling at 360 px`).toBeLessThanOrEqual(innerWidth);
  await screenshot(page, `portal-${name}-360`);
  await page.setViewportSize({ width: 1440, height: 900 });
}

/** form-js fields drawn like the portal's own: nothing clipped by its bordered group, checkboxes a small box left of their label. */
async function formJsLayoutProblems(form: Locator): Promise<string[]> {
  return form.evaluate((root) => {
    const problems: string[] = [];
    const box = (e: { getBoundingClientRect(): { top: number; bottom: number; left: number; right: number; width: number; height: number } }) => e.getBoundingClientRect();
    for (const group of root.querySelectorAll('.fjs-input-group')) {
      const g = box(group);
      if (g.height < 44) problems.push(`input group ${Math.round(g.height)} px high`);
      for (const input of group.querySelectorAll('input.fjs-input')) {
        const i = box(input);
        if (i.bottom > g.bottom + 0.5 || i.top < g.top - 0.5) problems.push(`${input.id} sticks out of its group`);
      }
    }
    for (const check of root.querySelectorAll('input[type=checkbox], input[type=radio]')) {
      const c = box(check);
      const label = root.querySelector(`label[for="${check.id}"]`);
      if (c.width > 32 || c.height > 32) problems.push(`${check.id} is ${Math.round(c.width)}x${Math.round(c.height)}`);
      if (!label || box(label).left < c.right) problems.push(`${check.id}: label not beside the box`);
      else if (label.scrollWidth > label.clientWidth + 1) problems.push(`${check.id}: label cut off`);
    }
    return problems;
  });
}

async function checkPage(page: Page, name: string): Promise<void> {
  await axe(page, name);
  await layouts(page, name);
}

/** Visible service cards on the catalogue. */
async function visibleServices(page: Page): Promise<string[]> {
  return page.locator('[data-testid^="service-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('service-'.length)));
}

async function search(page: Page, query: string): Promise<string[]> {
  await page.getByLabel('Dienstleistung suchen').fill(query);
  await page.waitForTimeout(50);
  return visibleServices(page);
}

async function fillApplicant(page: Page, who: ReturnType<typeof applicant>): Promise<void> {
  const fillIfEditable = async (label: string, value: string) => {
    const input = page.getByLabel(label, { exact: true });
    if ((await input.getAttribute('readonly')) === null) await input.fill(value);
  };
  await fillIfEditable('Vorname', who.firstName as string);
  await fillIfEditable('Nachname', who.lastName as string);
  await fillIfEditable('Geburtsdatum', (who.dateOfBirth as string).split('-').reverse().join('.'));
  const address = who.address as Record<string, string>;
  await page.getByLabel('E-Mail-Adresse').fill(who.email as string);
  await page.getByLabel('Strasse', { exact: true }).fill(address.street!);
  await page.getByLabel('Hausnummer').fill(address.houseNumber!);
  await page.getByLabel('Postleitzahl').fill(address.postalCode!);
  await page.getByLabel('Ort', { exact: true }).fill(address.town!);
}

describe("residents' portal", () => {
  it('catalogue: every service with its facts, grouped; search forgives umlauts and ss/ß; form-js is not loaded', async () => {
    const page = await newPage(browser);
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(r.url());
    });
    await page.goto(portal());
    await page.getByRole('heading', { level: 1, name: 'Dienstleistungen' }).waitFor();
    const services = (await call('GET', '/api/v1/services')).body as Array<{ key: string }>;
    await page.locator('[data-testid^="service-"]').first().waitFor();
    expect((await visibleServices(page)).sort()).toEqual(services.map((s) => s.key).sort());
    await expect(page.locator('h1').count()).resolves.toBe(1);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('de-CH');
    const card = page.getByTestId('service-hundeanmeldung');
    await expect(card.textContent()).resolves.toMatch(/CHF \d+\.\d\d/);
    await expect(card.textContent()).resolves.toMatch(/in der Regel \d+ Arbeitstage?/);
    await expect(card.textContent()).resolves.toMatch(/ohne Anmeldung|Anmeldung nötig|Anmeldung mit geprüfter Identität/);
    await expect(page.getByTestId('service-wohnsitzbestaetigung').textContent()).resolves.toContain('Anmeldung mit geprüfter Identität');
    await expect(page.getByRole('heading', { level: 2, name: 'Tiere' }).count()).resolves.toBe(1);
    await expect(page.getByRole('heading', { level: 2, name: 'Wohnen und Aufenthalt' }).count()).resolves.toBe(1);
    await checkPage(page, 'catalogue');

    expect(await search(page, 'hund')).toEqual(['hundeanmeldung']);
    expect(await search(page, 'HUND')).toEqual(['hundeanmeldung']);
    expect(await search(page, 'Strasse')).toContain('anwohnerparkkarte');
    expect(await search(page, 'straße')).toEqual(await search(page, 'strasse'));
    expect(await search(page, 'wohnsitzbestaetigung')).toEqual(['wohnsitzbestaetigung']);
    expect(await search(page, 'Wohnsitzbestätigung')).toEqual(['wohnsitzbestaetigung']);
    expect(await search(page, 'Steuererklaerung')).toContain('fristerstreckung-steuern');
    expect(await search(page, 'xyzzy')).toEqual([]);
    await page.getByText('Keine Dienstleistung passt zu «xyzzy».').waitFor();

    // English on demand; lang follows
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Services' }).waitFor();
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await page.getByRole('button', { name: 'Auf Deutsch wechseln' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dienstleistungen' }).waitFor();

    expect(
      scripts.some((u) => /FormJs/i.test(u)),
      scripts.join('\n'),
    ).toBe(false);
    await page.context().close();
  });

  it('anonymous submission of a service without sign-in: error summary, municipality from the postcode, PDF with progress, receipt with hashes, status page from the link (token only in the fragment)', async () => {
    const services = (await call('GET', '/api/v1/services')).body as Array<{ key: string; identity?: string }>;
    expect(services.find((s) => s.key === 'hundeanmeldung')?.identity ?? 'none').toBe('none');
    const page = await newPage(browser);
    const urls: string[] = [];
    page.on('request', (r) => urls.push(r.url()));
    await page.goto(portal());
    await page.getByRole('link', { name: 'Hundeanmeldung' }).click();
    await page.getByRole('heading', { level: 1, name: 'Hundeanmeldung' }).waitFor();
    await page.getByLabel('AHV-Nummer').waitFor(); // form-js, lazily loaded
    expect(urls.some((u) => /FormJs/i.test(u))).toBe(true);

    // empty form: the summary lists the form-js fields and ours, and takes the focus
    await page.getByRole('button', { name: 'Gesuch einreichen' }).click();
    const summary = page.locator('.error-summary');
    await summary.waitFor();
    await expect(summary.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await expect(summary.textContent()).resolves.toContain('Vorname');
    await expect(summary.textContent()).resolves.toContain('AHV-Nummer: Bitte ausfüllen.');
    await expect(page.getByTestId('service-form').textContent()).resolves.not.toContain('Field is required');
    await axe(page, 'service-form-errors');
    // the summary's link moves the focus to the field
    await summary.getByRole('link', { name: /Vorname/ }).click();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('applicant-firstName');

    const form = page.getByTestId('service-form');
    await form.getByLabel('AHV-Nummer').fill('756.1234.5678.97');
    await form.getByLabel('Name des Hundes').fill('Bello');
    await form.getByLabel('Rasse').fill('Labrador');
    const dogBirth = form.getByLabel('Geburtsdatum des Hundes');
    await expect(dogBirth.getAttribute('placeholder')).resolves.toBe('TT.MM.JJJJ');
    for (const width of [360, 1440]) {
      await page.setViewportSize({ width, height: 900 });
      await expect(formJsLayoutProblems(form), `form-js at ${width} px`).resolves.toEqual([]);
    }
    await dogBirth.fill('15.01.2024');
    await dogBirth.press('Enter');
    await form.getByLabel('Mikrochip-Nummer').fill(uniqueChip()); // a chip registered before is refused
    const who = applicant({ firstName: 'Portal', email: 'portal@example.ch' });
    await fillApplicant(page, who);
    await expect(page.getByTestId('municipality-chosen').textContent()).resolves.toContain('Luzern');

    // a postcode shared by several municipalities asks which one
    const municipalities = (await call('GET', '/api/v1/municipalities')).body as Array<{ bfsNumber: number; name: string; postalCodes: string[] }>;
    const shared = municipalities.flatMap((m) => m.postalCodes).find((code, _, all) => all.filter((c) => c === code).length > 1);
    if (shared) {
      await page.getByLabel('Postleitzahl').fill(shared);
      await page.getByLabel('Ort', { exact: true }).fill('Irgendwo');
      const select = page.locator('select#municipality');
      await select.waitFor();
      const options = await select.locator('option').count();
      expect(options).toBe(1 + municipalities.filter((m) => m.postalCodes.includes(shared)).length);
      await page.getByLabel('Postleitzahl').fill('6003');
      await page.getByLabel('Ort', { exact: true }).fill('Luzern');
      await page.getByTestId('municipality-chosen').waitFor();
    }

    const pdf = samplePdf();
    await page.getByLabel('Dateien hinzufügen').setInputFiles([{ name: 'impfausweis.pdf', mimeType: 'application/pdf', buffer: pdf }]);
    await page.getByTestId('file-list').getByText('impfausweis.pdf').waitFor();
    // a file of the wrong type is refused before upload
    await page.getByLabel('Dateien hinzufügen').setInputFiles([{ name: 'notiz.txt', mimeType: 'text/plain', buffer: Buffer.from('hallo') }]);
    await page.getByText('notiz.txt: erlaubt sind PDF, PNG und JPEG.').waitFor();
    await checkPage(page, 'service-form');

    await page.getByRole('button', { name: 'Gesuch einreichen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Ihr Gesuch ist eingegangen' }).waitFor();
    const reference = (await page.getByTestId('receipt-reference').textContent())!;
    expect(reference).toMatch(/^LU-\d{4}-\d{6}$/);
    await expect(page.getByTestId('receipt-time').textContent()).resolves.toMatch(/^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}$/);
    await expect(page.getByTestId('receipt-data-hash').textContent()).resolves.toMatch(/^[0-9a-f]{64}$/);
    await expect(page.getByTestId('receipt-attachment').textContent()).resolves.toContain(crypto.createHash('sha256').update(pdf).digest('hex'));
    const token = (await page.getByTestId('access-code').textContent())!;
    expect(token.length).toBeGreaterThan(20);
    await checkPage(page, 'receipt');

    await page.getByTestId('status-link').click();
    await page.getByRole('heading', { level: 1, name: `Gesuch ${reference}` }).waitFor();
    expect(new URL(page.url()).hash).toBe(`#token=${token}`);
    await expect(page.getByTestId('timeline').textContent()).resolves.toContain('Gesuch eingegangen');
    await expect(page.getByTestId('case-status').textContent()).resolves.toMatch(/^(eingegangen|in Bearbeitung|abgeschlossen|wartet auf Ihre Antwort)$/);
    await checkPage(page, 'status');

    // the access token never travelled in a URL to the server
    expect(urls.filter((u) => u.includes(token))).toEqual([]);
    // a fresh browser opens the link of the receipt e-mail the server sent (no token in it) and is asked for the access code
    const mail = await waitFor('receipt mail', async () => mailsMentioning(reference)[0]);
    const mailLink = /https?:\/\/\S+\/portal\/gesuche\/LU-\d{4}-\d{6}/.exec(mail)?.[0];
    expect(mailLink).toBe(portal(`gesuche/${reference}`));
    const fresh = await newPage(browser);
    await fresh.goto(mailLink!);
    await fresh.getByLabel('Zugangscode').fill(token);
    await fresh.getByRole('button', { name: 'Gesuch anzeigen' }).click();
    await expect(fresh.getByTestId('timeline').textContent()).resolves.toContain('Gesuch eingegangen');
    await checkPage(fresh, 'status-access-code');
    await fresh.context().close();
    await page.context().close();
  });

  it('a dog kept in another municipality: the server offers the keeping place’s municipalities and the resident picks one (Hundegesetz § 5)', async () => {
    const page = await newPage(browser);
    await page.goto(portal('dienstleistungen/hundeanmeldung'));
    const form = page.getByTestId('service-form');
    await form.getByLabel('AHV-Nummer').waitFor();
    await form.getByLabel('AHV-Nummer').fill('756.1234.5678.97');
    await form.getByLabel('Name des Hundes').fill('Hofhund');
    await form.getByLabel('Rasse').fill('Sennenhund');
    await form.getByLabel('Geburtsdatum des Hundes').fill('15.01.2024');
    await form.getByLabel('Geburtsdatum des Hundes').press('Enter');
    await form.getByLabel('Mikrochip-Nummer').fill(uniqueChip());
    await fillApplicant(page, applicant({ firstName: 'Hofhund', email: 'hof@example.ch' }));
    await expect(page.getByTestId('municipality-chosen').textContent()).resolves.toContain('Luzern');
    // the keeping place's fields (inside the form-js form; the applicant's own address has the same labels)
    await form.getByLabel('Der Hund wird nicht an meiner Wohnadresse gehalten').check();
    await form.getByRole('textbox', { name: 'Strasse', exact: true }).fill('Hofweg');
    await form.getByRole('textbox', { name: 'PLZ', exact: true }).fill('6032');
    await form.getByRole('textbox', { name: 'Ort', exact: true }).fill('Emmen');
    await page.getByRole('button', { name: 'Gesuch einreichen' }).click();
    // the owner's Luzern is not where the dog is kept: the server names the place and its municipalities
    const select = page.locator('select#municipality');
    await select.waitFor();
    await expect(page.locator('.error-summary').textContent()).resolves.toContain('Der angegebene Ort (6032 Emmen)');
    expect(await select.locator('option').allTextContents()).toEqual(expect.arrayContaining(['Emmen', 'Ebikon']));
    await select.selectOption({ label: 'Emmen' });
    await page.getByRole('button', { name: 'Gesuch einreichen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Ihr Gesuch ist eingegangen' }).waitFor();
    const reference = (await page.getByTestId('receipt-reference').textContent())!;
    const admin = await login('admin');
    expect((await call('GET', `/api/cases/${reference}`, { token: admin })).body.municipality).toBe(1024);
    await page.context().close();
  });

  it('signed in as anna.muster through the provider: residence certificate with the name locked from the identity, Meine Gesuche, case page until completed, the PDF downloaded', async () => {
    const page = await newPage(browser);
    await page.goto(portal('dienstleistungen/wohnsitzbestaetigung'));
    await page.getByRole('heading', { level: 1, name: 'Wohnsitzbestätigung' }).waitFor();
    // a verified service starts with "Anmelden", no form
    const gate = page.getByTestId('sign-in-needed');
    await gate.waitFor();
    await expect(page.getByRole('button', { name: 'Gesuch einreichen' }).count()).resolves.toBe(0);
    await checkPage(page, 'service-sign-in-needed');
    await gate.getByRole('link', { name: 'Anmelden' }).click();

    // the provider's own login page
    await page.locator('input[name="username"]').fill('anna.muster');
    await page.locator('input[name="password"]').fill('demo1234');
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.waitForURL(/\/portal\/dienstleistungen\/wohnsitzbestaetigung/);
    await page.getByText('Angemeldet als Anna Muster').waitFor();

    const firstName = page.getByLabel('Vorname', { exact: true });
    await expect(firstName.inputValue()).resolves.toBe('Anna');
    await expect(firstName.getAttribute('readonly')).resolves.not.toBeNull();
    await expect(page.getByLabel('Geburtsdatum').inputValue()).resolves.toBe('12.04.1985');
    await page.getByLabel('Anzahl Exemplare').waitFor();
    await fillApplicant(page, annaMuster());
    await checkPage(page, 'service-form-signed-in');
    await page.getByRole('button', { name: 'Gesuch einreichen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Ihr Gesuch ist eingegangen' }).waitFor();
    const reference = (await page.getByTestId('receipt-reference').textContent())!;

    await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Meine Gesuche' }).click();
    await page.getByRole('heading', { level: 1, name: 'Meine Gesuche' }).waitFor();
    const mine = page.getByTestId('my-cases');
    await mine.getByText(reference).waitFor();
    await expect(mine.locator('li', { hasText: reference }).textContent()).resolves.toContain('Wohnsitzbestätigung');
    await checkPage(page, 'my-cases');

    await mine.locator('li', { hasText: reference }).getByRole('link', { name: 'Wohnsitzbestätigung' }).click();
    await page.getByRole('heading', { level: 1, name: `Gesuch ${reference}` }).waitFor();
    // the page follows the case by itself until the register lookup has produced the certificate
    await expect.poll(() => page.getByTestId('case-status').textContent(), { timeout: 60_000, interval: 1000 }).toBe('abgeschlossen');
    const documents = page.getByTestId('documents');
    await documents.waitFor();
    await checkPage(page, 'case-completed');
    const [download] = await Promise.all([page.waitForEvent('download'), documents.getByRole('button').first().click()]);
    const file = await download.path();
    const content = (await import('node:fs')).readFileSync(file!);
    expect(content.subarray(0, 4).toString('latin1')).toBe('%PDF');
    expect(download.suggestedFilename()).toMatch(/\.pdf$/i);
    await page.context().close();
  });

  it('a clerk\'s question answered in the portal with text and a PDF: the clerk sees the file on the case and completes the task, the page shows "abgeschlossen"', async () => {
    const { reference, accessToken, clerk, task } = await guideDogWaitingForAnswer('Rückfrage');

    const page = await newPage(browser);
    await page.goto(portal(`gesuche/${reference}#token=${encodeURIComponent(accessToken)}`));
    await page.getByRole('heading', { level: 2, name: 'Offene Fragen' }).waitFor();
    await expect(page.getByTestId('case-status').textContent()).resolves.toBe('wartet auf Ihre Antwort');
    await page.getByText('Bitte senden Sie uns den Ausweis der Blindenführhundeschule.').waitFor();
    await page.getByLabel('Ihre Antwort').fill('Der Ausweis liegt bei.');
    const pdf = samplePdf();
    await page.getByLabel('Dateien beilegen (optional)').setInputFiles([{ name: 'ausweis.pdf', mimeType: 'application/pdf', buffer: pdf }]);
    await checkPage(page, 'status-question');
    await page.getByRole('button', { name: 'Antwort senden' }).click();
    await page.getByText('Ihre Antwort ist eingegangen.').first().waitFor();

    // the clerk's view of the case: the answer with its file
    const dossier = (await call('GET', `/api/cases/${reference}`, { token: clerk })).body;
    expect(dossier.infoRequests[0]).toMatchObject({ status: 'answered', answer: 'Der Ausweis liegt bei.' });
    expect(dossier.infoRequests[0].attachments).toEqual([expect.objectContaining({ name: 'ausweis.pdf', contentType: 'application/pdf', size: pdf.length })]);
    const again = await waitFor('task back', async () => (await openTasksOf(clerk, reference)).find((t) => t.name === 'Steuerbefreiung prüfen' && t.id !== task.id));
    expect((await claimAndComplete(clerk, again.id, { exemptionApproved: true, comment: 'Ausweis geprüft' })).status).toBe(200);
    // four-eyes: another person releases the approved exemption
    const lead = await login('luzern.teamlead');
    const release = await waitForNamedTask(lead, reference, 'Steuerbefreiung freigeben');
    expect((await claimAndComplete(lead, release.id, { exemptionReleased: true })).status).toBe(200);
    await expect.poll(() => page.getByTestId('case-status').textContent(), { timeout: 60_000, interval: 1000 }).toBe('abgeschlossen');
    await page.context().close();
  });

  it('withdrawal asks for confirmation; cancelled nothing happens, confirmed the status is "zurückgezogen"', async () => {
    // a dog whose tax exemption a clerk must decide: the case stays open
    const { reference, accessToken } = await submitGuideDog('Rückzug');
    const page = await newPage(browser);
    await page.goto(portal(`gesuche/${reference}#token=${encodeURIComponent(accessToken)}`));
    await page.getByRole('heading', { level: 1, name: `Gesuch ${reference}` }).waitFor();

    await page.getByRole('button', { name: 'Gesuch zurückziehen' }).click();
    const dialog = page.getByRole('dialog', { name: 'Gesuch wirklich zurückziehen?' });
    await dialog.waitFor();
    await axe(page, 'withdrawal-dialog');
    await dialog.getByRole('button', { name: 'Abbrechen' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await call('GET', `/api/v1/submissions/${reference}`, { token: accessToken })).body.status).not.toBe('withdrawn');

    // by keyboard: the focus is back on the opener; Enter opens, Tab to confirm
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Gesuch zurückziehen');
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Gesuch zurückziehen' }).focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => page.getByTestId('case-status').textContent(), { timeout: 10_000 }).toBe('zurückgezogen');
    await page.getByText('Ihr Gesuch ist zurückgezogen.').waitFor();
    await expect(page.getByTestId('timeline').textContent()).resolves.toContain('Gesuch zurückgezogen');
    expect((await call('GET', `/api/v1/submissions/${reference}`, { token: accessToken })).body.status).toBe('withdrawn');
    await checkPage(page, 'status-withdrawn');
    await page.context().close();
  });
});

describe('Content-Security-Policy', () => {
  it('was not violated on any page of this file (run last)', () => {
    expect(cspViolations).toEqual([]);
  });
});
