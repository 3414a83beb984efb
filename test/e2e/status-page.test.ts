/// <reference lib="dom" />
// page.evaluate callbacks run in the browser.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import { createApp } from '../../server/api/app.js';
import type { Estate } from '../../server/config/schema.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { axeViolations } from '../helpers/axe.js';
import { artifactsDir, browserSuite, launchBrowser } from '../helpers/browser.js';
import { repoRoot } from '../helpers/estates.js';
import { ADMIN, pageAs, type SignedIn, signedIn } from '../helpers/signed-in.js';
import { secretsOfStatusEstate, statusEstate, statusNow, statusRuns } from '../helpers/status-estate.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();

/*
 * The status estate of test/helpers/status-estate.ts, its states known by hand, served with the built
 * dashboard and the clock at 10:30; the page is open to anyone (`access.public: [status]`).
 */
browserSuite('status page (Chromium)', () => {
  let store: SqliteStores;
  let estate: Estate;
  let server: Server;
  let base: string;
  let browser: Browser;
  let admin: SignedIn;
  let now = statusNow;

  beforeAll(async () => {
    store = SqliteStores.open(join(tmp(), 'status.db'));
    estate = statusEstate();
    estate.access.public = ['status'];
    await store.estate.syncEstate(estate, statusNow);
    await store.results.recordRuns(statusRuns());
    admin = await signedIn(store, ADMIN, statusNow - 60_000);
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
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await store?.close();
  });

  async function open(width: number, who?: SignedIn): Promise<{ page: Page; errors: string[] }> {
    const options = { viewport: { width, height: 900 } };
    const page = who ? await pageAs(browser, base, who, options) : await browser.newPage(options);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${base}/status`);
    await page.getByRole('heading', { level: 1, name: 'Status' }).waitFor();
    await page.getByTestId('updated-at').waitFor();
    return { page, errors };
  }

  const placeItems = (page: Page, heading: string) =>
    page
      .locator('section', { has: page.getByRole('heading', { level: 3, name: heading }) })
      .locator('li')
      .allTextContents();

  it('tells anyone what is down, where, since when, and the planned work, in words and shapes', async () => {
    const { page, errors } = await open(1280);
    await expect(page.getByTestId('updated-at').textContent()).resolves.toBe(
      'Updated at 10:30. This page updates itself every 30 seconds.',
    );
    await expect(page.getByTestId('incidents').locator('li').allTextContents()).resolves.toEqual([
      '✕Electronic patient record is not responding from any site since 09:42.',
      '✕Marsh Lane Centre cannot reach 2 systems since 09:50.',
    ]);
    await expect(placeItems(page, 'Marsh Lane Centre')).resolves.toEqual([
      'Electronic patient record✕Downsince 24 Nov, 09:45',
      'Email✕Downsince 24 Nov, 09:50',
      'PACS image viewer✕Downsince 24 Nov, 10:05',
    ]);
    await expect(placeItems(page, "St Anne's Hospital")).resolves.toEqual([
      'Electronic patient record✕Downsince 24 Nov, 09:42',
      'Email✓Up',
      'PACS image viewer▲Slow',
    ]);
    await expect(placeItems(page, 'Oak View Surgery')).resolves.toContain('Staff rota◆Maintenance');
    await expect(placeItems(page, 'From the Vantage server')).resolves.toEqual(['Network core?Unknown']);
    await expect(page.getByTestId('maintenance-now').textContent()).resolves.toBe(
      'Rota upgrade24 Nov, 10:00 to 11:00Affects Staff rota.',
    );
    await expect(page.getByTestId('maintenance-next').locator('li').allTextContents()).resolves.toEqual([
      'Surgery network works26 Nov, 19:00 to 21:00Affects everything at Oak View Surgery.',
      'Email server patching28 Nov, 06:00 to 08:00Affects Email.',
    ]);
    // Nobody is signed in: nothing links to pages they cannot open, and no target, host or id is shown.
    await expect(page.locator('#maincontent a').count()).resolves.toBe(0);
    const html = await page.content();
    for (const secret of secretsOfStatusEstate) expect(html, secret).not.toContain(secret);
    // Linked from the header, and marked as the page shown.
    await expect(
      page
        .getByRole('navigation', { name: 'Menu' })
        .getByRole('link', { name: 'Status' })
        .getAttribute('aria-current'),
    ).resolves.toBe('page');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(artifactsDir, 'status-1280.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('fits 390 px with no sideways scroll, and axe finds nothing', async () => {
    const { page, errors } = await open(390);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(artifactsDir, 'status-390.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('links each system to its page for someone signed in', async () => {
    const { page } = await open(1280, admin);
    await expect(
      page
        .locator('section', { has: page.getByRole('heading', { name: 'Marsh Lane Centre' }) })
        .getByRole('link', { name: 'Email' })
        .getAttribute('href'),
    ).resolves.toBe('/systems/mail');
    await page.close();
  });

  it('updates itself after 30 seconds, without reloading', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.clock.install({ time: statusNow });
    await page.goto(`${base}/status`);
    await page.getByTestId('incidents').waitFor();
    // A minute later Marsh Lane answers again: only the EPR is down, at the other two sites.
    now = statusNow + 60_000;
    await store.results.recordRuns(
      ['epr-login', 'mail-owa', 'pacs-view'].map((checkId) => ({
        checkId,
        vantagePoint: 'marsh-lane',
        startedAt: statusNow,
        state: 'ok' as const,
        phases: null,
        status: 200,
      })),
    );
    const marker = await page.evaluate(() => {
      (window as unknown as { marker: string }).marker = 'same page';
      return 'same page';
    });
    await page.clock.runFor(30_000);
    await expect
      .poll(() => page.getByTestId('updated-at').textContent())
      .toBe('Updated at 10:31. This page updates itself every 30 seconds.');
    await expect(page.getByTestId('incidents').locator('li').allTextContents()).resolves.toEqual([
      "✕Electronic patient record is not responding from 2 of 3 places (St Anne's Hospital, Oak View Surgery) since 09:42.",
    ]);
    await expect(page.evaluate(() => (window as unknown as { marker: string }).marker)).resolves.toBe(marker);
    await page.close();
  });
});
