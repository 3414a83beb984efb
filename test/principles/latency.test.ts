import { describe, expect, it } from 'vitest';
import { accountCheck } from '../../principles/accounting.js';
import { coreHourSpans, DEFAULT_CORE_HOURS } from '../../principles/hours.js';
import {
  addWeighted,
  type HourHistogram,
  hourPercentile,
  hourStretches,
  type LatencyTarget,
  percentileOf,
} from '../../principles/latency.js';
import type { Principle } from '../../server/config/schema.js';
import { compliance } from '../../server/principles/compliance.js';
import { weekMaskOf } from '../../server/principles/hour-ranges.js';
import {
  bySlowest,
  emptyLatencyTally,
  latencyFigureOf,
  latencyTargetOf,
  mergeLatency,
} from '../../server/principles/latency-figure.js';
import { parsePeriod } from '../../server/principles/period.js';
import { emptyPhases, encodePhases } from '../../server/rollups/codec.js';
import { BUCKETS, bucketMiddleMs, record } from '../../server/rollups/histogram.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';

const H = 3_600_000;
const MIN = 60_000;
const DAY = 86_400_000;
/** A readable scale for the pure functions: bucket b stands for b × 100 ms. */
const tenths = (bucket: number) => bucket * 100;
const p95: LatencyTarget = { percentile: 95, targetMs: 3_000, bucketMs: tenths };
const hour = (from: number, counts: Record<number, number>): HourHistogram => ({
  from,
  buckets: Object.keys(counts).map(Number),
  counts: Object.values(counts),
});
const dense = (counts: Record<number, number>) => {
  const out = new Float64Array(BUCKETS);
  for (const [bucket, count] of Object.entries(counts)) out[Number(bucket)] = count;
  return out;
};

describe('percentileOf: nearest rank on whole or weighted counts', () => {
  it('reads the 95th of 20 runs as the 19th and the 96th as the 20th', () => {
    // 19 runs in bucket 10 (1,000 ms), one in bucket 40 (4,000 ms): rank 0.95 × 20 = 19 is the last fast
    // run; 0.96 × 20 = 19.2 needs the slow one.
    expect(percentileOf(dense({ 10: 19, 40: 1 }), 95, tenths)).toBe(1_000);
    expect(percentileOf(dense({ 10: 19, 40: 1 }), 96, tenths)).toBe(4_000);
    expect(percentileOf(dense({}), 95, tenths)).toBeNull();
  });

  it("reads an hour's sparse counts the same way", () => {
    // Six runs, one slow: p80 is the 5th (rank 4.8), p95 the 6th (rank 5.7).
    const h = hour(0, { 5: 5, 50: 1 });
    expect(hourPercentile(h, 80, tenths)).toBe(500);
    expect(hourPercentile(h, 95, tenths)).toBe(5_000);
  });
});

describe('addWeighted: each hour weighs the share of it counted', () => {
  it('gives an hour half inside the hours half weight, and an hour outside none', () => {
    // Counted 10:00–11:30: hour 10 whole, hour 11 half, hour 12 not at all.
    const counted = [{ from: 10 * H, to: 11.5 * H }];
    const into = new Float64Array(BUCKETS);
    addWeighted(into, [hour(10 * H, { 1: 6 }), hour(11 * H, { 2: 6 }), hour(12 * H, { 3: 6 })], counted);
    expect([into[1], into[2], into[3]]).toEqual([6, 3, 0]);
    // Of 9 weighted runs, 6 are in bucket 1: p66 (rank 5.94) is there, p67 (rank 6.03) is not.
    expect(percentileOf(into, 66, tenths)).toBe(100);
    expect(percentileOf(into, 67, tenths)).toBe(200);
  });

  it('adds the parts of an hour cut by maintenance', () => {
    // Counted 10:00–10:15 and 10:45–11:00 (maintenance between): half the hour.
    const into = new Float64Array(BUCKETS);
    addWeighted(
      into,
      [hour(10 * H, { 7: 4 })],
      [
        { from: 10 * H, to: 10 * H + 15 * MIN },
        { from: 10 * H + 45 * MIN, to: 11 * H },
      ],
    );
    expect(into[7]).toBe(2);
  });
});

describe('hourStretches: hours up when within the target, down when over, silent hours left out', () => {
  it('reads hours given out of order in order', () => {
    expect(hourStretches([hour(H, { 50: 6 }), hour(0, { 10: 6 })], p95)).toEqual([
      { from: 0, to: H, state: 'up' },
      { from: H, to: 2 * H, state: 'down' },
    ]);
  });

  it('joins neighbouring hours of one state', () => {
    const stretches = hourStretches(
      [
        hour(0, { 10: 6 }),
        hour(H, { 10: 6 }),
        // One slow run of six: the hour's p95 is that run, 5,000 ms, over 3,000.
        hour(2 * H, { 10: 5, 50: 1 }),
        // Hour 3 silent.
        hour(4 * H, { 30: 6 }),
      ],
      p95,
    );
    expect(stretches).toEqual([
      { from: 0, to: 2 * H, state: 'up' },
      { from: 2 * H, to: 3 * H, state: 'down' },
      // 3,000 ms is within a 3,000 ms target.
      { from: 4 * H, to: 5 * H, state: 'up' },
    ]);
  });
});

describe('latency hours accounted in core hours across the clocks going back', () => {
  const utc = (day: number, h: number, m = 0) => Date.UTC(2026, 9, day, h, m);
  it('counts 17:00Z–18:00Z as 30 core minutes in summer time and 60 after, host or owner by the half rule', () => {
    const from = utc(19, 0);
    const to = utc(31, 0);
    const hours = coreHourSpans(DEFAULT_CORE_HOURS, from, to);
    const slow = { 50: 6 };
    const fast = { 10: 6 };
    // st-annes slow 17:00Z on Thu 22 Oct (18:00–19:00 BST) and Mon 26 Oct (17:00–18:00 GMT); hill-view
    // and marsh-lane fast in both hours, so one of three vantage points: the host's. st-annes and
    // hill-view slow 12:00Z on Tue 27 Oct: two of three, the owner's.
    const stAnnes = hourStretches(
      [hour(utc(22, 17), slow), hour(utc(26, 17), slow), hour(utc(27, 12), slow), hour(utc(28, 12), fast)],
      p95,
    );
    const hillView = hourStretches(
      [hour(utc(22, 17), fast), hour(utc(26, 17), fast), hour(utc(27, 12), slow), hour(utc(28, 12), fast)],
      p95,
    );
    const marshLane = hourStretches(
      [hour(utc(22, 17), fast), hour(utc(26, 17), fast), hour(utc(27, 12), fast), hour(utc(28, 12), fast)],
      p95,
    );
    const [st, hill, marsh] = accountCheck(
      'riverside',
      [
        { vantagePoint: 'st-annes', host: 'riverside', stretches: stAnnes, maintenance: [] },
        { vantagePoint: 'hill-view', host: 'northgate', stretches: hillView, maintenance: [] },
        { vantagePoint: 'marsh-lane', host: 'eastfield', stretches: marshLane, maintenance: [] },
      ],
      hours,
    );
    // Core days Mon 19 – Fri 23 and Mon 26 – Fri 30: 10 × 630 = 6,300 minutes. Down: 17:00Z–17:30Z on the
    // 22nd (30; 17:30Z is 18:30 BST), 17:00Z–18:00Z on the 26th (60; GMT) and 12:00Z on the 27th (60):
    // 150. Up: the fast hour 12:00Z on the 28th (60). The rest, 6,090, has no runs: unknown.
    expect(st?.ms).toEqual({ up: 60 * MIN, down: 150 * MIN, maintenance: 0, unknown: 6_090 * MIN });
    expect(st?.attribution).toEqual([
      { organisation: 'riverside', role: 'owner', ms: 60 * MIN },
      { organisation: 'riverside', role: 'host', ms: 90 * MIN },
    ]);
    expect(hill?.ms.down).toBe(60 * MIN);
    expect(hill?.attribution).toEqual([{ organisation: 'riverside', role: 'owner', ms: 60 * MIN }]);
    // marsh-lane: the same four hours, all fast: 30 + 60 + 60 + 60 = 210 up.
    expect(marsh?.ms).toEqual({ up: 210 * MIN, down: 0, maintenance: 0, unknown: 6_090 * MIN });
  });
});

describe('latency targets', () => {
  const principle = (target: Principle['target'], percentile?: number): Principle => ({
    id: 'fast',
    title: 'Fast',
    metric: 'latency',
    target,
    ...(percentile === undefined ? {} : { percentile }),
  });
  it('reads seconds, milliseconds and a bare number of ms, p95 unless given, and no percentage', () => {
    expect(latencyTargetOf(principle('3s'))).toMatchObject({ percentile: 95, targetMs: 3_000 });
    expect(latencyTargetOf(principle('500ms', 99))).toMatchObject({ percentile: 99, targetMs: 500 });
    expect(latencyTargetOf(principle(2_500, 50))).toMatchObject({ percentile: 50, targetMs: 2_500 });
    expect(latencyTargetOf(principle('1.5s'))?.targetMs).toBe(1_500);
    expect(latencyTargetOf(principle('95%'))).toBeUndefined();
  });
});

describe('latencyFigureOf: value from merged histograms, budget from the percentile', () => {
  const objective: LatencyTarget = { percentile: 99, targetMs: 3_000, bucketMs: bucketMiddleMs };
  const FAST = 44; // 187.8 ms: 0.1 × 2^(43.5/4)
  const SLOW = 63; // 5,053.5 ms: 0.1 × 2^(62.5/4)
  const tally = (up: number, down: number, fast: number, slow: number, lastSlow = 0) => {
    const t = emptyLatencyTally(true);
    const lastDay = t.lastDay as Float64Array;
    t.ms.up = up * MIN;
    t.ms.down = down * MIN;
    t.histogram[FAST] = fast;
    t.histogram[SLOW] = slow;
    lastDay[FAST] = 100;
    lastDay[SLOW] = lastSlow;
    return t;
  };

  it('is met at the fast bucket when fewer than 1% of runs are slow, with 1% of the minutes allowed over', () => {
    // 1,000 runs, 10 slow: rank 990 is the last fast run. 9,900 + 100 minutes: allowed 100, spent 100.
    const figure = latencyFigureOf(tally(9_900, 100, 990, 10), objective, { remainingMs: 0, recentMs: DAY });
    expect(figure.value).toBeCloseTo(187.8, 1);
    expect(figure.value).toBe(bucketMiddleMs(FAST));
    expect([figure.status, figure.target]).toEqual(['met', 3_000]);
    expect(figure.budget.allowed).toBeCloseTo(100, 9);
    expect(figure.budget.spent).toBe(100);
    expect(figure.budget.left).toBeCloseTo(0, 9);
  });

  it('is breached when the percentile is over, at risk when only the last day is and time remains', () => {
    expect(latencyFigureOf(tally(100, 0, 989, 11), objective, { remainingMs: 0, recentMs: DAY }).status).toBe(
      'breached',
    );
    // Last day: 100 fast, 2 slow: rank 100.98 is slow.
    const lastSlow = tally(100, 0, 990, 10, 2);
    expect(latencyFigureOf(lastSlow, objective, { remainingMs: DAY, recentMs: DAY }).status).toBe('at-risk');
    expect(latencyFigureOf(lastSlow, objective, { remainingMs: 0, recentMs: DAY }).status).toBe('met');
    const none = latencyFigureOf(emptyLatencyTally(true), objective, { remainingMs: DAY, recentMs: DAY });
    expect([none.status, none.value]).toEqual(['no-data', null]);
  });

  it('merges histograms for a group: one slow site is not averaged away', () => {
    // Site A 1,000 fast runs (p99 fast); site B 20 runs, all slow (p99 slow). Merged: 1,020 runs, rank
    // 1,009.8 is past the 1,000 fast ones: slow. An average of the two percentiles would be 2,620.7 ms,
    // within the target.
    const merged = mergeLatency([tally(600, 0, 1_000, 0), tally(0, 60, 0, 20)]);
    expect([merged.histogram[FAST], merged.histogram[SLOW], merged.ms.up, merged.ms.down]).toEqual([
      1_000,
      20,
      600 * MIN,
      60 * MIN,
    ]);
    const figure = latencyFigureOf(merged, objective, { remainingMs: 0, recentMs: DAY });
    expect([figure.value, figure.status]).toEqual([bucketMiddleMs(SLOW), 'breached']);
  });

  it('keeps no last day for a closed period, and each tally its own buckets', () => {
    const closed = [emptyLatencyTally(false), emptyLatencyTally(false)];
    closed.forEach((t, i) => {
      t.histogram[FAST] = i + 1;
      t.histogram[SLOW] = i + 1;
    });
    // Histograms share blocks: writing one must leave its neighbours alone.
    expect([closed[0]?.histogram[FAST], closed[1]?.histogram[FAST]]).toEqual([1, 2]);
    const merged = mergeLatency(closed);
    expect(merged.lastDay).toBeUndefined();
    expect([merged.histogram[FAST], merged.histogram[SLOW], merged.histogram[FAST + 1]]).toEqual([3, 3, 0]);
    expect([closed[0]?.histogram[FAST], closed[1]?.histogram[FAST]]).toEqual([1, 2]);
    // Even with time remaining, a tally without a last day is never at risk.
    const lastSlow = tally(100, 0, 990, 10, 2);
    delete lastSlow.lastDay;
    expect(latencyFigureOf(lastSlow, objective, { remainingMs: DAY, recentMs: DAY }).status).toBe('met');
  });
});

describe('bySlowest: the worst latency items first', () => {
  it('orders by status, then the slowest first, no data last', () => {
    const items = [
      { status: 'met', value: 100 },
      { status: 'breached', value: 4_000 },
      { status: 'no-data', value: null },
      { status: 'breached', value: 5_000 },
    ] as const;
    expect([...items].sort(bySlowest).map((i) => i.value)).toEqual([5_000, 4_000, 100, null]);
  });
});

describe('latency compliance read from the hourly rollups', () => {
  const NOW = Date.UTC(2026, 10, 10, 12);
  const estate = estateFrom(
    `${smallEstateYaml.replace('from: [st-annes, marsh-lane]', 'from: [st-annes]')}principles:
  - { id: fast, title: Fast, metric: latency, target: 3s, hours: 24x7 }
`,
  );
  /** Six runs an hour over the week before NOW, 200 ms, or 5,000 ms in the hours from `slowFrom` for `slowHours`. */
  const sources = (slowFrom: number, slowHours: number) => ({
    results: {
      // Latency reads no timeline: these cases have only hourly rollups.
      timeline: async () => new Map(),
      timelines: async () => {},
      hourlyPhases: async (_check: string, from: number, to: number) => {
        const slices = [];
        for (let bucket = Math.max(from, (NOW - 7 * DAY) / H); bucket < Math.min(to, NOW / H); bucket++) {
          const phases = emptyPhases();
          const slow = bucket * H >= slowFrom && bucket * H < slowFrom + slowHours * H;
          record(phases.totalMs, slow ? 5_000 : 200, 6);
          slices.push({ vantagePoint: 'st-annes', bucket, phases: encodePhases(phases) });
        }
        return slices;
      },
    },
    maintenance: { overlapping: async () => [] },
  });
  const principle = estate.principles[0] as Principle;

  it('is at risk when the week is within p95 ≤ 3 s but its last day is not', async () => {
    // 168 hours, 1,008 runs; six hours slow on the last day: 36 runs, 3.6%, so the week's p95 is fast.
    // The last day: 36 of 144 runs slow, 25%: its p95 is slow. Down 6 × 60 = 360 minutes, all on the
    // last day; 5% of 10,080 minutes may be over: allowed 504.
    const answer = await compliance(
      estate,
      sources(Date.UTC(2026, 10, 10, 0), 6),
      principle,
      parsePeriod('7d', NOW),
    );
    const item = answer.items[0];
    expect(item?.minutes).toEqual({ up: 9_720, down: 360, maintenance: 0, unknown: 0 });
    expect(item?.burn).toEqual({ '1h': 0, '6h': 0, '1d': 360, '3d': 360 });
    expect(item?.budget.allowed).toBeCloseTo(504, 9);
    expect([item?.value, item?.status]).toEqual([bucketMiddleMs(44), 'at-risk']);
    expect(item?.attribution).toEqual([{ organisation: 'riverside', role: 'owner', minutes: 360 }]);
  });

  it('is met when the same slow hours are earlier in the week', async () => {
    const answer = await compliance(
      estate,
      sources(Date.UTC(2026, 10, 5, 0), 6),
      principle,
      parsePeriod('7d', NOW),
    );
    expect([answer.items[0]?.minutes.down, answer.items[0]?.burn['1d'], answer.status]).toEqual([
      360,
      0,
      'met',
    ]);
  });
});

describe('weekMaskOf: which hours of the UTC week a principle reads', () => {
  // Hours since the epoch modulo 168: 0 is Thursday 00:00Z, so Monday 00:00Z is 96.
  const MONDAY = 96;
  it('reads Monday to Friday 07:00Z–19:00Z for core hours over a year: summer and winter time together', () => {
    const mask = weekMaskOf(coreHourSpans(DEFAULT_CORE_HOURS, Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1)));
    expect(mask?.length).toBe(168);
    expect(mask?.split('').filter((c) => c === '1')).toHaveLength(60);
    expect([mask?.[MONDAY + 6], mask?.[MONDAY + 7], mask?.[MONDAY + 18], mask?.[MONDAY + 19]]).toEqual([
      '0',
      '1',
      '1',
      '0',
    ]);
  });

  it('reads 07:00Z–18:00Z in a summer week, and every hour (no mask) for a week of 24x7', () => {
    const july = weekMaskOf(coreHourSpans(DEFAULT_CORE_HOURS, Date.UTC(2026, 6, 6), Date.UTC(2026, 6, 13)));
    expect(july?.split('').filter((c) => c === '1')).toHaveLength(55);
    expect([july?.[MONDAY + 17], july?.[MONDAY + 18]]).toEqual(['1', '0']);
    expect(weekMaskOf([{ from: Date.UTC(2026, 6, 6), to: Date.UTC(2026, 6, 13) }])).toBeUndefined();
  });
});
