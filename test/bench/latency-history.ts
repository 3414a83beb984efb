import { DAY_MS, hourOf, londonDayOf, monthStartDay, nextMonthDay } from '../../common/calendar.js';
import { SERVER_VANTAGE_POINT } from '../../runs/record.js';
import type { Estate, Principle } from '../../server/config/schema.js';
import { eachSummary, encodeBody, type VantageSummary } from '../../server/principles/kept-body.js';
import { dayRow, dayStart, keptObjectiveOf, monthRow } from '../../server/principles/latency-kept.js';
import { emptyPhases, encodePhases } from '../../server/rollups/codec.js';
import { record } from '../../server/rollups/histogram.js';
import type { KeptRow } from '../../server/store/latency-kept.js';
import type { PhaseSlice } from '../../server/store/results.js';
import type { SqliteStores } from '../../server/store/sqlite/stores.js';

/** The catalogue's latency principle, in core hours and at all hours. */
export const LATENCY_PRINCIPLES: Principle[] = [
  { id: 'responsive', title: 'Responsive', metric: 'latency', percentile: 95, target: '3s', hours: 'core' },
  {
    id: 'responsive-24x7',
    title: 'Responsive at all hours',
    metric: 'latency',
    percentile: 95,
    target: '3s',
    hours: '24x7',
  },
];

/** A few hours' histograms as stored: a minute's runs an hour, spread over some buckets of each phase. */
export function hourBlobs(): Uint8Array[] {
  return [120, 180, 260, 900, 2_400].map((base) => {
    const phases = emptyPhases();
    for (let i = 0; i < 60; i++) {
      // One run in 60 over 3 s; in the slow hour's histogram, four (its p95 is over 3 s).
      const total = base + (i % 7) * 15 + (i === 59 || (base > 2_000 && i >= 56) ? 2_500 : 0);
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

/**
 * Series fall into this many kinds, each slow (p95 over 3 s) for one hour in every 30 days at its own
 * moment: as the principles benchmark's busy profile has one outage a month at each series.
 */
const KINDS = 8;

/** The blob of an hour of a kind of series: mostly quick, slow one hour a month. */
const blobOf = (blobs: Uint8Array[], hour: number, kind: number) =>
  blobs[(hour + kind * 89) % 720 === 0 ? 4 : hour % 4] as Uint8Array;

/**
 * Latency history as a server that had kept it all along would hold it, for every (check, vantage point)
 * of a large estate: the kept months and days a latency principle reads over the history (built by the
 * real builders from one series' hours and given to each vantage point), and the hourly rollups of the
 * partial days at its ends and of the last two days (a rolling period's edges and its last day). A year
 * of every hour of 25,000 series would be hundreds of millions of rows; these are what the reads touch.
 */
export function writeLatencyHistory(
  store: SqliteStores,
  estate: Estate,
  now: number,
  historyDays: number,
): { kept: number; hours: number } {
  const db = store.db;
  const blobs = hourBlobs();
  const firstDay = monthStartDay(londonDayOf(now - historyDays * DAY_MS));
  const today = londonDayOf(now);
  // One vantage point '@k' for each kind of series.
  const template = (from: number, to: number): PhaseSlice[] => {
    const out: PhaseSlice[] = [];
    for (let hour = hourOf(from); hour < hourOf(to); hour++)
      for (let kind = 0; kind < KINDS; kind++)
        out.push({ vantagePoint: `@${kind}`, bucket: hour, phases: blobOf(blobs, hour, kind) });
    return out;
  };
  // Each objective's rows for one series of each kind, as the summaries inside the bodies.
  const units: { objective: string; day: number; unit: KeptRow['unit']; summaries: VantageSummary[] }[] = [];
  const summaryOf = (row: KeptRow) => {
    const body = new Map<string, VantageSummary>();
    eachSummary(row.body, (vp, s, h) => body.set(vp, { s, h }));
    return Array.from({ length: KINDS }, (_, kind) => body.get(`@${kind}`) as VantageSummary);
  };
  for (const principle of estate.principles) {
    const objective = keptObjectiveOf(estate, principle);
    if (principle.metric !== 'latency' || !objective) continue;
    for (let month = firstDay; month < today; month = nextMonthDay(month)) {
      const end = Math.min(nextMonthDay(month), today);
      const days: KeptRow[] = [];
      for (let day = month; day < end; day++)
        days.push(dayRow(objective, day, template(dayStart(day), dayStart(day + 1))));
      if (nextMonthDay(month) <= today) {
        const row = monthRow(month, days);
        units.push({ objective: objective.key, day: month, unit: 'month', summaries: summaryOf(row) });
      }
      // Day rows where a period reads days (a server keeps them all; writing them all would take minutes):
      // the first two months (a rolling year starts in the second) and the last three (30 days and the
      // 30 before, each a part-month read as its month less the days outside).
      const recent = nextMonthDay(nextMonthDay(nextMonthDay(month))) > today;
      if (month === firstDay || month === nextMonthDay(firstDay) || recent)
        for (const row of days)
          units.push({ objective: objective.key, day: row.day, unit: 'day', summaries: summaryOf(row) });
    }
  }
  const series = db
    .prepare<[], { check_key: number; vp: number; site: string | null }>(
      `SELECT c.key AS check_key, coalesce(s.key, 0) AS vp, s.id AS site FROM checks c
       LEFT JOIN json_each(c.definition, '$.from') f LEFT JOIN sites s ON s.id = f.value ORDER BY c.key`,
    )
    .all();
  const sitesOf = new Map<number, string[]>();
  const kindOf = new Map<string, number>();
  // A check with no `from` sites is run by the server itself.
  for (const { check_key, vp, site } of series) {
    const sites = sitesOf.get(check_key) ?? [];
    kindOf.set(`${check_key}:${vp}`, (check_key + sites.length) % KINDS);
    sitesOf.set(check_key, [...sites, site ?? SERVER_VANTAGE_POINT]);
  }
  const putKept = {
    day: db.prepare('INSERT INTO latency_days (objective, check_key, day, body) VALUES (?, ?, ?, ?)'),
    month: db.prepare('INSERT INTO latency_months (objective, check_key, day, body) VALUES (?, ?, ?, ?)'),
  };
  // An hour the caller already has rollups of (runs it recorded) keeps them.
  const putHour = db.prepare(
    `INSERT OR IGNORE INTO rollups_hourly (check_key, vp, bucket, ok, degraded, fail, skipped, min_ms, max_ms, sum_ms, phases)
     VALUES (?, ?, ?, 60, 0, 0, 0, 100, 4000, 20000, ?)`,
  );
  // The hours a read takes from the rollups: the first partial day, and the last two days.
  const edges = [
    [hourOf(now - historyDays * DAY_MS) - 24, hourOf(dayStart(londonDayOf(now - historyDays * DAY_MS) + 1))],
    [hourOf(dayStart(today - 1)), hourOf(now) + 1],
  ];
  let kept = 0;
  let hours = 0;
  db.transaction(() => {
    for (const [check, sites] of sitesOf)
      for (const unit of units) {
        const body = encodeBody(
          sites.map((site, i) => [site, unit.summaries[(check + i) % KINDS] as VantageSummary] as const),
        );
        putKept[unit.unit].run(unit.objective, check, unit.day, body);
        kept++;
      }
    for (const { check_key, vp } of series)
      for (const [from, to] of edges)
        for (let hour = from as number; hour < (to as number); hour++) {
          putHour.run(check_key, vp, hour, blobOf(blobs, hour, kindOf.get(`${check_key}:${vp}`) ?? 0));
          hours++;
        }
  })();
  return { kept, hours };
}
