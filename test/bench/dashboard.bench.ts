import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { silentLogger } from '../../common/logger.js';
import type { RunRecord } from '../../runs/record.js';
import { createApp } from '../../server/api/app.js';
import { loadEstateFile } from '../../server/config/load.js';
import type { Estate } from '../../server/config/schema.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { signedIn } from '../helpers/sessions.js';
import { formatRow, repeat, stats } from './measure.js';
import { cliPath, repoRoot } from './processes.js';
import { withoutGuards } from './without-guards.js';

const CHECKS = 10_000;
const SYSTEMS = 400; // 25 checks a system, each from three of 500 sites
const SITES = 500;

function estateYaml(): string {
  const lines = ['organisations:'];
  for (let o = 0; o < 100; o++) lines.push(`  - { id: org-${o}, name: Organisation ${o}, kind: acute }`);
  lines.push('sites:');
  for (let s = 0; s < SITES; s++) lines.push(`  - { id: site-${s}, name: Site ${s}, host: org-${s % 100} }`);
  lines.push('systems:');
  for (let s = 0; s < SYSTEMS; s++)
    lines.push(`  - { id: sys-${s}, name: System ${s}, owner: org-${s % 100} }`);
  lines.push('checks:');
  for (let i = 0; i < CHECKS; i++) {
    const from = [i % SITES, (i * 7) % SITES, (i * 13) % SITES].map((s) => `site-${s}`);
    lines.push(
      `  - { id: check-${i}, system: sys-${i % SYSTEMS}, type: http, target: "https://sys-${i % SYSTEMS}.example.org/", from: [${[...new Set(from)].join(', ')}] }`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** A day of results, one every ten minutes, for the checks of the first system at their sites. */
function history(
  estate: { checks: { id: string; system: string; from?: string[] }[] },
  now: number,
): RunRecord[] {
  const runs: RunRecord[] = [];
  for (const check of estate.checks.filter((c) => c.system === 'sys-0')) {
    for (const site of check.from ?? []) {
      for (let t = now - 86_400_000; t < now; t += 600_000) {
        const ttfb = 100 + ((t / 600_000) % 50);
        runs.push({
          checkId: check.id,
          vantagePoint: site,
          startedAt: t,
          state: 'ok',
          phases: { dnsMs: 2, connectMs: 3, tlsMs: 10, ttfbMs: ttfb, transferMs: 2, totalMs: ttfb + 17 },
        });
      }
    }
  }
  return runs;
}

const PAGES = [
  { label: 'estate page (10,000 checks)', path: '/estate', ready: 'table.nhsuk-table-responsive' },
  { label: 'check page', path: '/checks/check-0', ready: 'figure.vantage-chart canvas' },
  { label: 'system page (25 checks)', path: '/systems/sys-0', ready: '[data-testid="verdict-check-0"]' },
];

const WARM_UP_LOADS = 2;
const PAIRED_LOADS = 12;

type PageTimer = (address: string, ready: string) => Promise<number>;

/** Times a page from asking for it to its content drawn, in one tab of the context. */
async function pageTimer(context: BrowserContext): Promise<PageTimer> {
  const page = await context.newPage();
  return async (address, ready) => {
    const started = performance.now();
    const answer = await page.goto(address);
    // A page not signed in would be sent to sign in instead, and its figure would mean nothing.
    if (answer?.url() !== address) throw new Error(`${address} went to ${answer?.url()}`);
    await page.locator(ready).first().waitFor({ timeout: 60_000 });
    return performance.now() - started;
  };
}

/**
 * What signing in costs a page, in one run: the same app in this process, once as served (signed in)
 * and once with its guards taken out, each page loaded from each in turn.
 */
async function signInCost(db: string, estate: Estate, secret: string, browser: Browser): Promise<void> {
  const store = SqliteStores.open(db);
  const deps = {
    store,
    clock: { now: () => Date.now() },
    logger: silentLogger,
    estate: () => estate,
    webRoot: join(repoRoot, 'dist', 'web'),
  };
  const servers: http.Server[] = [];
  try {
    const listen = async (app: http.RequestListener) => {
      const server = http.createServer(app);
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    };
    const variants = [
      { label: 'signed in', base: await listen(createApp(deps)) },
      { label: 'no guards', base: await listen(withoutGuards(createApp(deps))) },
    ];
    const timers: PageTimer[] = [];
    for (const variant of variants) {
      const context = await browser.newContext();
      await context.addCookies([
        { name: 'vantage_session', value: secret, url: variant.base, httpOnly: true, sameSite: 'Lax' },
      ]);
      timers.push(await pageTimer(context));
    }
    console.log('the same pages served in this process, signed in and with the guards taken out, in turn:');
    for (const p of PAGES) {
      const samples: number[][] = [[], []];
      for (let round = 0; round < WARM_UP_LOADS + PAIRED_LOADS; round++) {
        for (const i of round % 2 === 0 ? [0, 1] : [1, 0]) {
          const variant = variants[i] as (typeof variants)[number];
          const ms = await (timers[i] as PageTimer)(`${variant.base}${p.path}`, p.ready);
          // The first loads of each warm the server's and the browser's caches.
          if (round >= WARM_UP_LOADS) samples[i]?.push(ms);
        }
      }
      const [signed, bare] = samples as [number[], number[]];
      // Each load signed in against the load without guards next to it: the machine's drift falls on both.
      const added = stats(signed.map((ms, k) => ms - (bare[k] as number))).median;
      console.log(
        `${p.label.padEnd(36)} signed in ${Math.round(stats(signed).median)} ms, no guards ${Math.round(stats(bare).median)} ms; added, median of ${PAIRED_LOADS} pairs: ${added >= 0 ? '+' : ''}${Math.round(added)} ms`,
      );
    }
  } finally {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    await store.close();
  }
}

/**
 * How long the dashboard's pages take to be usable (content drawn) for a 10,000-check estate:
 * the estate page, a check page and a system page, in headless Chromium, signed in.
 */
export async function benchDashboard(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vantage-dashboard-'));
  const config = join(dir, 'estate.yaml');
  const db = join(dir, 'vantage.db');
  writeFileSync(config, estateYaml());
  const loaded = loadEstateFile(config, {});
  if (!loaded.ok) throw new Error('the generated estate is invalid');
  const store = SqliteStores.open(db);
  const now = Date.now();
  await store.estate.syncEstate(loaded.estate, now);
  await store.results.recordRuns(history(loaded.estate, now));
  // Measured signed in, as people use it: a viewer's session, its cookie given to the browser.
  const viewer = await signedIn(store, 'viewer', [], { now });
  await store.close();

  const server = spawn(process.execPath, [cliPath, 'serve', '--config', config, '--db', db, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('vantage serve did not start')), 30_000);
      server.stdout?.on('data', (chunk: Buffer) => {
        const match = /running at (\S+)/.exec(chunk.toString());
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
    const context = await browser.newContext();
    await context.addCookies([
      { name: 'vantage_session', value: viewer.secret, url, httpOnly: true, sameSite: 'Lax' },
    ]);
    const timer = await pageTimer(context);
    for (const p of PAGES)
      console.log(
        formatRow(
          { label: p.label, goalMs: 1000 },
          stats(await repeat(5, () => timer(new URL(p.path, url).toString(), p.ready))),
        ),
      );
    await signInCost(db, loaded.estate, viewer.secret, browser);
  } finally {
    await browser.close();
    server.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}
