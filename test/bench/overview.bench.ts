import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { DAY_MS } from '../../common/calendar.js';
import type { RunRecord } from '../../runs/record.js';
import { formatConfigError, loadEstateFile } from '../../server/config/load.js';
import type { Estate } from '../../server/config/schema.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { signedIn } from '../helpers/sessions.js';
import { generateEstateYaml } from './generate-estate.js';
import { writeLatencyHistory } from './latency-history.js';
import { formatRow, repeat, stats, timed } from './measure.js';
import { cliPath } from './processes.js';

const SITES = 500;
const CHECKS = 10_000;
/** The page's default period is 30 days, compared with the 30 before: 61 days of timeline are read. */
const HISTORY_DAYS = 61;
const LOADS = 5;

export const PRINCIPLES = `principles:
  - { id: available-core, title: Available in core hours, metric: availability, target: 99.9%, hours: core }
  - { id: available-24x7, title: Available all hours, metric: availability, target: 99.5%, hours: 24x7 }
  - { id: responsive, title: Responsive, metric: latency, percentile: 95, target: 3s, hours: core }
  - { id: responsive-24x7, title: Responsive at all hours, metric: latency, percentile: 95, target: 3s, hours: 24x7 }
`;

/** A small generator with a fixed seed, so every run writes the same history. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * The timeline of every (check, site) series up to `end`: up, with one outage (2 to 90 minutes) a month
 * at a random time, as the principles benchmark's busy profile has.
 */
export function writeTimeline(store: SqliteStores, from: number, end: number): number {
  const db = store.db;
  const series = db
    .prepare<[], { check_key: number; vp: number }>(
      `SELECT c.key AS check_key, s.key AS vp FROM checks c, json_each(c.definition, '$.from') f
       JOIN sites s ON s.id = f.value`,
    )
    .all();
  const insert = db.prepare(
    'INSERT INTO state_timeline (check_key, vp, from_ms, to_ms, state) VALUES (?, ?, ?, ?, ?)',
  );
  const random = seeded(20_261_203);
  const outages = Math.round((end - from) / (30 * DAY_MS));
  let rows = 0;
  db.transaction(() => {
    for (const { check_key, vp } of series) {
      const starts = Array.from(
        { length: outages },
        () => from + Math.floor(random() * (end - from - 5_400_000)),
      );
      let at = from;
      for (const start of starts.sort((a, b) => a - b)) {
        if (start <= at) continue;
        const stop = start + 120_000 + Math.floor(random() * 5_280_000);
        insert.run(check_key, vp, at, start, 0);
        insert.run(check_key, vp, start, stop, 1);
        rows += 2;
        at = stop;
      }
      insert.run(check_key, vp, at, end, 0);
      rows++;
    }
  })();
  return rows;
}

/**
 * The latest run of every series a minute ago: ok, but for every check run from the first site (its
 * link is down) and every check of the first system (down everywhere), so "failing now" has lines to group.
 */
export function latestRuns(estate: Estate, at: number): RunRecord[] {
  const downSite = estate.sites[0]?.id;
  const downSystem = estate.systems[0]?.id;
  const phases = { dnsMs: 2, connectMs: 3, tlsMs: 10, ttfbMs: 120, transferMs: 2, totalMs: 137 };
  const failed = { dnsMs: null, connectMs: null, tlsMs: null, ttfbMs: null, transferMs: null, totalMs: 5 };
  return estate.checks.flatMap((check) =>
    (check.from ?? []).map((site): RunRecord => {
      const down = site === downSite || check.system === downSystem;
      return down
        ? {
            checkId: check.id,
            vantagePoint: site,
            startedAt: at,
            state: 'fail',
            phases: failed,
            error: { class: 'reset', message: 'connection reset' },
          }
        : { checkId: check.id, vantagePoint: site, startedAt: at, state: 'ok', phases, status: 200 };
    }),
  );
}

/**
 * The overview page of the 10,000-check estate with 61 days of timeline (the default 30 days and the
 * 30 before), served by `vantage serve` and opened in headless Chromium: usable when the scorecard and
 * the heatmap are drawn, its period's figures already worked out (they are kept for a minute). The
 * API's first answer, which works them out, is timed too.
 */
export async function benchOverview(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vantage-overview-'));
  const config = join(dir, 'estate.yaml');
  const db = join(dir, 'vantage.db');
  writeFileSync(config, `${generateEstateYaml({ sites: SITES, checks: CHECKS })}\n${PRINCIPLES}`);
  const loaded = loadEstateFile(config, {});
  if (!loaded.ok) throw new Error(loaded.errors.slice(0, 5).map(formatConfigError).join('\n'));
  const now = Date.now();
  const store = SqliteStores.open(db);
  await store.estate.syncEstate(loaded.estate, now);
  const latest = latestRuns(loaded.estate, now - 60_000);
  await store.results.recordRuns(latest);
  const rows = writeTimeline(store, now - HISTORY_DAYS * DAY_MS, now - 120_000);
  // Latency principles read kept days and months, as a server that had been running would have them.
  writeLatencyHistory(store, loaded.estate, now, HISTORY_DAYS);
  const viewer = await signedIn(store, 'viewer', [], { now });
  await store.close();
  console.log(
    `${loaded.estate.checks.length.toLocaleString('en-GB')} checks at ${loaded.estate.sites.length} sites: ${rows.toLocaleString('en-GB')} stretches over ${HISTORY_DAYS} days, ${latest.length.toLocaleString('en-GB')} latest runs`,
  );

  const server = spawn(process.execPath, [cliPath, 'serve', '--config', config, '--db', db, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('vantage serve did not start')), 60_000);
      server.stdout?.on('data', (chunk: Buffer) => {
        const match = /running at (\S+)/.exec(chunk.toString());
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
    const cookie = `vantage_session=${viewer.secret}`;
    const ask = async () => {
      const answer = await fetch(new URL('/api/v1/overview', url), { headers: { cookie } });
      if (answer.status !== 200) throw new Error(`/api/v1/overview answered ${answer.status}`);
      await answer.json();
    };
    // The first ask works out both periods' figures; the server keeps them for a minute.
    console.log(formatRow({ label: 'overview API, first ask' }, stats([await timed(ask)])));
    console.log(
      formatRow({ label: 'overview API, figures kept' }, stats(await repeat(LOADS, () => timed(ask)))),
    );
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addCookies([
      { name: 'vantage_session', value: viewer.secret, url, httpOnly: true, sameSite: 'Lax' },
    ]);
    const page = await context.newPage();
    const address = new URL('/', url).toString();
    const loads = await repeat(LOADS, async () => {
      const started = performance.now();
      const answer = await page.goto(address);
      if (answer?.url() !== address) throw new Error(`${address} went to ${answer?.url()}`);
      await page
        .locator('[data-testid="scorecard-principles"] tbody tr')
        .first()
        .waitFor({ timeout: 60_000 });
      await page.locator('[data-testid="heatmap"] td[data-status]').first().waitFor({ timeout: 60_000 });
      return performance.now() - started;
    });
    console.log(formatRow({ label: 'overview page (10,000 checks)', goalMs: 1000 }, stats(loads)));
  } finally {
    await browser.close();
    server.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}
