/// <reference lib="dom" />
// page.evaluate callbacks run in the browser.
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { reportContentSecurityPolicy, reportHtml } from '../../server/reports/render/index.js';
import { axeViolations } from '../helpers/axe.js';
import { browserSuite, launchBrowser } from '../helpers/browser.js';
import {
  HOSTILE_TITLE,
  LONG_CHECK,
  monthReport,
  reportNames,
  yearReport,
} from '../helpers/report-fixture.js';

const SHOTS = '/tmp/shots-report';
/** A4 less the page's left and right margins (14 mm each), in CSS pixels: what print lays out into. */
const A4_CONTENT_PX = Math.floor(((210 - 28) / 25.4) * 96);

browserSuite('the report page in Chromium', () => {
  let browser: Browser;
  let server: Server;
  let base: string;
  const requested: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const pages: Record<string, string> = {
      '/month': reportHtml(monthReport(), reportNames),
      '/year': reportHtml(yearReport(), reportNames),
    };
    // Served as Vantage will: with the page's own strict policy, so a style it refused would show here.
    server = createServer((req, res) => {
      requested.push(req.url ?? '');
      const body = pages[req.url ?? ''];
      if (!body) return void res.writeHead(404).end();
      res
        .writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': reportContentSecurityPolicy(),
        })
        .end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  async function open(path: string, width = 1280): Promise<{ page: Page; refused: string[] }> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const refused: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') refused.push(m.text());
    });
    await page.goto(base + path);
    return { page, refused };
  }

  const text = (page: Page, selector: string) =>
    page.$eval(selector, (e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim());

  it('opens with the board summary: the counts, the trend and the three biggest gaps in words', async () => {
    const { page, refused } = await open('/month');
    expect(await page.title()).toBe('Vantage report: November 2026');
    expect(await text(page, 'h1')).toBe('Vantage report: November 2026');
    expect(await text(page, '[data-testid=counts-sentence]')).toBe(
      'In November 2026, of 5 principles, 2 were met, 1 was at risk, 1 was breached and 1 was not evaluated.',
    );
    expect(await text(page, '[data-testid=counts]')).toBe(
      'Met 2 At risk 1 Breached 1 No data 0 Not evaluated 1',
    );
    const trend = await page.$$eval('table.trend tbody tr', (rows) =>
      rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.lastChild?.textContent?.trim() ?? '')),
    );
    expect(trend[0]).toEqual([
      'Available in core hours',
      'Breached',
      '99.412%',
      '99.953% (met)',
      'worse by 0.541 points',
    ]);
    expect(trend[2]).toEqual([
      'EPR answers quickly',
      'At risk',
      '2,840 ms',
      '2,210 ms (met)',
      'worse by 630 ms',
    ]);
    const gaps = await page.$$eval('[data-testid=gaps] li', (items) =>
      items.map((i) => (i.textContent ?? '').replace(/\s+/g, ' ').trim()),
    );
    expect(gaps).toEqual([
      "Available in core hours, Marsh Lane Centre × Riverside EPR: 99.412% against a target of ≥ 99.9%. Eastfield Mental Health NHS Trust answers for 198 min of it as the site's host.",
      "Available in core hours, Poplar Walk <Clinic> × Patient Administration: 99.771% against a target of ≥ 99.9%. Eastfield Mental Health NHS Trust answers for 99 min of it as the site's host.",
      "EPR answers quickly, Marsh Lane Centre × Riverside EPR: 2,840 ms against a target of ≤ 3,000 ms. Riverside Hospitals NHS Trust answers for 41 min of it as the system's owner.",
    ]);
    expect(await page.$('[data-testid=demo-banner]')).toBeNull();
    expect(await text(page, '[data-testid=version]')).toBe('1');
    expect(await text(page, '[data-testid=hash]')).toBe(monthReport().hash);
    // Its style held under its policy, and it asked for nothing but itself.
    expect(refused).toEqual([]);
    expect(await page.$eval('th', (e) => getComputedStyle(e).borderBottomWidth)).toBe('2px');
    expect(requested.filter((u) => u !== '/month' && u !== '/year')).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/month-1280.png`, fullPage: true });
    await page.close();
  });

  it('shows every id, name and title as text, never as markup', async () => {
    const { page } = await open('/month');
    expect(await page.evaluate(() => document.scripts.length)).toBe(0);
    const maintenance = await page.$$eval('#maintenance-title ~ table tbody tr td:first-child', (cells) =>
      cells.map((c) => c.lastChild?.previousSibling?.textContent ?? ''),
    );
    expect(maintenance[0]).toBe(`${HOSTILE_TITLE} `);
    expect(
      await page.$$eval('#outages-title ~ table code', (codes) => codes.map((c) => c.textContent)),
    ).toContain(LONG_CHECK);
    await page.close();
  });

  it('marks demo data, and lists what a reissue changed from the version it replaces', async () => {
    const { page } = await open('/year');
    expect(await page.title()).toBe('Vantage report: 2026 (demo data)');
    expect(await text(page, '[data-testid=demo-banner]')).toMatch(/^DEMO DATA: every figure/);
    expect(await text(page, '[data-testid=version]')).toBe(
      '2, replaces v1 (report 2026): 2 figures changed, listed after the summary',
    );
    const changes = await page.$$eval('.changes tbody tr', (rows) =>
      rows.map((r) =>
        [...r.querySelectorAll('td')].map((td) =>
          (td.textContent ?? '').replace(/^(Figure|Before|After) ?/, ''),
        ),
      ),
    );
    expect(changes).toEqual([
      ['Available in core hours: valueprinciples/available-core/value', '99.405', '99.412'],
      [
        'Available in core hours, Marsh Lane Centre × Riverside EPR: valueprinciples/available-core/items/marsh-lane|epr/value',
        '99.401',
        '99.412',
      ],
    ]);
    const survey = await page.$$eval('#survey-title ~ table tbody tr', (rows) =>
      rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.lastChild?.textContent ?? '')),
    );
    expect(survey).toEqual([
      ['Riverside EPR', 'SUS', '71.5', '64.2', 'up 7.3', '≥ 68'],
      [
        'Patient Administration',
        'UMUX-Lite',
        'withheld',
        '58.1',
        'withheld: too few responses to show',
        '≥ 68',
      ],
    ]);
    await page.screenshot({ path: `${SHOTS}/year-1280.png`, fullPage: true });
    await page.close();
  });

  it('has no survey part for a month (a year has one, above)', async () => {
    const { page } = await open('/month');
    expect(await page.$('#survey-title')).toBeNull();
    await page.close();
  });

  for (const path of ['/month', '/year'])
    for (const width of [1280, 390])
      it(`has no WCAG 2.2 A or AA violations at ${width} px (${path.slice(1)})`, async () => {
        const { page } = await open(path, width);
        expect(await axeViolations(page)).toEqual([]);
        await page.close();
      });

  it('reads at 390 px with nothing wider than the screen', async () => {
    for (const path of ['/month', '/year']) {
      const { page } = await open(path, 390);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      const wide = await page.evaluate(() =>
        [...document.querySelectorAll('main *')]
          .filter((e) => e.getBoundingClientRect().right > 390.5)
          .map((e) => e.tagName),
      );
      expect(wide).toEqual([]);
      await page.screenshot({ path: `${SHOTS}${path}-390.png`, fullPage: true });
      await page.close();
    }
  });

  it('prints on A4: headers repeat, rows stay whole, the summary has its page, nothing past the edge', async () => {
    for (const path of ['/month', '/year']) {
      const { page } = await open(path, A4_CONTENT_PX);
      await page.emulateMedia({ media: 'print' });
      const layout = await page.evaluate((width) => {
        const all = [...document.querySelectorAll('body *')];
        return {
          heads: [...document.querySelectorAll('thead')].map((t) => getComputedStyle(t).display),
          rows: [
            ...new Set(
              [...document.querySelectorAll('tbody tr')].map((r) => getComputedStyle(r).breakInside),
            ),
          ],
          summary: getComputedStyle(document.querySelector('.summary') as Element).breakAfter,
          past: all
            .filter((e) => {
              const box = e.getBoundingClientRect();
              return box.width > 0 && (box.right > width + 0.5 || box.left < -0.5);
            })
            .map((e) => `${e.tagName}.${e.className}`),
          scrollWidth: document.documentElement.scrollWidth,
        };
      }, A4_CONTENT_PX);
      expect(layout.heads.length).toBeGreaterThan(5);
      expect(new Set(layout.heads)).toEqual(new Set(['table-header-group']));
      expect(layout.rows).toEqual(['avoid']);
      expect(layout.summary).toBe('page');
      expect(layout.past).toEqual([]);
      expect(layout.scrollWidth).toBeLessThanOrEqual(A4_CONTENT_PX);
      await page.close();
    }
  });
});
