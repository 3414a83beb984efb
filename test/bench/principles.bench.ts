import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DAY_MS } from '../../common/calendar.js';
import { formatConfigError, loadEstateFile } from '../../server/config/load.js';
import type { Estate, Principle } from '../../server/config/schema.js';
import { compliance, complianceOf } from '../../server/principles/compliance.js';
import { type ComplianceThread, complianceThread } from '../../server/principles/compliance-thread.js';
import { parsePeriod } from '../../server/principles/period.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { generateEstateYaml } from './generate-estate.js';
import { LATENCY_PRINCIPLES, writeLatencyHistory } from './latency-history.js';
import { formatRow, repeat, stats, timed } from './measure.js';

export const SITES = 500;
export const CHECKS = 10_000;
/** The history written: 13 months back from "now", as a year's report and its comparison read. */
const NOW = Date.parse('2026-12-03T12:00:00Z');
export const HISTORY_DAYS = 396;
/**
 * How often each (check, vantage point) fails (2 to 90 minutes) and falls silent (1 to 3 hours) a month.
 * Busy: once each, for every check at every site: some 25,000 outages a month across the economy, far
 * more than a working one has. Heavy: six outages a month everywhere, to show how the time grows.
 */
export const PROFILES = [
  { name: 'busy', outages: 1, silences: 1, goals: true },
  { name: 'heavy', outages: 6, silences: 1, goals: false },
] as const;
export type Profile = (typeof PROFILES)[number];
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/**
 * The principles read from the state timeline, over every check (the heaviest case). Latency principles
 * (LATENCY_PRINCIPLES) read kept days and months and the hourly rollups of a period's edges; their cost
 * of keeping is measured by `npm run bench -- latency`.
 */
export const PRINCIPLES: Principle[] = [
  {
    id: 'available-core',
    title: 'Available in core hours',
    metric: 'availability',
    target: '99.9%',
    hours: 'core',
  },
  {
    id: 'available-24x7',
    title: 'Available all hours',
    metric: 'availability',
    target: '99.5%',
    hours: '24x7',
  },
  { id: 'certificates', title: 'Certificates', metric: 'certificate-expiry', target: 14 },
];

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
 * A series' stretches over the history: up, broken by outages (down) and silences (no row), each
 * placed at random. Returns [from, to, state] rows, oldest first, none overlapping.
 */
function seriesStretches(
  random: () => number,
  profile: Profile,
  from: number,
  to: number,
): [number, number, number][] {
  const months = (to - from) / (30 * DAY_MS);
  const events: [number, number, number][] = [];
  const add = (count: number, minMs: number, maxMs: number, state: number) => {
    for (let i = 0; i < count; i++) {
      const start = from + Math.floor(random() * (to - from - maxMs));
      events.push([start, start + minMs + Math.floor(random() * (maxMs - minMs)), state]);
    }
  };
  add(Math.round(months * profile.outages), 120_000, 5_400_000, 1);
  add(Math.round(months * profile.silences), 3_600_000, 10_800_000, -1);
  events.sort((a, b) => a[0] - b[0]);
  const rows: [number, number, number][] = [];
  let at = from;
  for (const [start, end, state] of events) {
    if (start < at) continue;
    if (start > at) rows.push([at, start, 0]);
    if (state >= 0) rows.push([start, end, state]);
    at = end;
  }
  if (at < to) rows.push([at, to, 0]);
  return rows;
}

/** Writes the history's timeline for every (check, vantage point); returns the number of rows. */
export function writeTimeline(store: SqliteStores, profile: Profile): number {
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
  let rows = 0;
  const from = NOW - HISTORY_DAYS * DAY_MS;
  db.transaction(() => {
    for (const { check_key, vp } of series)
      for (const [a, b, state] of seriesStretches(random, profile, from, NOW)) {
        insert.run(check_key, vp, a, b, state);
        rows++;
      }
  })();
  return rows;
}

/** The bytes the timeline's table takes on disk, from SQLite's own page accounting. */
function timelineBytes(store: SqliteStores): number {
  return (
    store.db
      .prepare<[], number>("SELECT SUM(pgsize) FROM dbstat WHERE name = 'state_timeline'")
      .pluck()
      .get() ?? 0
  );
}

/**
 * Compliance of every principle for the 10,000-check estate, from the state timeline and the latency
 * principles' kept days: a calendar month and a rolling year, and the timeline's size per stretch and
 * for a year, for each profile.
 */
export async function benchPrinciples(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vantage-principles-'));
  try {
    const file = join(dir, 'estate.yaml');
    writeFileSync(file, generateEstateYaml({ sites: SITES, checks: CHECKS }));
    const loaded = loadEstateFile(file);
    if (!loaded.ok) throw new Error(loaded.errors.slice(0, 5).map(formatConfigError).join('\n'));
    const estate: Estate = { ...loaded.estate, principles: [...PRINCIPLES, ...LATENCY_PRINCIPLES] };
    for (const profile of PROFILES) await benchProfile(estate, join(dir, `${profile.name}.db`), profile);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchProfile(estate: Estate, dbFile: string, profile: Profile): Promise<void> {
  const store = SqliteStores.open(dbFile);
  let thread: ComplianceThread | undefined;
  try {
    await store.estate.syncEstate(estate, NOW);
    let rows = 0;
    const writeMs = await timed(() => {
      rows = writeTimeline(store, profile);
    });
    const bytes = timelineBytes(store);
    let latency = { kept: 0, hours: 0 };
    const latencyMs = await timed(() => {
      latency = writeLatencyHistory(store, estate, NOW, HISTORY_DAYS);
    });
    console.log(
      `  latency: ${latency.kept.toLocaleString('en-GB')} kept days and months and ${latency.hours.toLocaleString('en-GB')} hourly rollups (the periods' edges), written in ${(latencyMs / 1000).toFixed(1)} s`,
    );
    const perRow = bytes / rows;
    const series = estate.checks.reduce((sum, check) => sum + (check.from?.length ?? 1), 0);
    const perSeriesYear = (rows / series) * (365 / HISTORY_DAYS);
    console.log(
      `${profile.name}: ${profile.outages} outage(s) and ${profile.silences} silence a month at each of ${series.toLocaleString('en-GB')} (check, site) series: ${rows.toLocaleString('en-GB')} stretches over ${HISTORY_DAYS} days, written in ${(writeMs / 1000).toFixed(1)} s`,
    );
    console.log(
      `  timeline size: ${perRow.toFixed(1)} bytes per stretch on disk (table and key together); a year ≈ ${((perRow * perSeriesYear * series) / 1024 ** 2).toFixed(0)} MB (${perSeriesYear.toFixed(0)} stretches a series)`,
    );
    const sources = { results: store.results, maintenance: store.maintenance };
    // As the server judges them: latency principles in the compliance thread, started as a server's is.
    thread = complianceThread(dbFile);
    const threaded = { ...sources, ...(thread ? { thread } : {}) };
    await complianceOf(estate, threaded, LATENCY_PRINCIPLES, parsePeriod('1h', NOW));
    // A server's first answer after it starts also compiles the code that makes it, so it is shown on
    // its own line: the rows below are a running server's answers.
    const first = await timed(() =>
      complianceOf(estate, threaded, estate.principles, parsePeriod('2026-11', NOW)),
    );
    console.log(
      formatRow({ label: '  every principle, the first answer after start (2026-11)' }, stats([first])),
    );
    // A year both ways the API names one: the last 365 days (the most edges to read) and the calendar
    // year so far: eleven kept months, two kept days and today's hours.
    for (const [label, period, goalMs, eachAlone] of [
      ['a calendar month (2026-11)', '2026-11', 1000, true],
      ['a year (365d)', '365d', 3000, true],
      ['a calendar year so far (2026)', '2026', 3000, false],
    ] as const) {
      // As the principles list and a report read them: all together, the timeline read once.
      const together = await repeat(RUNS, () =>
        timed(() => complianceOf(estate, threaded, estate.principles, parsePeriod(period, NOW))),
      );
      const goal = profile.goals ? { goalMs } : {};
      console.log(formatRow({ label: `  every principle, ${label}`, ...goal }, stats(together)));
      const oneThread = await repeat(RUNS, () =>
        timed(() => complianceOf(estate, sources, estate.principles, parsePeriod(period, NOW))),
      );
      console.log(formatRow({ label: '    the same in one thread' }, stats(oneThread)));
      const timelineOnly = await repeat(RUNS, () =>
        timed(() => complianceOf(estate, sources, PRINCIPLES, parsePeriod(period, NOW))),
      );
      console.log(formatRow({ label: '    the timeline principles together' }, stats(timelineOnly)));
      // As one principle's evidence page reads it: alone.
      for (const principle of eachAlone ? estate.principles : []) {
        const alone = await repeat(RUNS, () =>
          timed(() => compliance(estate, sources, principle, parsePeriod(period, NOW))),
        );
        console.log(formatRow({ label: `    ${principle.id} alone` }, stats(alone)));
      }
    }
  } finally {
    await thread?.close();
    await store.close();
  }
}
