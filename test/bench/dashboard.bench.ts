import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { RunRecord } from '../../runs/record.js';
import { loadEstateFile } from '../../server/config/load.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { signedIn, signInBrowser } from '../helpers/signed-in.js';
import { formatRow, repeat, stats } from './measure.js';
import { cliPath } from './processes.js';

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

/**
 * How long the dashboard's pages take to be usable (content drawn) for a 10,000-check estate:
 * the estate page, a check page and a system page, in headless Chromium.
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
  // Measured with sign-in on: a partner of the first system's owner, who is offered the note form.
  const partner = await signedIn(store, {
    email: 'it@org-0.example.org',
    name: 'Organisation 0 IT',
    role: 'partner',
    organisations: ['org-0'],
  });
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
    await signInBrowser(context, url, partner);
    const page = await context.newPage();
    const time = async (path: string, ready: string) => {
      const started = performance.now();
      await page.goto(new URL(path, url).toString());
      await page.locator(ready).first().waitFor({ timeout: 60_000 });
      return performance.now() - started;
    };
    const pages = [
      { label: 'estate page (10,000 checks)', path: '/', ready: 'table.nhsuk-table-responsive' },
      { label: 'check page', path: '/checks/check-0', ready: 'figure.vantage-chart canvas' },
      {
        label: 'system page (25 checks, and its notes)',
        path: '/systems/sys-0',
        ready: '[data-testid="verdict-check-0"]',
      },
    ];
    for (const p of pages)
      console.log(
        formatRow({ label: p.label, goalMs: 1000 }, stats(await repeat(5, () => time(p.path, p.ready)))),
      );
  } finally {
    await browser.close();
    server.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}
