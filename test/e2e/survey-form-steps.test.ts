/// <reference lib="dom" />
// page.evaluate callbacks run in the browser.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { axeViolations } from '../helpers/axe.js';
import { artifactsDir, browserSuite, launchBrowser } from '../helpers/browser.js';
import { type ServerProcess, startCliServer } from '../helpers/cli.js';

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Three organisations (one hosting no site), three sites; a campaign open today rating two systems. */
const estateYaml = () => `organisations:
  - { id: riverside, name: Riverside Hospitals NHS Trust, kind: acute }
  - { id: eastfield, name: Eastfield Mental Health NHS Trust, kind: mental-health }
  - { id: thames-icb, name: Thames ICB, kind: commissioner }
sites:
  - { id: st-annes, name: St Anne's Hospital, host: riverside }
  - { id: kings-road, name: Kings Road Clinic, host: riverside }
  - { id: marsh-lane, name: Marsh Lane Centre, host: eastfield }
systems:
  - { id: epr, name: Riverside EPR, owner: riverside }
  - { id: rio, name: RiO, owner: eastfield }
surveys:
  - id: usability
    title: IT usability survey (steps)
    opens: ${isoDay(Date.now() - 10 * DAY)}
    closes: ${isoDay(Date.now() + 10 * DAY)}
    systems: { epr: sus, rio: umux-lite }
`;

browserSuite('the survey form: progress, sites by organisation, and no system used (Chromium)', () => {
  let server: ServerProcess;
  let browser: Browser;
  let dir: string;
  let db: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vantage-survey-steps-'));
    const config = join(dir, 'estate.yaml');
    db = join(dir, 'vantage.db');
    writeFileSync(config, estateYaml());
    server = await startCliServer(['--config', config, '--db', db]);
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const progress = async (page: Page) => ({
    text: await page.locator('#form-progress').textContent(),
    value: await page.locator('progress').getAttribute('value'),
    max: await page.locator('progress').getAttribute('max'),
  });
  const siteOptions = (page: Page) =>
    page.getByLabel('Which site do you mostly work at?').locator('option').allTextContents();
  const rows = () => {
    const sqlite = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return sqlite.prepare('SELECT * FROM survey_responses ORDER BY id').all() as Record<string, unknown>[];
    } finally {
      sqlite.close();
    }
  };

  it('shows the sites of the organisation chosen, and every site one step away', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 900 } });
    await page.goto(`${server.url}survey/usability/about-you`);
    await page.getByRole('heading', { level: 1, name: 'About you' }).waitFor();
    await expect(progress(page)).resolves.toEqual({
      text: 'Section 1 of 4: About you',
      value: '1',
      max: '4',
    });
    await page
      .getByLabel('Which organisation do you work for?')
      .selectOption({ label: 'Riverside Hospitals NHS Trust' });
    await expect(siteOptions(page)).resolves.toEqual([
      'Select one',
      "St Anne's Hospital",
      'Kings Road Clinic',
      'A site of another organisation…',
    ]);
    await page
      .getByLabel('Which organisation do you work for?')
      .selectOption({ label: 'Eastfield Mental Health NHS Trust' });
    await expect(siteOptions(page)).resolves.toEqual([
      'Select one',
      'Marsh Lane Centre',
      'A site of another organisation…',
    ]);
    // Staff work at other organisations' sites too: every site, by its host.
    await page
      .getByLabel('Which site do you mostly work at?')
      .selectOption({ label: 'A site of another organisation…' });
    await expect(siteOptions(page)).resolves.toEqual([
      'Select one',
      "St Anne's Hospital",
      'Kings Road Clinic',
      'Marsh Lane Centre',
    ]);
    await page.getByLabel('Which site do you mostly work at?').selectOption({ label: "St Anne's Hospital" });
    // An organisation hosting no site: every site.
    await page.getByLabel('Which organisation do you work for?').selectOption({ label: 'Thames ICB' });
    await expect(siteOptions(page)).resolves.toEqual([
      'Select one',
      "St Anne's Hospital",
      'Kings Road Clinic',
      'Marsh Lane Centre',
    ]);
    await expect(page.getByLabel('Which site do you mostly work at?').inputValue()).resolves.toBe('st-annes');
    expect(await axeViolations(page)).toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(artifactsDir, 'survey-form-about-you-390.png'), fullPage: true });
    await page.close();
  });

  it('lists the chosen organisation’s sites first without JavaScript, once it is known', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}survey/usability/about-you`);
    // Not known yet: every site, grouped by the organisation that hosts it.
    const groups = () =>
      page.locator('#site optgroup').evaluateAll((list) => list.map((g) => (g as HTMLOptGroupElement).label));
    await expect(groups()).resolves.toEqual([
      'Sites of Riverside Hospitals NHS Trust',
      'Sites of Eastfield Mental Health NHS Trust',
    ]);
    // Known (the page shown again, here for a missing answer): its sites first, then the others.
    await page.getByLabel('Which organisation do you work for?').selectOption('eastfield');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('There is a problem').waitFor();
    await expect(groups()).resolves.toEqual([
      'Sites of Eastfield Mental Health NHS Trust',
      "Other organisations' sites",
    ]);
    await expect(siteOptions(page)).resolves.toEqual([
      'Select one',
      'Marsh Lane Centre',
      "St Anne's Hospital",
      'Kings Road Clinic',
    ]);
    await context.close();
  });

  it('lets someone who uses none of the rated systems answer about their site, showing progress', async () => {
    const before = rows().length;
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    page.setDefaultTimeout(8_000);
    await page.goto(`${server.url}survey/usability/about-you`);
    await page.getByLabel('Which organisation do you work for?').selectOption('eastfield');
    await page.getByLabel('Which site do you mostly work at?').selectOption('marsh-lane');
    await page.getByLabel('Admin and clerical').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    for (const system of ['Riverside EPR', 'RiO']) {
      await page.getByRole('heading', { level: 1, name: `Do you use ${system}?` }).waitFor();
      await expect(progress(page)).resolves.toEqual({
        text: 'Section 2 of 4: The systems you use',
        value: '2',
        max: '4',
      });
      await page.getByLabel('No').check();
      await page.getByRole('button', { name: 'Continue' }).click();
    }
    await page.getByRole('heading', { level: 1, name: 'IT at your site' }).waitFor();
    await expect(progress(page)).resolves.toEqual({
      text: 'Section 3 of 4: IT at your site',
      value: '3',
      max: '4',
    });
    await page.locator('input[type=radio][name="infra.wifiEase"][value="2"]').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { level: 1, name: 'Check your answers' }).waitFor();
    await expect(progress(page)).resolves.toEqual({
      text: 'Section 4 of 4: Check your answers',
      value: '4',
      max: '4',
    });
    await expect(page.locator('.nhsuk-error-summary').count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Send answers' }).click();
    await page.getByRole('heading', { level: 1, name: 'Thank you' }).waitFor();
    const stored = rows();
    expect(stored).toHaveLength(before + 1);
    const row = stored.at(-1) as Record<string, unknown>;
    expect(row).toMatchObject({ organisation: 'eastfield', site: 'marsh-lane' });
    expect(JSON.parse(String(row.answers))).toEqual({ infra: { 'infra.wifiEase': 2 } });
    await context.close();
  });
});
