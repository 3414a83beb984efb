import { RollupAccumulator } from '../rollups/accumulator.js';
import { PHASES, type PhaseName } from '../rollups/codec.js';
import type { RollupSlice } from '../store/results.js';

export const WINDOWS = { '24h': 24, '7d': 7 * 24, '30d': 30 * 24, '365d': 365 * 24 } as const;
export type Window = keyof typeof WINDOWS;

type Percentiles = { p50: number | null; p95: number | null; p99: number | null };

/** Counts by state, availability and per-phase percentiles of merged rollups. */
export function summarise(rollup: RollupAccumulator) {
  const measured = rollup.ok + rollup.degraded + rollup.fail;
  const runs = measured + rollup.skipped;
  const phases = {} as Record<PhaseName, Percentiles>;
  for (const phase of PHASES) {
    const [p50 = null, p95 = null, p99 = null] = rollup.quantiles(phase, [0.5, 0.95, 0.99]);
    phases[phase] = { p50: round(p50), p95: round(p95), p99: round(p99) };
  }
  return {
    runs,
    counts: { ok: rollup.ok, degraded: rollup.degraded, fail: rollup.fail, skipped: rollup.skipped },
    /** Share of measured runs that were up (ok or degraded); null with no runs. */
    availability: measured === 0 ? null : (rollup.ok + rollup.degraded) / measured,
    totalMs: {
      min: round(rollup.minMs),
      mean:
        measured === 0 || rollup.sumMs === 0
          ? null
          : round(rollup.sumMs / Math.max(1, rollup.ok + rollup.degraded + rollup.fail)),
      max: round(rollup.maxMs),
    },
    phases,
  };
}

/** Overall and per vantage point, merging rollups exactly (each stored row is decoded once). */
export function summariseSlices(slices: RollupSlice[]) {
  const byVantagePoint = new Map<string, RollupAccumulator>();
  for (const slice of slices) {
    const mine = byVantagePoint.get(slice.vantagePoint) ?? new RollupAccumulator();
    byVantagePoint.set(slice.vantagePoint, mine.add(slice.row));
  }
  const overall = new RollupAccumulator();
  for (const rollup of byVantagePoint.values()) overall.merge(rollup);
  return {
    overall: summarise(overall),
    vantagePoints: [...byVantagePoint].map(([vantagePoint, rollup]) => ({
      vantagePoint,
      ...summarise(rollup),
    })),
  };
}

function round(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms * 100) / 100;
}

/** One point per bucket (hour or day), all vantage points merged, for charts over time. */
export function seriesOf(slices: RollupSlice[], toInstant: (bucket: number) => number) {
  const byBucket = new Map<number, RollupAccumulator>();
  for (const slice of slices) {
    const merged = byBucket.get(slice.bucket) ?? new RollupAccumulator();
    byBucket.set(slice.bucket, merged.add(slice.row));
  }
  return [...byBucket]
    .sort((a, b) => a[0] - b[0])
    .map(([bucket, rollup]) => {
      const summary = summarise(rollup);
      return {
        at: new Date(toInstant(bucket)).toISOString(),
        runs: summary.runs,
        counts: summary.counts,
        availability: summary.availability,
        phases: summary.phases,
      };
    });
}
