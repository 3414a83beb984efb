import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DAY_MS, hourOf, londonDayOf } from '../../common/calendar.js';
import { summariseSlices } from '../../server/results/summary.js';
import { refreshYearSpans, windowSlices } from '../../server/results/window.js';
import { emptyPhases } from '../../server/rollups/codec.js';
import { record } from '../../server/rollups/histogram.js';
import { toRow } from '../../server/rollups/rollup.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { formatRow, repeat, stats, timed } from './measure.js';

const CHECKS = 10_000;
const SITES = 5;

/** A rollup as a busy hour (or day) of one check at one vantage point would hold it. */
function typicalRollup(runs: number, seed: number) {
  const phases = emptyPhases();
  for (let i = 0; i < 60; i++) {
    const ttfb = 80 + ((seed * 31 + i * 17) % 400);
    record(phases.dnsMs, 1 + (i % 7), runs / 60);
    record(phases.connectMs, 2 + (i % 5), runs / 60);
    record(phases.tlsMs, 8 + (i % 9), runs / 60);
    record(phases.ttfbMs, ttfb, runs / 60);
    record(phases.transferMs, 2 + (i % 4), runs / 60);
    record(phases.totalMs, ttfb + 20, runs / 60);
  }
  return { ok: runs - 2, degraded: 1, fail: 1, skipped: 0, minMs: 90, maxMs: 600, sumMs: runs * 250, phases };
}

/**
 * Summaries from rollups at the scale of a year: one check's 30 days from hourly rollups, and every
 * one of 10,000 checks over 365 days from daily rollups.
 */
export async function benchStorage(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vantage-storage-'));
  try {
    const store = SqliteStores.open(join(dir, 'vantage.db'));
    const estate = {
      organisations: [{ id: 'icb', name: 'ICB', kind: 'commissioner' as const }],
      sites: Array.from({ length: SITES }, (_, s) => ({ id: `site-${s}`, name: `Site ${s}`, host: 'icb' })),
      systems: [{ id: 'epr', name: 'EPR', owner: 'icb' }],
      checks: Array.from({ length: CHECKS }, (_, i) => ({
        id: `check-${i}`,
        system: 'epr',
        type: 'tcp' as const,
        target: '127.0.0.1:1',
        from: Array.from({ length: SITES }, (_, s) => `site-${s}`),
      })),
      principles: [],
      channels: [],
      surveys: [],
      settings: {},
    };
    const now = Date.now();
    await store.estate.syncEstate(estate as never, now);
    const db = store.db;
    const put = (table: string) =>
      db.prepare(
        `INSERT INTO ${table} (check_key, vp, bucket, ok, degraded, fail, skipped, min_ms, max_ms, sum_ms, phases)
         VALUES (@check, @vp, @bucket, @ok, @degraded, @fail, @skipped, @min_ms, @max_ms, @sum_ms, @phases)`,
      );
    const hourly = put('rollups_hourly');
    const daily = put('rollups_daily');
    const hourRow = toRow(typicalRollup(60, 1));
    const dayRow = toRow(typicalRollup(1440, 2));
    const started = performance.now();
    db.transaction(() => {
      // 30 days of hours for one check at five sites; a year of days for every check at one site.
      for (let h = hourOf(now) - 30 * 24; h <= hourOf(now); h++)
        for (let vp = 1; vp <= SITES; vp++) hourly.run({ check: 1, vp, bucket: h, ...hourRow });
      for (let c = 1; c <= CHECKS; c++) {
        for (let d = londonDayOf(now) - 365; d <= londonDayOf(now); d++) {
          for (let vp = 1; vp <= (c === 1 ? SITES : 1); vp++)
            daily.run({ check: c, vp, bucket: d, ...dayRow });
        }
      }
    })();
    console.log(
      `rollups written: ${(31 * 24 * SITES).toLocaleString('en-GB')} hourly, ${(CHECKS * 366).toLocaleString('en-GB')} daily in ${((performance.now() - started) / 1000).toFixed(1)} s; blob ${hourRow.phases.length} B hourly, ${dayRow.phases.length} B daily`,
    );

    const oneCheck = await repeat(9, () =>
      timed(async () => summariseSlices((await windowSlices(store.results, 'check-0', '30d', now)).slices)),
    );
    console.log(formatRow({ label: '30-day summary of one check (5 sites)', goalMs: 10 }, stats(oneCheck)));

    // The year of each check is kept merged by a background job; time it once, as it runs each day.
    const mergeStarted = performance.now();
    const merged = await refreshYearSpans(store.results, now, { batch: 200 });
    console.log(
      `year spans merged for ${merged.toLocaleString('en-GB')} checks in ${((performance.now() - mergeStarted) / 1000).toFixed(1)} s (in the background, once a day)`,
    );
    const allChecks = await repeat(5, () =>
      timed(async () => {
        for (let i = 0; i < CHECKS; i++)
          summariseSlices((await windowSlices(store.results, `check-${i}`, '365d', now)).slices);
      }),
    );
    console.log(
      formatRow({ label: '365-day summaries of all 10,000 checks', goalMs: 1000 }, stats(allChecks)),
    );
    const firstDay = londonDayOf(now - 365 * DAY_MS);
    const fromDays = await repeat(1, () =>
      timed(async () => {
        for (let i = 0; i < CHECKS; i++)
          summariseSlices(await store.results.rollups(`check-${i}`, 'daily', firstDay, londonDayOf(now) + 1));
      }),
    );
    console.log(formatRow({ label: '  the same, merging 366 daily rollups each' }, stats(fromDays)));
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
