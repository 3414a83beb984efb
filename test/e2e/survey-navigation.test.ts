/// <reference lib="dom" />
// page.evaluate callbacks run in the browser.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import { createApp } from '../../server/api/app.js';
import { seedDemoSurveys } from '../../server/demo/survey.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { axeViolations } from '../helpers/axe.js';
import { artifactsDir, browserSuite, launchBrowser } from '../helpers/browser.js';
import { demoText, estateFrom, repoRoot } from '../helpers/estates.js';
import { ADMIN, pageAs, type SignedIn, signedIn } from '../helpers/signed-in.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
/** 15 January 2027: the 2025 and 2026 campaigns are closed and published, a 2027 one is open. */
const now = Date.UTC(2027, 0, 15, 12);
const estateYaml = demoText()
  .replace(
    'principles:\n',
    'principles:\n  - { id: email-usable, title: Email usable, metric: survey-score, target: 70, scope: { systems: [email] } }\n',
  )
  .replace(
    'surveys:\n',
    'surveys:\n  - { id: usability-2027, title: IT usability survey 2027, opens: 2027-01-01, closes: 2027-03-31, systems: { epr: sus } }\n',
  );

browserSuite('survey list and results: the form, year on year, targets (Chromium)', () => {
  let store: SqliteStores;
  let server: Server;
  let base: string;
  let browser: Browser;
  let admin: SignedIn;

  beforeAll(async () => {
    store = SqliteStores.open(join(tmp(), 'surveys.db'));
    const estate = estateFrom(estateYaml);
    await store.estate.syncEstate(estate, now);
    await seedDemoSurveys(store.survey, estate, now);
    admin = await signedIn(store, ADMIN, now - 60_000);
    const app = createApp({
      store,
      clock: { now: () => now },
      logger: silentLogger,
      estate: () => estate,
      webRoot: join(repoRoot, 'dist', 'web'),
    });
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await store?.close();
  });

  async function open(path: string, width = 1280): Promise<{ page: Page; errors: string[] }> {
    const page = await pageAs(browser, base, admin, { viewport: { width, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${base}${path}`);
    await page.locator('h1').first().waitFor();
    return { page, errors };
  }

  it('links an open campaign in the list to its form', async () => {
    const { page, errors } = await open('/surveys');
    const row = (title: string) => page.locator('tbody tr', { hasText: title });
    await expect(row('IT usability survey 2025').textContent()).resolves.toContain('Closed to answers');
    const answer = row('IT usability survey 2027').getByRole('link', {
      name: 'Answer IT usability survey 2027',
    });
    await expect(answer.getAttribute('href')).resolves.toBe('/survey/usability-2027');
    await answer.click();
    await page.waitForURL(`${base}/survey/usability-2027`);
    await expect(page.locator('h1').textContent()).resolves.toContain('IT usability survey 2027');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('compares year on year from a control on the page, offering only published campaigns', async () => {
    const { page, errors } = await open('/surveys/usability-2026');
    await page.getByTestId('survey-summary').waitFor();
    const select = page.getByLabel('Compare year on year with');
    await expect(select.locator('option').allTextContents()).resolves.toEqual(['IT usability survey 2025']);
    await expect(page.locator('section[aria-labelledby="survey-compare"]').count()).resolves.toBe(0);
    // By keyboard: choose, then press the button.
    await select.selectOption('usability-2025');
    await page.getByRole('button', { name: 'Compare' }).press('Enter');
    await page.waitForURL(`${base}/surveys/usability-2026?compare=usability-2025`);
    // The page is drawn again after it loads: wait for the comparison, then count it.
    const heading = page.getByRole('heading', {
      level: 2,
      name: 'Year on year: compared with usability-2025',
    });
    await heading.waitFor();
    await expect(heading.count()).resolves.toBe(1);
    await expect(select.inputValue()).resolves.toBe('usability-2025');
    await expect(page.getByRole('link', { name: 'Stop comparing' }).getAttribute('href')).resolves.toBe(
      '/surveys/usability-2026',
    );
    expect(errors).toEqual([]);
    await page.close();
  });

  it("draws UMUX-Lite at its SUS equivalent beside SUS, with each system's target", async () => {
    const { page, errors } = await open('/surveys/usability-2026');
    const usability = page.locator('section[aria-labelledby="survey-usability"]');
    await usability.locator('canvas').waitFor();
    await expect(usability.locator('tr#usability-epr').textContent()).resolves.toContain(
      '68.0, Usable systems',
    );
    await expect(usability.locator('tr#usability-email').textContent()).resolves.toContain(
      '70.0 on UMUX-Lite (SUS equivalent 68.4), Email usable',
    );
    await expect(usability.locator('tr#usability-gp-system').textContent()).resolves.toContain('None set');
    const label = (await usability.locator('canvas').getAttribute('aria-label')) ?? '';
    expect(label).toContain('on the SUS scale');
    expect(label).toContain('targets drawn as red lines: Riverside EPR 68.0 and Thamesmail 68.4');
    // Each UMUX-Lite system's bar is labelled as its SUS equivalent.
    await expect(usability.getByTestId('usability-targets').count()).resolves.toBe(1);
    expect(errors).toEqual([]);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: 1280, height: Math.min(height, 1800) });
    await page.waitForTimeout(200);
    await usability.screenshot({ path: join(artifactsDir, 'survey-usability-targets.png') });
    await page.close();
  });

  it('has no axe violations, and fits 390 px, with the control and targets', async () => {
    for (const path of ['/surveys', '/surveys/usability-2026?compare=usability-2025']) {
      const { page } = await open(path, 390);
      await page.waitForLoadState('networkidle');
      expect(await axeViolations(page), path).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
      await page.close();
    }
  }, 120_000);
});
