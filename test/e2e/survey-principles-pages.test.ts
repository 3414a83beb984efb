/**
 * A survey principle's evidence and an organisation's survey gaps in headless Chromium, over the demo
 * estate and its generated survey responses (the same every time): the 2025 campaign rates Riverside
 * EPR at SUS 61.6 from 939 responses, below the `usable` principle's 68, and Riverside answers for it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadEstateFile } from '../../server/config/load.js';
import { seedDemoSurveys } from '../../server/demo/survey.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { axeViolations } from '../helpers/axe.js';
import { browserSuite, launchBrowser } from '../helpers/browser.js';
import { type ServerProcess, startCliServer } from '../helpers/cli.js';
import { demoFile } from '../helpers/estates.js';
import { ADMIN, pageAs, type SignedIn, signedInAt } from '../helpers/signed-in.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();

browserSuite('survey principles on the principle and organisation pages', () => {
  let server: ServerProcess;
  let browser: Browser;
  let admin: SignedIn;

  beforeAll(async () => {
    const config = join(tmp(), 'estate.yaml');
    const db = join(tmp(), 'vantage.db');
    // The 2025 campaign alone, its responses as on 15 January 2026 (complete): the figures never move,
    // whatever today is (a 2026 campaign, once published, would be read instead).
    const demo = parse(readFileSync(demoFile, 'utf8')) as { surveys: { id: string }[] };
    demo.surveys = demo.surveys.filter((survey) => survey.id === 'usability-2025');
    writeFileSync(config, stringify(demo));
    // Nothing listens at port 9: the demo's checks fail quietly; only the survey matters here.
    const loaded = loadEstateFile(config, { VANTAGE_DEMO_TARGETS: '127.0.0.1:9' });
    if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
    const store = SqliteStores.open(db);
    await store.estate.syncEstate(loaded.estate, Date.now());
    await seedDemoSurveys(store.survey, loaded.estate, Date.UTC(2026, 0, 15));
    await store.close();
    server = await startCliServer(['--config', config, '--db', db], 20_000, 0, {
      ...process.env,
      VANTAGE_DEMO_TARGETS: '127.0.0.1:9',
    });
    admin = await signedInAt(db, ADMIN);
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function open(path: string, heading: string, width: number): Promise<Page> {
    const page = await pageAs(browser, server.url, admin, { viewport: { width, height: 900 } });
    await page.goto(new URL(path, server.url).toString());
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    await page.waitForLoadState('networkidle');
    return page;
  }

  it('shows each system’s score, its responses and who answers for it, not minutes a survey has none of', async () => {
    const page = await open('/principles/usable', 'Usable systems', 1280);
    await expect(page.getByTestId('headline').textContent()).resolves.toContain('score 61.6 (target ≥ 68)');
    const row = page.locator('tbody tr', { hasText: 'Riverside EPR' });
    await expect(row.textContent()).resolves.toMatch(
      /Riverside EPR.*Breached.*score 61\.6.*939.*Riverside Hospitals NHS Trust.*system owner/,
    );
    await expect(page.getByRole('heading', { name: 'Whose down minutes' }).count()).resolves.toBe(0);
    await expect(page.locator('main').textContent()).resolves.toContain('never a number');
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it('lists a survey gap of an organisation as the figure below target, without down minutes', async () => {
    const page = await open('/organisations/riverside', 'Riverside Hospitals NHS Trust', 1280);
    const gap = page.locator('section', {
      has: page.getByRole('heading', { level: 3, name: 'Usable systems' }),
    });
    await expect(gap.textContent()).resolves.toContain('Below target in the latest survey published');
    await expect(gap.textContent()).resolves.not.toContain('min down');
    await expect(gap.locator('th').allTextContents()).resolves.not.toContain('Minutes ours');
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it('fits both pages on a 390 px screen', async () => {
    for (const [path, heading] of [
      ['/principles/usable', 'Usable systems'],
      ['/organisations/riverside', 'Riverside Hospitals NHS Trust'],
    ] as const) {
      const page = await open(path, heading, 390);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${path} scrolls sideways at 390 px`).toBeLessThanOrEqual(0);
      await page.close();
    }
  });
});
