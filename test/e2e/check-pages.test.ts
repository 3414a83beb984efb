/// <reference lib="dom" />
// page.evaluate callbacks run in the browser.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunRecord } from '../../runs/record.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { artifactsDir, browserSuite, launchBrowser } from '../helpers/browser.js';
import { type ServerProcess, startCliServer } from '../helpers/cli.js';
import { estateFrom } from '../helpers/estates.js';
import { ADMIN, pageAs, type SignedIn, signedInAt } from '../helpers/signed-in.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const MINUTE = 60_000;
const estateYaml = `organisations:
  - { id: riverside, name: Riverside Hospitals NHS Trust, kind: acute }
  - { id: eastfield, name: Eastfield Mental Health NHS Trust, kind: mental-health }
sites:
  - { id: st-annes, name: St Anne's Hospital, host: riverside }
  - { id: marsh-lane, name: Marsh Lane Centre, host: eastfield }
  - { id: poplar-walk, name: Poplar Walk Clinic, host: eastfield }
systems:
  - { id: epr, name: Riverside EPR, owner: riverside }
  - { id: pas, name: Eastfield PAS, owner: eastfield }
checks:
  - { id: epr-login, name: EPR sign-in page, system: epr, type: http, target: "https://epr.example.org/login", every: 1m, from: [st-annes, marsh-lane, poplar-walk] }
  - { id: pas-login, name: PAS sign-in page, system: pas, type: http, target: "https://pas.example.org/", every: 1m, from: [poplar-walk] }
`;

/** Six hours of runs: Marsh Lane is slow and sometimes down, the other sites are fine. */
function history(now: number): RunRecord[] {
  const runs: RunRecord[] = [];
  for (let m = 1; m <= 360; m++) {
    for (const site of ['st-annes', 'marsh-lane', 'poplar-walk']) {
      const slow = site === 'marsh-lane';
      const fail = slow && m % 15 === 0;
      const ttfb = (slow ? 900 : 120) + ((m * 7) % 40);
      runs.push({
        checkId: 'epr-login',
        vantagePoint: site,
        startedAt: now - m * MINUTE,
        state: fail ? 'fail' : 'ok',
        phases: fail
          ? { dnsMs: 2, connectMs: null, tlsMs: null, ttfbMs: null, transferMs: null, totalMs: 10_000 }
          : {
              dnsMs: 2,
              connectMs: slow ? 40 : 4,
              tlsMs: 12,
              ttfbMs: ttfb,
              transferMs: 6,
              totalMs: ttfb + (slow ? 60 : 24),
            },
        ...(fail
          ? { error: { class: 'timeout' as const, message: 'no answer within 10 s (connecting)' } }
          : { status: 200 }),
      });
    }
  }
  return runs;
}

browserSuite('check and system pages in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;
  let admin: SignedIn;
  const newPage = (options = {}) => pageAs(browser, server.url, admin, options);

  beforeAll(async () => {
    const config = join(tmp(), 'estate.yaml');
    const db = join(tmp(), 'vantage.db');
    writeFileSync(config, estateYaml);
    const store = SqliteStores.open(db);
    await store.estate.syncEstate(estateFrom(estateYaml), Date.now());
    await store.results.recordRuns(history(Date.now()));
    await store.close();
    server = await startCliServer(['--config', config, '--db', db]);
    admin = await signedInAt(db, ADMIN);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows a check: state per vantage point, summary, charts with tables, recent failures', async () => {
    const page = await newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const hosts = new Set<string>();
    page.on('request', (request) => hosts.add(new URL(request.url()).host));
    await page.goto(new URL('/checks/epr-login', server.url).toString());
    await page.getByRole('heading', { level: 1, name: 'EPR sign-in page' }).waitFor();
    expect(await page.title()).toBe('EPR sign-in page – Vantage');
    const latest = page.locator('table', { hasText: 'Vantage point' }).first();
    for (const site of ["St Anne's Hospital", 'Marsh Lane Centre', 'Poplar Walk Clinic'])
      await expect(latest.textContent()).resolves.toContain(site);
    // Measured, not the demo's simulated history: no notice.
    await expect(page.getByTestId('simulated-history').count()).resolves.toBe(0);
    await expect(page.getByTestId('check-summary').textContent()).resolves.toMatch(
      /^Availability 97\.78% of 1080 runs; p50 \d+ ms, p95 [\d.]+ (ms|s)\.$/,
    );
    await expect(page.locator('figure.vantage-chart').count()).resolves.toBe(3);
    const drawn = await page.evaluate(() =>
      [...document.querySelectorAll('canvas')].map((c) => c.width > 0 && c.height > 0),
    );
    expect(drawn).toEqual([true, true, true]);
    await expect(page.getByText('no answer within 10 s (connecting)').first().isVisible()).resolves.toBe(
      true,
    );
    expect(errors).toEqual([]);
    // Nothing is fetched from anywhere but the Vantage server: no fonts, scripts or beacons elsewhere.
    expect([...hosts]).toEqual([new URL(server.url).host]);
    await page.screenshot({ path: join(artifactsDir, 'check.png'), fullPage: true });
    await page.close();
  });

  it('shows each recent run as a bar, newest right, a failed one marked by height and described', async () => {
    const page = await newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(new URL('/checks/epr-login', server.url).toString());
    const strip = page.getByTestId('strip-marsh-lane');
    await strip.waitFor();
    // Runs every minute, so the last 100 reach back further than an hour: 100 bars, the 15th, 30th … 90th
    // minutes back down (6 of them).
    const bars = strip.locator('.vantage-strip__run');
    await expect(bars.count()).resolves.toBe(100);
    await expect(strip.locator('[data-state="fail"]').count()).resolves.toBe(6);
    await expect(page.getByTestId('strip-summary-marsh-lane').textContent()).resolves.toMatch(
      /^100 runs from .+ to .+: 94 up, 6 down\.$/,
    );
    await expect(page.getByTestId('strip-summary-st-annes').textContent()).resolves.toMatch(/: 100 up\.$/);
    // Height as well as colour: a failed bar is a third the height of an up one.
    const heights = await strip.evaluate((el) =>
      ['ok', 'fail'].map(
        (state) => el.querySelector(`[data-state="${state}"]`)?.getBoundingClientRect().height,
      ),
    );
    const [up = 0, down = 0] = heights;
    expect([up > 30, down / up]).toEqual([true, expect.closeTo(0.33, 2)]);
    // One stop in the tab order: the newest run, then the arrows move along the strip.
    const newest = bars.last();
    await expect(newest.getAttribute('tabindex')).resolves.toBe('0');
    await expect(strip.locator('[tabindex="0"]').count()).resolves.toBe(1);
    await newest.focus();
    await expect(page.getByTestId('strip-detail-marsh-lane').textContent()).resolves.toMatch(
      /: Up, \d+ ms, status 200$/,
    );
    for (let i = 0; i < 14; i++) await page.keyboard.press('ArrowLeft');
    // 15 minutes back: the newest failure.
    await expect(page.getByTestId('strip-detail-marsh-lane').textContent()).resolves.toMatch(
      /: Down, 10\.00 s, timeout: no answer within 10 s \(connecting\)$/,
    );
    await expect(page.evaluate(() => document.activeElement?.getAttribute('data-state'))).resolves.toBe(
      'fail',
    );
    await page.keyboard.press('Home');
    await expect(bars.first().evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    // The check's day is drawn run by run: 360 runs from each of three sites in its table.
    await expect(page.locator('table', { hasText: 'Total time of the runs' }).textContent()).resolves.toMatch(
      /Marsh Lane Centre.*360/,
    );
    // A check that never ran says so rather than drawing an empty strip.
    await page.goto(new URL('/checks/pas-login', server.url).toString());
    await expect(page.getByTestId('strip-summary-poplar-walk').textContent()).resolves.toBe('No runs yet.');
    await page.close();
  });

  it('compares a system across sites and names the host when one site stands out', async () => {
    const page = await newPage({ viewport: { width: 1280, height: 900 } });
    const asked: string[] = [];
    page.on('request', (request) => asked.push(new URL(request.url()).pathname));
    await page.goto(new URL('/systems/epr', server.url).toString());
    await page.getByRole('heading', { level: 1, name: 'Riverside EPR' }).waitFor();
    await expect(page.getByTestId('verdict-epr-login').textContent()).resolves.toBe(
      'Worse at Marsh Lane Centre only: a matter for its host, Eastfield Mental Health NHS Trust.',
    );
    // The organisation is named with a link to its page.
    await expect(page.getByTestId('verdict-epr-login').getByRole('link').getAttribute('href')).resolves.toBe(
      '/organisations/eastfield',
    );
    // The server judges and carries the evidence: the same requests whatever the number of checks
    // (who is signed in, the estate, the verdicts and the system's notes).
    expect(asked.filter((path) => path.startsWith('/api/v1/')).sort()).toEqual([
      '/api/v1/alerts',
      '/api/v1/estate',
      '/api/v1/me',
      '/api/v1/systems/epr/notes',
      '/api/v1/systems/epr/responsibility',
    ]);
    await expect(page.locator('tr', { hasText: 'Marsh Lane Centre' }).textContent()).resolves.toMatch(
      /failing \(93\.33% up, under 99\.00%\)/,
    );
    await page.screenshot({ path: join(artifactsDir, 'system.png'), fullPage: true });
    await page.close();
  });

  it('lists the places a check should run from when none has run it yet', async () => {
    const page = await newPage();
    await page.goto(new URL('/systems/pas', server.url).toString());
    await page.getByRole('heading', { level: 1, name: 'Eastfield PAS' }).waitFor();
    await expect(page.getByTestId('verdict-pas-login').textContent()).resolves.toMatch(
      /^No recent results to compare\. No recent results from 1 site \(Poplar Walk Clinic\)/,
    );
    const row = page.locator('tr', { hasText: 'Poplar Walk Clinic' });
    await expect(row.textContent()).resolves.toMatch(/Unknown.*no result yet.*no data/i);
    await expect(page.locator('figure.vantage-chart').count()).resolves.toBe(0);
    await page.close();
  });

  it('says so for a check that does not exist', async () => {
    const page = await newPage();
    const answer = page.waitForResponse((response) =>
      response.url().includes('/api/v1/checks/no-such-check'),
    );
    await page.goto(new URL('/checks/no-such-check', server.url).toString());
    expect((await answer).status()).toBe(404);
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: 5_000 });
    await expect(alert.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('There is a problem');
    await expect(alert.textContent()).resolves.toContain("no check with id 'no-such-check'");
    expect(await page.title()).toBe('Error – Vantage');
    await page.close();
  });
});
