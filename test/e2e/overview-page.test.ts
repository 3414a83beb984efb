/// <reference lib="dom" />
// page.evaluate callbacks run in the browser.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import { createApp } from '../../server/api/app.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { axeViolations } from '../helpers/axe.js';
import { artifactsDir, browserSuite, launchBrowser } from '../helpers/browser.js';
import { repoRoot } from '../helpers/estates.js';
import { ADMIN, pageAs, type SignedIn, signedIn } from '../helpers/signed-in.js';
import { useTmpDir } from '../helpers/tmp.js';
import { MINUTE, NOW, overviewEstate, runsRecovered, storeOverviewCase } from '../overview/overview-case.js';

const tmp = useTmpDir();

browserSuite('overview page in Chromium', () => {
  let store: SqliteStores;
  let server: http.Server;
  let base: string;
  let browser: Browser;
  let admin: SignedIn;
  let now = NOW;
  const open = async (path: string, viewport = { width: 1280, height: 800 }) => {
    const page = await pageAs(browser, base, admin, { viewport });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    return { page, errors, go: () => page.goto(`${base}${path}`) };
  };
  const ready = (page: Page) => page.getByTestId('heatmap').waitFor();

  beforeAll(async () => {
    store = SqliteStores.open(join(tmp(), 'overview.db'));
    const estate = overviewEstate();
    await storeOverviewCase(store, estate);
    admin = await signedIn(store, ADMIN, NOW);
    const app = createApp({
      store,
      clock: { now: () => now },
      logger: silentLogger,
      estate: () => estate,
      webRoot: join(repoRoot, 'dist', 'web'),
    });
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await store?.close();
  });

  it('shows the scorecard, heatmap, failing now, silent agents and survey above the fold at 1280 px', async () => {
    const { page, errors, go } = await open('/?period=2h');
    await go();
    await ready(page);
    expect(await page.title()).toBe('Overview – Vantage');
    await expect(page.getByTestId('scorecard-counts').textContent()).resolves.toBe(
      'Whole economy: ✓ 1 met, ▲ 0 at risk, ✕ 2 breached, ○ 0 no data. Before: ✓ 3 met, ▲ 0 at risk, ✕ 0 breached, ○ 0 no data.',
    );
    await expect(page.getByTestId('value-epr-available').textContent()).resolves.toBe('90.000% ≥ 99%');
    await expect(page.getByTestId('change-epr-available').textContent()).resolves.toBe(
      '▼ down 10 points, worse',
    );
    const failing = page.getByTestId('failing').locator('li');
    await expect(failing.allTextContents()).resolves.toEqual([
      '✕ Marsh Lane Centre: 4 systems unreachable since 09:42 Eastfield Mental Health NHS Trust (site host)',
      '✕ Records archive: failing from 4 of 4 vantage points since 10:05 Eastfield Mental Health NHS Trust (system owner)',
    ]);
    await expect(page.getByTestId('silent-agents').textContent()).resolves.toContain(
      'Hill Surgery: last heard 10 minutes ago',
    );
    const survey = page.getByTestId('survey-headline');
    await expect(survey.locator('tr[data-system="epr"]').textContent()).resolves.toBe(
      'Electronic patient record80 (SUS, 30 responses)✓ met (≥ 68)▲ up 20, better',
    );
    await expect(survey.locator('tr[data-system="email"]').textContent()).resolves.toContain(
      'withheld (too few responses)',
    );
    // A cell: its colour, its shape and value, its status in words, and the link to its evidence.
    const cell = page
      .locator('td[data-status]')
      .filter({ has: page.locator('a[data-site="marsh-lane"][data-system="epr"]') });
    await expect(cell.getAttribute('data-status')).resolves.toBe('breached');
    await expect(cell.textContent()).resolves.toBe('✕60.000%, breached');
    await expect(cell.locator('a').getAttribute('href')).resolves.toBe(
      '/principles/epr-available?period=2h&site=marsh-lane&system=epr',
    );
    const background = await cell.evaluate((td) => getComputedStyle(td).backgroundColor);
    expect(background).toBe('rgb(244, 205, 198)');
    await page.screenshot({ path: join(artifactsDir, 'overview-1280.png') });
    for (const name of [
      'Principles scorecard',
      'Failing now',
      'Silent agents',
      'Sites and systems',
      'What staff say',
    ]) {
      const box = await page.getByRole('heading', { level: 2, name }).boundingBox();
      expect(box, name).not.toBeNull();
      expect((box?.y ?? 9_999) + (box?.height ?? 0), `${name} above the fold`).toBeLessThanOrEqual(800);
    }
    const firstCell = await page.locator('td[data-status]').first().boundingBox();
    expect(
      (firstCell?.y ?? 9_999) + (firstCell?.height ?? 0),
      'a heatmap cell above the fold',
    ).toBeLessThanOrEqual(800);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('fits 390 px with no sideways scroll: the heatmap scrolls in its own box', async () => {
    const { page, errors, go } = await open('/?period=2h', { width: 390, height: 844 });
    await go();
    await ready(page);
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(390);
    const box = page.getByRole('region', { name: 'Heatmap' });
    await expect(box.evaluate((el) => getComputedStyle(el).overflowX)).resolves.toBe('auto');
    await expect(box.evaluate((el) => el.getBoundingClientRect().right)).resolves.toBeLessThanOrEqual(390);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(artifactsDir, 'overview-390.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('changes every figure with the period picker', async () => {
    const { page, go } = await open('/?period=2h');
    await go();
    await ready(page);
    await page.getByRole('navigation', { name: 'Period' }).getByRole('link', { name: 'Today' }).click();
    await page.waitForURL(`${base}/?period=today`);
    await ready(page);
    await expect(
      page.getByRole('navigation', { name: 'Period' }).locator('[aria-current]').textContent(),
    ).resolves.toBe('Today');
    // Since midnight: 552 minutes up and 48 down at the four sites (runs began at 08:00).
    await expect(page.getByTestId('value-epr-available').textContent()).resolves.toBe('92.000% ≥ 99%');
    // Yesterday had no runs: nothing to compare with.
    await expect(page.getByTestId('change-epr-available').textContent()).resolves.toBe(
      'no figure to compare',
    );
    await expect(page.getByTestId('overview-period').textContent()).resolves.toContain('24 Nov, 00:00');
    await page.close();
  });

  it('refreshes "failing now" on its own, without reloading, when a system recovers', async () => {
    const { page, go } = await open('/?period=2h');
    await page.clock.install({ time: NOW });
    await go();
    await ready(page);
    await page.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });
    await expect(page.getByTestId('updated').textContent()).resolves.toBe(
      'Updated at 24 Nov, 10:30 (London time); checked again every 60 seconds.',
    );
    await expect(page.getByTestId('failing').locator('li')).toBeDefined();
    await store.results.recordRuns(runsRecovered(NOW, 2));
    now = NOW + 2 * MINUTE;
    await page.clock.runFor(60_000);
    await page.getByTestId('updated').filter({ hasText: '10:32' }).waitFor();
    await expect(page.getByTestId('failing').locator('li').allTextContents()).resolves.toEqual([
      '✕ Marsh Lane Centre: 5 systems unreachable since 09:42 Eastfield Mental Health NHS Trust (site host)',
    ]);
    await expect(
      page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded),
    ).resolves.toBe(true);
    await page.close();
  });

  it('can be used from the keyboard: skip link, then the period picker, each box reachable', async () => {
    const { page, go } = await open('/?period=2h');
    await go();
    await ready(page);
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe(
      'Skip to main content',
    );
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Today');
    // Each box that scrolls takes the focus, so its rows can be scrolled with the arrow keys.
    const focusable = await page.evaluate(() =>
      [...document.querySelectorAll('[role="region"]')].map(
        (el) => `${el.getAttribute('aria-label')}:${el.getAttribute('tabindex')}`,
      ),
    );
    expect(focusable).toEqual([
      'Scorecard by principle:0',
      'Scorecard by organisation:0',
      'Heatmap:0',
      'Survey scores:0',
    ]);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/?period=today`);
    await page.close();
  });

  it('keeps the estate listing at /estate, linked from the header', async () => {
    const { page, go } = await open('/?period=2h');
    await go();
    await ready(page);
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Estate' }).click();
    await page.getByRole('heading', { level: 1, name: 'Estate and responsibilities' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/estate');
    await expect(page.getByTestId('estate-counts').textContent()).resolves.toBe(
      '3 organisations, 4 sites, 5 systems, 5 checks.',
    );
    await page.close();
  });
});
