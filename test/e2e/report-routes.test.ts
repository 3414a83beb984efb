import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { reportContentSecurityPolicy } from '../../server/reports/render/index.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { type AdminServer, adminServer } from '../helpers/admin-server.js';
import { browserSuite, launchBrowser } from '../helpers/browser.js';
import { estateFrom } from '../helpers/estates.js';
import { octoberEstateYaml, octoberPushed, SITES } from '../helpers/october-case.js';
import { useTmpDir } from '../helpers/tmp.js';

/*
 * The October 2026 case made into a frozen report over the API, then read as people read it: its page
 * (served with its own policy, so its style applies and nothing else may) and its PDF.
 */

const tmp = useTmpDir();
const NOW = Date.UTC(2026, 10, 10, 12, 0);

browserSuite('a frozen report as its page and its PDF, from the server', () => {
  let store: SqliteStores;
  let server: AdminServer;
  let browser: Browser;

  beforeAll(async () => {
    store = SqliteStores.open(join(tmp(), 'report-routes.db'));
    const estate = estateFrom(octoberEstateYaml);
    await store.estate.syncEstate(estate, NOW);
    server = await adminServer(store, estate, NOW);
    for (const site of SITES) await server.push(site, octoberPushed(site));
    const made = await fetch(`${server.base}/api/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'month', period: '2026-10' }),
    });
    expect(made.status).toBe(201);
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await store?.close();
  });

  it('serves the page with its own policy, under which its style applies and nothing is refused', async () => {
    const answer = await fetch(`${server.base}/reports/2026-10`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('text/html');
    expect(answer.headers.get('content-security-policy')).toBe(reportContentSecurityPolicy());
    const page = await browser.newPage();
    const refused: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') refused.push(message.text());
    });
    await page.goto(`${server.base}/reports/2026-10`);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await expect(page.getByRole('heading', { level: 1 }).first().textContent()).resolves.toContain(
      'October 2026',
    );
    // The inline style is the only one, and it applied: the browser refused nothing.
    const sheets = await page.evaluate(() =>
      Array.from(document.styleSheets, (sheet) => sheet.cssRules.length),
    );
    expect(sheets).toHaveLength(1);
    expect(sheets[0]).toBeGreaterThan(10);
    expect(refused).toEqual([]);
    await page.close();
  });

  it('makes its PDF with the summary in it, and says plainly when Chromium cannot be started', async () => {
    const answer = await fetch(`${server.base}/reports/2026-10.pdf`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/pdf');
    expect(answer.headers.get('content-disposition')).toContain('vantage-report-2026-10.pdf');
    const pdf = Buffer.from(await answer.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const file = join(tmp(), 'report.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-f', '1', '-l', '1', file, '-'], { encoding: 'utf8' });
    expect(text.replace(/\s+/g, ' ')).toContain('October 2026');

    const before = process.env.VANTAGE_CHROMIUM;
    process.env.VANTAGE_CHROMIUM = join(tmp(), 'no-chromium-here');
    try {
      const refused = await fetch(`${server.base}/reports/2026-10.pdf`);
      expect(refused.status).toBe(503);
      const body = (await refused.json()) as { error: { message: string } };
      expect(body.error.message).toContain('Chromium could not be started');
      expect(body.error.message).toContain('VANTAGE_CHROMIUM');
    } finally {
      if (before === undefined) delete process.env.VANTAGE_CHROMIUM;
      else process.env.VANTAGE_CHROMIUM = before;
    }
  }, 60_000);

  it('answers 404 for a report that does not exist, as a page and as a PDF', async () => {
    expect((await fetch(`${server.base}/reports/2026-09`)).status).toBe(404);
    expect((await fetch(`${server.base}/reports/2026-09.pdf`)).status).toBe(404);
  });
});
