/// <reference lib="dom" />
// page.evaluate callbacks run in the browser.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { axeViolations } from '../helpers/axe.js';
import { artifactsDir, browserSuite, launchBrowser } from '../helpers/browser.js';
import { type ServerProcess, startCliServer } from '../helpers/cli.js';
import { estateFrom } from '../helpers/estates.js';
import { octoberEstateYaml, octoberRuns, recentRuns } from '../helpers/october-case.js';
import { type Person, pageAs, type SignedIn, signedInAt } from '../helpers/signed-in.js';

/*
 * The hand-computed October 2026 case (test/helpers/october-case.ts; its outages worked out in
 * test/api/organisation-outages.test.ts), six hours of runs before now, and a heartbeat from Hill View's
 * agent ten minutes ago (silent since): the other sites' agents have never been heard from.
 */
const VIEWER: Person = { email: 'reader@example.org', name: 'Board reader', role: 'viewer' };

browserSuite('the organisation page, narrow screens and print (Chromium)', () => {
  let server: ServerProcess;
  let browser: Browser;
  let viewer: SignedIn;
  const dir = mkdtempSync(join(tmpdir(), 'vantage-organisation-'));

  beforeAll(async () => {
    const config = join(dir, 'estate.yaml');
    const db = join(dir, 'vantage.db');
    writeFileSync(config, octoberEstateYaml);
    const now = Date.now();
    const store = SqliteStores.open(db);
    await store.estate.syncEstate(estateFrom(octoberEstateYaml), now);
    await store.results.recordRuns(octoberRuns());
    await store.results.recordRuns(recentRuns(now, 6));
    await store.agents.addToken({
      id: 'hill-view-1',
      site: 'hill-view',
      secretHash: 'x'.repeat(64),
      label: null,
      createdAt: now - 3_600_000,
    });
    await store.agents.recordHeartbeat({
      site: 'hill-view',
      tokenId: 'hill-view-1',
      at: now - 10 * 60_000,
      version: '1.0.0',
      clockOffsetMs: 0,
      outbox: { depth: 0, dropped: 0, oldestAt: null },
    });
    await store.close();
    server = await startCliServer(['--config', config, '--db', db]);
    viewer = await signedInAt(db, VIEWER);
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function open(path: string, width = 1280): Promise<{ page: Page; errors: string[] }> {
    const page = await pageAs(browser, server.url, viewer, { viewport: { width, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(new URL(path, server.url).toString());
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.waitForLoadState('networkidle');
    return { page, errors };
  }

  const rows = (page: Page, caption: string) =>
    page.locator('table', { hasText: caption }).locator('tbody tr').allTextContents();

  it('shows what a partner hosts and owns, its agents, and the outages attributed to it', async () => {
    const { page, errors } = await open('/organisations/northgate?period=2026-10');
    await page.getByRole('heading', { level: 1, name: 'Northgate Community Trust' }).waitFor();
    await expect(rows(page, 'Each site, the checks its agent runs')).resolves.toEqual([
      expect.stringMatching(
        /^Site Hill View ClinicChecks run there 1Agent SilentLast heard from .+ \(10 minutes ago\)$/,
      ),
    ]);
    await expect(page.getByTestId('owns').textContent()).resolves.toContain('No systems.');
    // Its two outages of October at Hill View, newest first: 30 + 60 minutes, all its own as host.
    await expect(page.getByTestId('organisation-outages-total').textContent()).resolves.toMatch(
      /^2 outages, 90 min ours, over 1 Oct, 00:00 to 1 Nov, 00:00 \(London time\)\./,
    );
    await expect(rows(page, 'Each outage, newest first')).resolves.toEqual([
      'Check EPR sign-in pageWhere Hill View ClinicFrom 10 Oct, 03:00To 10 Oct, 04:00Minutes 60 minOurs site host 60 min',
      'Check EPR sign-in pageWhere Hill View ClinicFrom 6 Oct, 10:00To 6 Oct, 10:30Minutes 30 minOurs site host 30 min',
    ]);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(artifactsDir, 'organisation-outages-1280.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();

    // The owner: its system's check, up now at every site, and its 190 minutes over five outages.
    const owner = await open('/organisations/riverside?period=2026-10');
    await expect(rows(owner.page, 'Each system and its checks')).resolves.toEqual([
      'System Electronic patient recordCheck EPR sign-in pageNow Up at 3 of 3 places',
    ]);
    await expect(rows(owner.page, 'Each site, the checks its agent runs')).resolves.toEqual([
      "Site St Anne's HospitalChecks run there 1Agent Never seenLast heard from never",
    ]);
    await expect(owner.page.getByTestId('organisation-outages-total').textContent()).resolves.toMatch(
      /^5 outages, 190 min ours/,
    );
    await owner.page.close();
  }, 60_000);

  it('links the organisation named by a check’s outages and a system’s owner to its page', async () => {
    const { page } = await open('/systems/epr');
    await page.locator('.nhsuk-lede-text a').click();
    await page.getByRole('heading', { level: 1, name: 'Riverside Hospitals NHS Trust' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/organisations/riverside');
    await page.close();
  });

  it('fits 390 px without sideways scrolling, with nothing for axe to find', async () => {
    for (const path of ['/organisations/riverside?period=2026-10', '/checks/epr-login', '/systems/epr']) {
      const { page, errors } = await open(path, 390);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${path} scrolls sideways at 390 px`).toBeLessThanOrEqual(0);
      expect(await axeViolations(page), path).toEqual([]);
      const name = path.split('?')[0]?.slice(1).replace('/', '-');
      await page.screenshot({ path: join(artifactsDir, `${name}-390.png`), fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    }
  }, 120_000);

  it('fits every other dashboard page into 390 px without sideways scrolling', async () => {
    const paths = [
      '/',
      '/principles',
      '/principles/epr-core?period=2026-10',
      '/agents',
      '/maintenance',
      '/surveys',
    ];
    for (const path of paths) {
      const { page } = await open(path, 390);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${path} scrolls sideways at 390 px`).toBeLessThanOrEqual(0);
      await page.close();
    }
  }, 120_000);

  it('prints with every folded table open, nothing wider than the page, and the menu hidden', async () => {
    for (const path of ['/checks/epr-login', '/organisations/riverside?period=2026-10', '/systems/epr']) {
      const { page } = await open(path);
      const folded = await page.evaluate(() => document.querySelectorAll('details:not([open])').length);
      expect(folded).toBeGreaterThan(0);
      await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
      await page.emulateMedia({ media: 'print' });
      // A4 at 96 dpi less the browser's margins: charts are drawn for 1280 px and must shrink to fit.
      await page.setViewportSize({ width: 700, height: 1000 });
      const printed = await page.evaluate(() => ({
        closed: document.querySelectorAll('details:not([open])').length,
        menu: getComputedStyle(document.querySelector('.nhsuk-header__navigation') as Element).display,
        wider: [...document.querySelectorAll('main *')]
          .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
          .map(
            (el) =>
              `${el.tagName}.${el.className} ${el.textContent?.slice(0, 40)} ${Math.round(el.getBoundingClientRect().right)}`,
          ),
        canvases: [...document.querySelectorAll('canvas')].map((c) => c.getBoundingClientRect().width),
      }));
      expect(printed.closed).toBe(0);
      expect(printed.menu).toBe('none');
      expect(printed.wider).toEqual([]);
      for (const width of printed.canvases) expect(width).toBeLessThanOrEqual(700);
      await page.pdf({ path: join(artifactsDir, `print-${path.split('/')[1]}.pdf`) });
      // After printing, the tables fold again as they were.
      await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
      await expect(
        page.evaluate(() => document.querySelectorAll('details:not([open])').length),
      ).resolves.toBe(folded);
      await page.close();
    }
  }, 120_000);
});
