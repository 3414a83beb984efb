import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DAY_MS, HOUR_MS } from '../../common/calendar.js';
import { formatConfigError, loadEstateFile } from '../../server/config/load.js';
import type { Estate, Principle } from '../../server/config/schema.js';
import { compliance } from '../../server/principles/compliance.js';
import { parsePeriod } from '../../server/principles/period.js';
import { emptyPhases, encodePhases } from '../../server/rollups/codec.js';
import { record } from '../../server/rollups/histogram.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { generateEstateYaml } from './generate-estate.js';
import { formatRow, repeat, stats, timed } from './measure.js';

/**
 * Latency principles read the hourly rollups (a year of hours per series), which the principles
 * benchmark does not write: a year of 10,000 checks' hours is gigabytes. This writes a year of hours
 * for a sample of the 10,000-check estate's checks and projects the whole from the sample.
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
      const sources = { results: store.results, maintenance: store.maintenance };
      for (const principle of PRINCIPLES) {
        const samples = await repeat(RUNS, () =>
          timed(() => compliance(estate, sources, principle, parsePeriod('365d', NOW))),
        );
        const measured = stats(samples);
        console.log(formatRow({ label: `  ${principle.id}, a year, ${SAMPLE} checks` }, measured));
        const scale = ESTATE_CHECKS / SAMPLE;
        const projected = {
          median: measured.median * scale,
          min: measured.min * scale,
          max: measured.max * scale,
        };
        console.log(formatRow({ label: '    projected to 10,000 checks', goalMs: 3000 }, projected));
      }
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
