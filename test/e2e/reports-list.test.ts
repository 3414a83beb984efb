/// <reference lib="dom" />
// page.evaluate callbacks run in the browser.
import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { securityHeaders } from '../../server/api/security-headers.js';
import type { MeResponse } from '../../server/api/types.js';
import { axeViolations } from '../helpers/axe.js';
import { browserSuite, launchBrowser } from '../helpers/browser.js';
import { repoRoot } from '../helpers/estates.js';

const SHOTS = '/tmp/shots-report';
const webRoot = join(repoRoot, 'dist', 'web');

const viewer: MeResponse = {
  kind: 'user',
  name: 'Board reader',
  email: 'board@riverside.example.org',
  role: 'viewer',
  organisations: [],
  organisationNames: [],
  csrf: 'csrf-value',
  can: { admin: false, actOn: { systems: [], sites: [] } },
};

const LISTED = [
  {
    id: '2026-11',
    kind: 'month',
    period: '2026-11',
    version: 1,
    replaces: null,
    createdAt: '2026-12-01T06:00:00.000Z',
    createdBy: 'schedule',
    hash: `sha256:${'9b'.repeat(32)}`,
    demo: false,
  },
  {
    id: '2025',
    kind: 'year',
    period: '2025',
    version: 1,
    replaces: null,
    createdAt: '2026-01-01T06:00:00.000Z',
    createdBy: 'demo',
    hash: `sha256:${'0f'.repeat(32)}`,
    demo: true,
  },
  {
    id: '2025-v2',
    kind: 'year',
    period: '2025',
    version: 2,
    replaces: '2025',
    createdAt: '2026-01-04T10:30:00.000Z',
    createdBy: 'it@riverside.example.org',
    hash: `sha256:${'1e'.repeat(32)}`,
    demo: true,
  },
];

/**
 * The built dashboard under Vantage's own security headers, with the API's answers written here: the
 * reports list as `GET /api/v1/reports` gives it, and who is signed in. Each test says what the list holds.
 */
browserSuite('the reports list page in Chromium', () => {
  let server: Server;
  let base: string;
  let browser: Browser;
  let listed: { status: number; body: unknown } = { status: 200, body: { items: LISTED } };

  beforeAll(async () => {
    if (!existsSync(join(webRoot, 'index.html')))
      throw new Error('the dashboard is not built: run `npm run build`');
    mkdirSync(SHOTS, { recursive: true });
    const app = express();
    app.use(securityHeaders());
    app.get('/api/v1/me', (_req, res) => void res.json(viewer));
    app.get('/api/v1/reports', (_req, res) => void res.status(listed.status).json(listed.body));
    app.use(express.static(webRoot, { index: false }));
    app.get('/reports', (_req, res) => res.sendFile(join(webRoot, 'index.html')));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  async function open(width = 1280): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${base}/reports`);
    await page.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
    return { page, errors };
  }

  it('lists each report newest first, with its page, PDF and CSV, and marks demo data', async () => {
    listed = { status: 200, body: { items: LISTED } };
    const { page, errors } = await open();
    expect(await page.title()).toBe('Reports – Vantage');
    await expect(
      page.locator('.nhsuk-header__navigation-link[aria-current="page"]').textContent(),
    ).resolves.toBe('Reports');
    const rows = await page.$$eval('tbody tr', (trs) =>
      trs.map((tr) =>
        [...tr.querySelectorAll('td')].map((td) =>
          [...td.childNodes]
            .slice(1)
            .map((n) => n.textContent)
            .join(''),
        ),
      ),
    );
    expect(rows.map((r) => r.slice(0, 4))).toEqual([
      ['2026-11', 'Month: November 2026', 'v1', '1 Dec 2026, 06:00 by schedule'],
      [
        '2025-v2Demo data',
        'Year: 2025',
        'v2, replaces 2025',
        '4 Jan 2026, 10:30 by it@riverside.example.org',
      ],
      ['2025Demo data', 'Year: 2025', 'v1', '1 Jan 2026, 06:00 by demo'],
    ]);
    const links = await page.$$eval('#report-2025-v2 a', (as) =>
      as.map((a) => [a.getAttribute('href'), a.textContent]),
    );
    expect(links).toEqual([
      ['/reports/2025-v2', 'Page of 2025 v2'],
      ['/reports/2025-v2.pdf', 'PDF of 2025 v2'],
      ['/reports/2025-v2.csv', 'CSV tables of 2025 v2'],
    ]);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/reports-list-1280.png`, fullPage: true });
    await page.close();
  });

  it('reads at 390 px with no sideways scroll and no WCAG 2.2 A or AA violations', async () => {
    listed = { status: 200, body: { items: LISTED } };
    const { page } = await open(390);
    await page.locator('tbody tr').first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/reports-list-390.png`, fullPage: true });
    await page.close();
  });

  it('says how to make the first report when there is none', async () => {
    listed = { status: 200, body: { items: [] } };
    const { page } = await open();
    await expect(page.getByTestId('reports-empty').textContent()).resolves.toBe(
      'No reports yet. An admin can make one with vantage report create month 2026-11; each month’s is made on the first day of the next.',
    );
    await page.close();
  });

  it('shows the server’s refusal in words', async () => {
    listed = {
      status: 403,
      body: { error: { code: 'forbidden', message: 'reports are for signed-in staff' } },
    };
    const { page } = await open();
    await expect(page.getByTestId('not-for-you').textContent()).resolves.toBe(
      'This page is not open to you: reports are for signed-in staff.',
    );
    await page.close();
  });
});
