/// <reference lib="dom" />
// page.evaluate callbacks run in the browser.
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { artifactsDir, browserSuite, launchBrowser } from '../helpers/browser.js';
import { type ServerProcess, startCliServer } from '../helpers/cli.js';
import { demoText, estateFrom } from '../helpers/estates.js';
import { ADMIN, pageAs, type SignedIn, signedInAt } from '../helpers/signed-in.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const demo = estateFrom(demoText());

browserSuite('estate page in Chromium (vantage serve --demo)', () => {
  let server: ServerProcess;
  let browser: Browser;
  let admin: SignedIn;
  const newPage = (options = {}) => pageAs(browser, server.url, admin, options);

  beforeAll(async () => {
    const db = join(tmp(), 'demo.db');
    server = await startCliServer(['--demo', '--db', db]);
    admin = await signedInAt(db, ADMIN);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows every organisation with the sites it hosts', async () => {
    const page = await newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(new URL('/estate', server.url).toString());
    await page.getByRole('heading', { level: 1, name: 'Estate and responsibilities' }).waitFor();
    expect(await page.title()).toBe('Estate and responsibilities – Vantage');
    await expect(page.getByTestId('estate-counts').textContent()).resolves.toBe(
      `${demo.organisations.length} organisations, ${demo.sites.length} sites, ${demo.systems.length} systems, ${demo.checks.length} checks.`,
    );

    for (const org of demo.organisations) {
      const card = page.locator('section', {
        has: page.getByRole('heading', { level: 2, name: org.name, exact: true }),
      });
      await expect(card.count()).resolves.toBe(1);
      const text = (await card.textContent()) ?? '';
      for (const site of demo.sites.filter((s) => s.host === org.id))
        expect(text, `${org.id} hosts ${site.id}`).toContain(site.name);
      for (const system of demo.systems.filter((s) => s.owner === org.id))
        expect(text, `${org.id} owns ${system.id}`).toContain(system.name);
    }
    // Each system's checks are behind "N checks"; opening it lists them, linked to their pages.
    const riverside = page.locator('section', {
      has: page.getByRole('heading', { level: 2, name: 'Riverside Hospitals NHS Trust' }),
    });
    const eprChecks = demo.checks.filter((c) => c.system === 'epr');
    await riverside.getByText(`${eprChecks.length} checks`).click();
    for (const check of eprChecks) {
      await expect(
        riverside.getByRole('link', { name: check.name ?? check.id, exact: true }).getAttribute('href'),
      ).resolves.toBe(`/checks/${check.id}`);
    }
    await page.screenshot({ path: join(artifactsDir, 'estate.png'), fullPage: true });
    await page.close();
  });

  it('fits a 320 px wide screen without sideways scrolling', async () => {
    const page = await newPage({ viewport: { width: 320, height: 700 } });
    await page.goto(new URL('/estate', server.url).toString());
    await page.getByRole('heading', { level: 1 }).waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(320);
    await page.screenshot({ path: join(artifactsDir, 'estate-320.png'), fullPage: false });
    await page.close();
  });

  it('can be used from the keyboard: skip link first, then the contents', async () => {
    const page = await newPage();
    await page.goto(new URL('/estate', server.url).toString());
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe(
      'Skip to main content',
    );
    await page.keyboard.press('Enter');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('maincontent');
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe(
      demo.organisations[0]?.name,
    );
    await page.keyboard.press('Enter');
    await expect(page.evaluate(() => location.hash)).resolves.toBe(`#org-${demo.organisations[0]?.id}`);
    await page.close();
  });

  it('shows a page-not-found page for an unknown dashboard address', async () => {
    const page = await newPage();
    const response = await page.goto(new URL('/no-such-page', server.url).toString());
    expect(response?.status()).toBe(200);
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    await page.close();
  });
});
