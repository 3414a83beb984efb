/// <reference lib="dom" />
// page.evaluate callbacks run in the browser.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunRecord } from '../../runs/record.js';
import { createAgentToken } from '../../server/site-agents/tokens.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { artifactsDir, browserSuite, launchBrowser } from '../helpers/browser.js';
import { runCli, type ServerProcess, startCliServer } from '../helpers/cli.js';
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
  - { id: head-office, name: Riverside Head Office, host: riverside }
systems:
  - { id: epr, name: Riverside EPR, owner: riverside }
checks:
  - { id: epr-login, name: EPR sign-in page, system: epr, type: http, target: "https://epr.example.org/login", every: 1m, from: [st-annes, marsh-lane, poplar-walk] }
`;

const phases = { dnsMs: 2, connectMs: 4, tlsMs: 12, ttfbMs: 120, transferMs: 6, totalMs: 144 };

/**
 * Two hours of runs: St Anne's is fine up to a minute ago; Marsh Lane failed for the last hour and
 * then fell silent ten minutes ago (its agent stopped); Poplar Walk has never sent anything.
 */
function history(now: number): RunRecord[] {
  const runs: RunRecord[] = [];
  for (let m = 1; m <= 120; m++) {
    runs.push({
      checkId: 'epr-login',
      vantagePoint: 'st-annes',
      startedAt: now - m * MINUTE,
      state: 'ok',
      phases,
      status: 200,
    });
    if (m >= 10 && m <= 60) {
      runs.push({
        checkId: 'epr-login',
        vantagePoint: 'marsh-lane',
        startedAt: now - m * MINUTE,
        state: 'fail',
        phases: { ...phases, connectMs: null, tlsMs: null, ttfbMs: null, transferMs: null, totalMs: 10_000 },
        error: { class: 'timeout', message: 'no answer within 10 s (connecting)' },
      });
    }
  }
  return runs;
}

browserSuite('agents page in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;
  let admin: SignedIn;
  const newPage = (options = {}) => pageAs(browser, server.url, admin, options);

  beforeAll(async () => {
    const config = join(tmp(), 'estate.yaml');
    const db = join(tmp(), 'vantage.db');
    writeFileSync(config, estateYaml);
    const now = Date.now();

    // Marsh Lane's agent was last heard ten minutes ago: no heartbeat that old can come through the API.
    const store = SqliteStores.open(db);
    await store.estate.syncEstate(estateFrom(estateYaml), now);
    const marsh = await createAgentToken(store.agents, {
      site: 'marsh-lane',
      label: 'Marsh Lane agent',
      at: now - 60 * MINUTE,
    });
    await store.agents.recordHeartbeat({
      site: 'marsh-lane',
      tokenId: marsh.id,
      at: now - 10 * MINUTE,
      version: '0.0.9',
      clockOffsetMs: 120,
      outbox: { depth: 1200, dropped: 15, oldestAt: now - 12 * MINUTE },
    });
    await store.results.recordRuns(history(now));
    await store.close();
    server = await startCliServer(['--config', config, '--db', db]);
    admin = await signedInAt(db, ADMIN);

    // St Anne's agent speaks through the real API, with a token made as an administrator would.
    const made = runCli(['token', 'create', '--site', 'st-annes', '--config', config, '--db', db]);
    expect(made.code, made.stderr).toBe(0);
    const headers = { authorization: `Bearer ${made.stdout.trim()}`, 'content-type': 'application/json' };
    const beat = await fetch(new URL('/api/v1/agent/heartbeat', server.url), {
      method: 'POST',
      headers,
      body: JSON.stringify({
        version: '0.1.0',
        sentAt: Date.now() + 5_000,
        outbox: { depth: 7, dropped: 0, oldestAt: Date.now() - 30_000 },
      }),
    });
    expect(beat.status, await beat.clone().text()).toBe(200);
    const pushed = await fetch(new URL('/api/v1/agent/results', server.url), {
      method: 'POST',
      headers,
      body: JSON.stringify({
        results: [
          {
            id: 'st-annes-now',
            checkId: 'epr-login',
            startedAt: new Date(Date.now() - 5_000).toISOString(),
            state: 'ok',
            phases,
            status: 200,
          },
        ],
      }),
    });
    expect(pushed.status, await pushed.clone().text()).toBe(200);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('lists each site’s agent: state in words, last seen, clock, backlog and checks', async () => {
    const page = await newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(new URL('/agents', server.url).toString());
    await page.getByRole('heading', { level: 1, name: 'Agents' }).waitFor();
    expect(await page.title()).toBe('Agents – Vantage');
    await expect(
      page.locator('.nhsuk-header__navigation-link[aria-current="page"]').textContent(),
    ).resolves.toBe('Agents');
    await expect(page.getByTestId('agents-summary').textContent()).resolves.toBe(
      '1 of 3 agents online; 1 silent; 1 never seen.',
    );

    const row = (site: string) => page.locator(`tr#site-${site}`);
    // Head office runs no checks and has no agent: it is not listed.
    await expect(page.locator('tbody tr').count()).resolves.toBe(3);
    await expect(row('head-office').count()).resolves.toBe(0);

    const stAnnes = (await row('st-annes').textContent()) ?? '';
    expect(stAnnes).toContain("St Anne's Hospital");
    expect(stAnnes).toContain('Riverside Hospitals NHS Trust');
    await expect(row('st-annes').locator('.nhsuk-tag').textContent()).resolves.toBe('Online');
    expect(stAnnes).toContain('less than a minute ago');
    expect(stAnnes).toContain('0.1.0');
    expect(stAnnes).toMatch(/[45],\d{3} ms ahead/);
    expect(stAnnes).toContain('Warning: clock differs from the server by more than 2 s');
    expect(stAnnes).toContain('7 results waiting');
    expect(stAnnes).toContain('oldest from');
    expect(stAnnes).not.toContain('dropped');

    const marsh = (await row('marsh-lane').textContent()) ?? '';
    await expect(row('marsh-lane').locator('.nhsuk-tag').textContent()).resolves.toBe('Silent');
    expect(marsh).toContain('Eastfield Mental Health NHS Trust');
    expect(marsh).toContain('10 minutes ago');
    expect(marsh).toContain('0.0.9');
    expect(marsh).toContain('120 ms ahead');
    expect(marsh).not.toContain('clock differs');
    expect(marsh).toContain('1,200 results waiting');
    expect(marsh).toContain('Warning: 15 results dropped before they could be sent');

    const poplar = (await row('poplar-walk').textContent()) ?? '';
    await expect(row('poplar-walk').locator('.nhsuk-tag').textContent()).resolves.toBe('Never seen');
    expect(poplar).toContain('Never');
    expect(poplar).toContain('No agent token made for this site yet.');
    for (const text of [stAnnes, marsh, poplar]) expect(text).toMatch(/Checks assigned 1$/);

    expect(errors).toEqual([]);
    await page.screenshot({ path: join(artifactsDir, 'agents.png'), fullPage: true });
    await page.close();
  });

  it('shows a silent site’s vantage point as unknown, with why, and links it to its agent', async () => {
    const page = await newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(new URL('/checks/epr-login', server.url).toString());
    await page.getByRole('heading', { level: 1, name: 'EPR sign-in page' }).waitFor();
    const latest = page.locator('table', { hasText: 'Vantage point' }).first();
    const row = (name: string) => latest.locator('tbody tr', { hasText: name });
    await expect(row("St Anne's Hospital").locator('.nhsuk-tag').textContent()).resolves.toBe('Up');
    await expect(row('Marsh Lane Centre').locator('.nhsuk-tag').textContent()).resolves.toBe('Unknown');
    await expect(row('Marsh Lane Centre').textContent()).resolves.toMatch(
      /no result for 3 runs: the last started \d{1,2} [A-Z][a-z]{2}, \d{2}:\d{2}/,
    );
    await expect(row('Poplar Walk Clinic').locator('.nhsuk-tag').textContent()).resolves.toBe('Unknown');
    await expect(row('Poplar Walk Clinic').textContent()).resolves.toContain('no result yet');
    await expect(latest.textContent()).resolves.not.toContain('Down');
    // The runs Marsh Lane missed while silent are unknown, apart from its failures; St Anne's missed none.
    const unknown = await page.getByTestId('check-unknown').textContent();
    expect(unknown).toMatch(
      /^Unknown, not counted as failures: Marsh Lane Centre sent no result for (9|10) of \d+ runs\.$/,
    );
    await latest.screenshot({ path: join(artifactsDir, 'agents-check.png') });

    await row('Marsh Lane Centre').getByRole('link', { name: 'Marsh Lane Centre' }).click();
    await page.getByRole('heading', { level: 1, name: 'Agents' }).waitFor();
    expect(new URL(page.url()).hash).toBe('#site-marsh-lane');
    await expect(page.locator('tr#site-marsh-lane').isVisible()).resolves.toBe(true);
    await page.close();
  });

  it('leaves silent sites out of the system’s comparison and says so', async () => {
    const page = await newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(new URL('/systems/epr', server.url).toString());
    await page.getByRole('heading', { level: 1, name: 'Riverside EPR' }).waitFor();
    // Marsh Lane failed before it went silent: its failures are history, not a verdict on its host.
    await expect(page.getByTestId('verdict-epr-login').textContent()).resolves.toBe(
      'Similar from every vantage point with recent results. No recent results from 2 sites (Marsh Lane Centre and Poplar Walk Clinic): their states are unknown, and left out of this comparison.',
    );
    await page.screenshot({ path: join(artifactsDir, 'agents-system.png'), fullPage: true });
    await page.close();
  });

  it('fits a 320 px wide screen without sideways scrolling', async () => {
    const page = await newPage({ viewport: { width: 320, height: 700 } });
    await page.goto(new URL('/agents', server.url).toString());
    await page.getByTestId('agents-summary').waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(320);
    await page.screenshot({ path: join(artifactsDir, 'agents-320.png'), fullPage: true });
    await page.close();
  });

  it('says what to do when no site has an agent', async () => {
    const page = await newPage();
    await page.route('**/api/v1/agents', (route) =>
      route.fulfill({
        json: { heartbeatSeconds: 15, silentAfterSeconds: 45, skewLimitMs: 2000, items: [] },
      }),
    );
    await page.goto(new URL('/agents', server.url).toString());
    await expect(page.getByTestId('agents-empty').textContent()).resolves.toBe(
      'No site has checks assigned to an agent yet. Add from: [site] to a check in the estate file.',
    );
    await expect(page.locator('table').count()).resolves.toBe(0);
    await page.close();
  });
});
