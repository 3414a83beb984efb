import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import { type RunRecord, SERVER_VANTAGE_POINT } from '../../runs/record.js';
import type { Principle } from '../../server/config/schema.js';
import { latencyKeptRepo } from '../../server/db/repos/latency-kept.js';
import { Monitor } from '../../server/monitor.js';
import { type ComplianceSources, compliance, complianceOf } from '../../server/principles/compliance.js';
import { eachSummary } from '../../server/principles/kept-body.js';
import { keepLatency } from '../../server/principles/latency-keeper.js';
import { parsePeriod } from '../../server/principles/period.js';
import { emptyPhases, encodePhases } from '../../server/rollups/codec.js';
import { record } from '../../server/rollups/histogram.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';
import { ManualTimers } from '../helpers/manual-timers.js';
import { useTmpDir } from '../helpers/tmp.js';
import { until } from '../helpers/until.js';

const tmp = useTmpDir();
const H = 3_600_000;
const DAY = 86_400_000;
/** Mid-afternoon on a Friday, three weeks after the clocks went back (25 October 2026). */
const NOW = Date.UTC(2026, 10, 20, 14, 17);
const FIRST_HOUR = Date.UTC(2026, 7, 25) / H;

const estate = estateFrom(`${smallEstateYaml
  .replace(
    '  - { id: marsh-lane, name: Marsh Lane Centre, host: eastfield }',
    `  - { id: marsh-lane, name: Marsh Lane Centre, host: eastfield }
  - { id: kings-road, name: Kings Road Surgery, host: eastfield }`,
  )
  .replace('from: [st-annes, marsh-lane]', 'from: [st-annes, marsh-lane, kings-road]')}  - id: epr-api
    system: epr
    type: tcp
    target: epr.example.org:443
    every: 1m
settings:
  bankHolidays: ['2026-10-05']
maintenance:
  - { id: upgrade, title: EPR upgrade, start: 2026-10-14T17:20, end: 2026-10-15T02:40, scope: { systems: [epr] } }
  - { id: patching, title: Patching, cron: "30 9 * * 3", duration: 90m, scope: { sites: [marsh-lane] } }
principles:
  - { id: fast-core, title: Fast in core hours, metric: latency, percentile: 95, target: 1s, hours: core }
  - { id: fast-always, title: Fast all hours, metric: latency, percentile: 90, target: 800ms, hours: 24x7 }
`);
const principles = estate.principles as Principle[];

/** The same pseudo-random hours every run: most fast, some slow, some silent. */
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

function writeHours(store: SqliteStores, seed: number): void {
  const random = seeded(seed);
  const series = store.db
    .prepare<[], { check_key: number; vp: number }>(
      `SELECT c.key AS check_key, coalesce(s.key, 0) AS vp FROM checks c
       LEFT JOIN json_each(c.definition, '$.from') f LEFT JOIN sites s ON s.id = f.value`,
    )
    .all();
  const insert = store.db.prepare(
    `INSERT INTO rollups_hourly (check_key, vp, bucket, ok, degraded, fail, skipped, min_ms, max_ms, sum_ms, phases)
     VALUES (?, ?, ?, 6, 0, 0, 0, 100, 9000, 3000, ?)`,
  );
  store.db.transaction(() => {
    for (const { check_key, vp } of series)
      for (let hour = FIRST_HOUR; hour <= Math.floor(NOW / H); hour++) {
        if (random() < 0.05) continue; // silent
        const phases = emptyPhases();
        const slowShare = random() < 0.1 ? 0.5 : 0.02;
        for (let run = 0; run < 6 + Math.floor(random() * 20); run++)
          record(phases.totalMs, random() < slowShare ? 1_500 + random() * 4_000 : 80 + random() * 700);
        insert.run(check_key, vp, hour, encodePhases(phases));
      }
  })();
}

/** The figures a partner reads, to compare one way of reading with another. */
async function figures(sources: ComplianceSources, period: string) {
  const out = [];
  for (const principle of principles) {
    const answer = await compliance(estate, sources, principle, parsePeriod(period, NOW));
    out.push({
      principle: principle.id,
      status: answer.status,
      value: answer.value,
      items: answer.items.map((item) => ({
        key: `${item.site}/${item.system}`,
        status: item.status,
        value: item.value,
        minutes: item.minutes,
        budget: item.budget,
        burn: item.burn,
        attribution: item.attribution,
      })),
    });
  }
  return out;
}

/** Minutes are sums of fractions: equal to a billionth of a minute, whatever order they were added in. */
function expectSame(kept: unknown, direct: unknown): void {
  const round = (value: unknown): unknown =>
    typeof value === 'number'
      ? Math.round(value * 1e6) / 1e6
      : Array.isArray(value)
        ? value.map(round)
        : value && typeof value === 'object'
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, round(v)]))
          : value;
  expect(round(kept)).toEqual(round(direct));
}

// Calendar and rolling; '80d' begins on 1 September (its month less a day), '85d' late in August.
const PERIODS = ['2026-10', '2026-Q4', '30d', '45d', '7d', '36h', '2026', '65d', '80d', '85d'];

describe('latency principles read from kept days and months', () => {
  let store: SqliteStores;
  let hoursRead: number;
  beforeEach(async () => {
    store = SqliteStores.open(join(tmp(), 'kept.db'));
    await store.estate.syncEstate(estate, NOW - 90 * DAY);
    hoursRead = 0;
  });
  afterEach(async () => {
    await store.close();
  });

  const sources = (withKept: boolean): ComplianceSources => {
    const results = store.results;
    const counted = {
      timeline: results.timeline.bind(results),
      timelines: results.timelines.bind(results),
      hourlyPhases: async (checkId: string, from: number, to: number, mask?: string) => {
        const slices = await results.hourlyPhases(checkId, from, to, mask);
        hoursRead += slices.length;
        return slices;
      },
    };
    return {
      results: withKept ? { ...counted, latencyKept: results.latencyKept } : counted,
      maintenance: store.maintenance,
    };
  };

  it('gives the figures the hourly rollups give, to the minute, for calendar and rolling periods across the clock change', async () => {
    for (const seed of [1, 2, 3]) {
      store.db.exec('DELETE FROM rollups_hourly; DELETE FROM latency_days; DELETE FROM latency_months;');
      writeHours(store, seed);
      const direct = [];
      for (const period of PERIODS) direct.push(await figures(sources(false), period));
      const directHours = hoursRead;
      const report = await keepLatency(estate, store.results, NOW);
      expect(report.built).toBeGreaterThan(0);
      hoursRead = 0;
      for (const [i, period] of PERIODS.entries()) {
        const kept = await figures(sources(true), period);
        expectSame(kept, direct[i]);
      }
      // The point of keeping: the kept months and days stand for almost every hour.
      expect(hoursRead).toBeLessThan(directHours / 5);
      // The figures are not all alike: some items over their target, some within.
      const statuses = new Set(direct.flat().flatMap((f) => f.items.map((item) => item.status)));
      expect(statuses.has('met') || statuses.has('at-risk')).toBe(true);
      expect(statuses.has('breached')).toBe(true);
    }
  });

  it("judges its principles together exactly as each alone, reading each check's hours once for them all", async () => {
    writeHours(store, 4);
    await keepLatency(estate, store.results, NOW);
    for (const withKept of [false, true])
      for (const period of PERIODS) {
        hoursRead = 0;
        const alone = [];
        for (const principle of principles)
          alone.push(await compliance(estate, sources(withKept), principle, parsePeriod(period, NOW)));
        const aloneHours = hoursRead;
        hoursRead = 0;
        const together = await complianceOf(estate, sources(withKept), principles, parsePeriod(period, NOW));
        expect(JSON.stringify(together)).toBe(JSON.stringify(alone));
        expect(hoursRead).toBeLessThan(aloneHours);
      }
  });

  it('reads rows kept as JSON, before bodies were bytes, beside rows of bytes and alone, to the same figures', async () => {
    writeHours(store, 6);
    await keepLatency(estate, store.results, NOW);
    const fromBytes = [];
    for (const period of PERIODS) fromBytes.push(await figures(sources(true), period));
    // Every other row first, then the rest.
    for (const half of [0, 1]) {
      let rewritten = 0;
      for (const table of ['latency_days', 'latency_months']) {
        const rows = store.db
          .prepare<[], { objective: string; check_key: number; day: number; body: Uint8Array }>(
            `SELECT objective, check_key, day, body FROM ${table} ORDER BY objective, check_key, day`,
          )
          .all();
        const update = store.db.prepare(
          `UPDATE ${table} SET body = ? WHERE objective = ? AND check_key = ? AND day = ?`,
        );
        rows.forEach((row, i) => {
          if (i % 2 !== half) return;
          const json: Record<string, { s: number[]; h: number[] }> = {};
          eachSummary(row.body, (vp, s, h) => {
            json[vp] = { s, h };
          });
          update.run(JSON.stringify(json), row.objective, row.check_key, row.day);
          rewritten++;
        });
      }
      expect(rewritten).toBeGreaterThan(0);
      for (const [i, period] of PERIODS.entries())
        expect(await figures(sources(true), period)).toEqual(fromBytes[i]);
    }
    expect(
      store.db.prepare("SELECT count(*) FROM latency_months WHERE typeof(body) != 'text'").pluck().get(),
    ).toBe(0);
  });

  it('builds only what is missing, and drops what no principle needs any more', async () => {
    writeHours(store, 7);
    const first = await keepLatency(estate, store.results, NOW);
    // Two objectives × two checks × days from 1 August (the first month) to yesterday, and the closed
    // months August, September and October.
    const days = Date.UTC(2026, 10, 20) / DAY - Date.UTC(2026, 7, 1) / DAY;
    expect(first.built).toBe(2 * 2 * (days + 3));
    expect((await keepLatency(estate, store.results, NOW)).built).toBe(0);
    // A new day is over: one day a check and objective.
    expect((await keepLatency(estate, store.results, NOW + DAY)).built).toBe(2 * 2);
    const fewer = { ...estate, principles: principles.slice(0, 1) };
    const dropped = await keepLatency(fewer, store.results, NOW + DAY);
    expect(dropped.built).toBe(0);
    expect(dropped.dropped).toBeGreaterThan(0);
    for (const table of ['latency_days', 'latency_months'])
      expect(store.db.prepare(`SELECT COUNT(DISTINCT objective) AS n FROM ${table}`).get()).toEqual({ n: 1 });
  });

  it("reads several checks' kept days in one pass, by check, oldest first", async () => {
    writeHours(store, 8);
    await keepLatency(estate, store.results, NOW);
    const kept = store.results.latencyKept;
    const objective = 'p90:800ms:24x7';
    // Across a month's end: 30 October to 2 November.
    const first = Date.UTC(2026, 9, 30) / DAY;
    const byCheck = await kept.days(objective, ['epr-login', 'epr-api', 'no-such-check'], first, first + 4);
    expect([...byCheck.keys()].sort()).toEqual(['epr-api', 'epr-login']);
    const body = store.db
      .prepare<[string, number, string], Uint8Array>(
        `SELECT body FROM latency_days WHERE objective = ? AND day = ?
         AND check_key = (SELECT key FROM checks WHERE id = ?)`,
      )
      .pluck();
    for (const [id, rows] of byCheck) {
      expect(rows.map((row) => [row.unit, row.day])).toEqual([0, 1, 2, 3].map((i) => ['day', first + i]));
      for (const row of rows) expect(row.body).toEqual(body.get(objective, row.day, id));
    }
    expect(byCheck.get('epr-api')?.[0]?.body).not.toEqual(byCheck.get('epr-login')?.[0]?.body);
    // Another objective's days, days before the history began, and no checks: none.
    expect((await kept.days('p50:100ms:24x7', ['epr-login'], first, first + 4)).size).toBe(0);
    expect((await kept.days(objective, ['epr-login'], 0, 100)).size).toBe(0);
    expect((await kept.days(objective, [], first, first + 4)).size).toBe(0);
  });

  it("reads several checks' kept months in one statement, as a check's own query gives them", async () => {
    writeHours(store, 9);
    await keepLatency(estate, store.results, NOW);
    const kept = store.results.latencyKept;
    const objective = 'p95:1000ms:core:12345:480-1110:2026-10-05';
    const [first, end] = [0, Math.floor(NOW / DAY) + 1];
    const repo = latencyKeptRepo(store.db);
    const keyOf = store.db.prepare<[string], number>('SELECT key FROM checks WHERE id = ?').pluck();
    const some = await kept.months(objective, ['epr-api', 'no-such-check', 'epr-login'], first, end);
    expect([...some.keys()].sort()).toEqual(['epr-api', 'epr-login']);
    for (const [id, rows] of some) {
      expect(rows.length).toBeGreaterThan(1);
      expect(rows).toEqual(repo.read(objective, keyOf.get(id) as number, 'month', first, end));
    }
    // Months outside the range, another objective's and no checks: none.
    const september = Date.UTC(2026, 8, 1) / DAY;
    expect((await kept.months(objective, ['epr-api'], september, september + 1)).get('epr-api')).toHaveLength(
      1,
    );
    expect((await kept.months(objective, ['epr-api'], 0, 100)).size).toBe(0);
    expect((await kept.months('p50:100ms:24x7', ['epr-api'], first, end)).size).toBe(0);
    expect((await kept.months(objective, [], first, end)).size).toBe(0);
  });

  it('forgets a kept day when a late result lands on it, and keeps it again with the result counted', async () => {
    writeHours(store, 11);
    await keepLatency(estate, store.results, NOW);
    // A slow hour of runs at Kings Road on 14 October at 11:00, arriving late (an agent's backlog).
    const late: RunRecord[] = Array.from({ length: 60 }, (_, i) => ({
      checkId: 'epr-login',
      vantagePoint: 'kings-road',
      startedAt: Date.UTC(2026, 9, 14, 10, i),
      state: 'ok',
      phases: { dnsMs: 1, connectMs: 1, tlsMs: 1, ttfbMs: 9_000, transferMs: 1, totalMs: 9_004 },
    }));
    const before = await figures(sources(true), '2026-10');
    expect((await store.results.recordRuns(late)).stored).toBe(60);
    // epr-login's rows, one for each of the two objectives (epr-api's are not touched).
    const kept = (unit: 'day' | 'month', day: number) =>
      store.db
        .prepare(
          `SELECT COUNT(*) AS n FROM latency_${unit}s
           WHERE day = ? AND check_key = (SELECT key FROM checks WHERE id = 'epr-login')`,
        )
        .get(day) as { n: number };
    expect(kept('day', Date.UTC(2026, 9, 14) / DAY).n).toBe(0);
    expect(kept('month', Date.UTC(2026, 9, 1) / DAY).n).toBe(0);
    expect(kept('day', Date.UTC(2026, 9, 13) / DAY).n).toBe(2);
    const direct = await figures(sources(false), '2026-10');
    expectSame(await figures(sources(true), '2026-10'), direct);
    expect(direct).not.toEqual(before);
    await keepLatency(estate, store.results, NOW);
    expect(kept('month', Date.UTC(2026, 9, 1) / DAY).n).toBe(2);
    expectSame(await figures(sources(true), '2026-10'), direct);
  });

  it("forgets kept days the demo's generated history writes over", async () => {
    writeHours(store, 17);
    await keepLatency(estate, store.results, NOW);
    const day = Date.UTC(2026, 9, 14) / DAY;
    const rows = (unit: 'days' | 'months', at: number) =>
      (store.db.prepare(`SELECT COUNT(*) AS n FROM latency_${unit} WHERE day = ?`).get(at) as { n: number })
        .n;
    expect([rows('days', day), rows('months', Date.UTC(2026, 9, 1) / DAY)]).toEqual([4, 4]);
    const row = {
      ok: 60,
      degraded: 0,
      fail: 0,
      skipped: 0,
      min_ms: 100,
      max_ms: 200,
      sum_ms: 9_000,
      phases: encodePhases(emptyPhases()),
    };
    await store.demoHistory.begin({ from: NOW - 60 * DAY, to: NOW, seed: 1 });
    await store.demoHistory.writeChunk({
      stretches: [],
      rollups: [
        {
          checkId: 'epr-api',
          vantagePoint: SERVER_VANTAGE_POINT,
          resolution: 'daily',
          bucket: day,
          row,
          merge: false,
        },
      ],
      doneFrom: NOW - 60 * DAY,
    });
    // epr-api's rows for the day and its month go; epr-login's stay.
    expect([rows('days', day), rows('months', Date.UTC(2026, 9, 1) / DAY)]).toEqual([2, 2]);
  });

  it('is kept by the running server in the background, a few seconds after it starts', async () => {
    writeHours(store, 13);
    const timers = new ManualTimers(NOW);
    const monitor = new Monitor({
      store: store.results,
      timers,
      run: async () => {
        throw new Error('no check runs from the server in this estate');
      },
      logger: silentLogger,
    });
    monitor.apply({ ...estate, checks: estate.checks.filter((check) => (check.from?.length ?? 0) > 0) });
    monitor.start();
    await timers.advance(5_000);
    // Keeping rests between months of a check (three times as long as each took): time moves on.
    const months = await until(
      async () => {
        await timers.advance(1_000);
        const kept = await store.results.latencyKept.months('p90:800ms:24x7', ['epr-login'], 0, 1e6);
        return kept.get('epr-login') ?? [];
      },
      (rows) => rows.length === 3,
    );
    expect(months.map((row) => row.day)).toEqual([7, 8, 9].map((month) => Date.UTC(2026, month, 1) / DAY));
    await monitor.stop();
  });
});
