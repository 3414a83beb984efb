import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DAY_MS, HOUR_MS } from '../../common/calendar.js';
import { formatConfigError, loadEstateFile } from '../../server/config/load.js';
import type { Estate, Principle } from '../../server/config/schema.js';
import { compliance } from '../../server/principles/compliance.js';
import { keepLatency } from '../../server/principles/latency-keeper.js';
import { parsePeriod } from '../../server/principles/period.js';
import { emptyPhases, encodePhases } from '../../server/rollups/codec.js';
import { record } from '../../server/rollups/histogram.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { generateEstateYaml } from './generate-estate.js';
import { formatRow, repeat, stats, timed } from './measure.js';

/**
 * Latency principles read kept days and months, built in the background from the hourly rollups. This
 * writes a year of hours for a sample of the 10,000-check estate's checks, and projects to the whole: a
 * year read from every hour (as before days were kept), the keeping itself, and a year read from kept
 * days. The whole estate's figures from kept days are measured by the principles benchmark.
 */
const SAMPLE = Number(process.env.BENCH_LATENCY_CHECKS ?? 200);
const ESTATE_CHECKS = 10_000;
const NOW = Date.parse('2026-12-03T12:00:00Z');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

const PRINCIPLES: Principle[] = [
  { id: 'responsive', title: 'Responsive', metric: 'latency', percentile: 95, target: '3s', hours: 'core' },
  {
    id: 'responsive-24x7',
    title: 'Responsive',
    metric: 'latency',
    percentile: 95,
    target: '3s',
    hours: '24x7',
  },
];

/** A few hours' histograms as stored: a minute's runs an hour, spread over some buckets of each phase. */
function blobs(): Uint8Array[] {
  return [120, 180, 260, 900].map((base) => {
    const phases = emptyPhases();
    for (let i = 0; i < 60; i++) {
      const total = base + (i % 7) * 15 + (i === 59 ? 2_500 : 0);
      record(phases.dnsMs, 2 + (i % 3));
      record(phases.connectMs, 5 + (i % 4));
      record(phases.tlsMs, 12 + (i % 5));
      record(phases.ttfbMs, total - 40);
      record(phases.transferMs, 3);
      record(phases.totalMs, total);
    }
    return encodePhases(phases);
  });
}

/** A year and a month of hourly rollups for every (check, vantage point) of the sample. */
function writeHours(store: SqliteStores): number {
  const db = store.db;
  const series = db
    .prepare<[], { check_key: number; vp: number }>(
      `SELECT c.key AS check_key, s.key AS vp FROM checks c, json_each(c.definition, '$.from') f
       JOIN sites s ON s.id = f.value`,
    )
    .all();
  const insert = db.prepare(
    `INSERT INTO rollups_hourly (check_key, vp, bucket, ok, degraded, fail, skipped, min_ms, max_ms, sum_ms, phases)
     VALUES (?, ?, ?, 60, 0, 0, 0, 100, 4000, 20000, ?)`,
  );
  const kinds = blobs();
  const first = Math.floor((NOW - 396 * DAY_MS) / HOUR_MS);
  const last = Math.floor(NOW / HOUR_MS);
  let rows = 0;
  db.transaction(() => {
    for (const { check_key, vp } of series)
      for (let hour = first; hour < last; hour++) {
        insert.run(check_key, vp, hour, kinds[(hour + check_key) % kinds.length] as Uint8Array);
        rows++;
      }
  })();
  return rows;
}

/** A year of latency compliance for a sample of the 10,000-check estate, and the whole projected. */
export async function benchLatency(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vantage-latency-'));
  try {
    const file = join(dir, 'estate.yaml');
    writeFileSync(file, generateEstateYaml({ sites: 500, checks: ESTATE_CHECKS }));
    const loaded = loadEstateFile(file);
    if (!loaded.ok) throw new Error(loaded.errors.slice(0, 5).map(formatConfigError).join('\n'));
    const estate: Estate = {
      ...loaded.estate,
      checks: loaded.estate.checks.slice(0, SAMPLE),
      principles: PRINCIPLES,
    };
    const store = SqliteStores.open(join(dir, 'latency.db'));
    try {
      await store.estate.syncEstate(estate, NOW);
      let rows = 0;
      const writeMs = await timed(() => {
        rows = writeHours(store);
      });
      console.log(
        `${SAMPLE} of the 10,000 checks: ${rows.toLocaleString('en-GB')} hourly rollups over 396 days, written in ${(writeMs / 1000).toFixed(1)} s`,
      );
      const scale = ESTATE_CHECKS / SAMPLE;
      const projectedRow = (label: string, measured: ReturnType<typeof stats>, goalMs?: number) =>
        console.log(
          formatRow(
            { label, ...(goalMs ? { goalMs } : {}) },
            { median: measured.median * scale, min: measured.min * scale, max: measured.max * scale },
          ),
        );
      // Every hour from the rollups: how latency was read before days and months were kept.
      const results = store.results;
      const direct = {
        results: {
          timeline: results.timeline.bind(results),
          timelines: results.timelines.bind(results),
          hourlyPhases: results.hourlyPhases.bind(results),
        },
        maintenance: store.maintenance,
      };
      const kept = { results: store.results, maintenance: store.maintenance };
      for (const principle of PRINCIPLES) {
        const measured = stats(
          await repeat(RUNS, () =>
            timed(() => compliance(estate, direct, principle, parsePeriod('365d', NOW))),
          ),
        );
        console.log(
          formatRow({ label: `  ${principle.id}, a year from every hour, ${SAMPLE} checks` }, measured),
        );
        projectedRow('    projected to 10,000 checks', measured);
      }
      // Keeping: once for the whole history (a new server, or a new objective), then a day at a time.
      const backfill = await timed(() => keepLatency(estate, store.results, NOW));
      console.log(
        formatRow(
          { label: `  keeping ${SAMPLE} checks' 396 days and 13 months, both objectives` },
          stats([backfill]),
        ),
      );
      projectedRow('    projected to 10,000 checks (once, in the background)', stats([backfill]));
      const nextDay = await timed(() => keepLatency(estate, store.results, NOW + DAY_MS));
      projectedRow('    a new day kept, projected to 10,000 checks', stats([nextDay]));
      for (const principle of PRINCIPLES)
        for (const period of ['2026-11', '365d']) {
          const measured = stats(
            await repeat(RUNS, () =>
              timed(() => compliance(estate, kept, principle, parsePeriod(period, NOW))),
            ),
          );
          console.log(
            formatRow({ label: `  ${principle.id}, ${period} from kept days, ${SAMPLE} checks` }, measured),
          );
          projectedRow('    projected to 10,000 checks', measured, period === '365d' ? 3000 : 1000);
        }
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
