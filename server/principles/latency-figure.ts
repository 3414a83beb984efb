import type { LatencyTarget } from '../../principles/latency.js';
import { percentileOf } from '../../principles/latency.js';
import type { Principle } from '../config/schema.js';
import { BUCKETS, bucketMiddleMs } from '../rollups/histogram.js';
import { byWorst, emptyTally, type Figure, figureOf, type Horizon, merge, type Tally } from './figures.js';

/** The percentile a latency principle reads when it names none: the catalogue's "p95 total ≤ 3 s". */
export const DEFAULT_PERCENTILE = 95;

/**
 * Minutes as for availability (up: within the target, down: over it) and the runs' total times: over
 * the period, each hour weighted by its share counted, and over its last day for the at-risk rule
 * (kept only while the period still runs: a closed period has none).
 */
export interface LatencyTally extends Tally {
  histogram: Float64Array;
  lastDay?: Float64Array;
}

/**
 * A zeroed histogram carved from a shared block. A period's tallies need tens of thousands: each with a
 * buffer of its own costs far more to make and to collect than the adding they are for.
 */
const BLOCK_HISTOGRAMS = 1024;
let block = new Float64Array(0);
let blockUsed = 0;
function newHistogram(): Float64Array {
  if (blockUsed + BUCKETS > block.length) {
    block = new Float64Array(BUCKETS * BLOCK_HISTOGRAMS);
    blockUsed = 0;
  }
  blockUsed += BUCKETS;
  return block.subarray(blockUsed - BUCKETS, blockUsed);
}

/**
 * A latency tally from its parts. Every one is made here, so all have one shape (the same members in
 * the same order): rolling items up reads their histograms in a loop, and a loop over objects of many
 * shapes is several times slower.
 */
export const latencyTally = (
  { ms, burnMs, attribution }: Tally,
  histogram: Float64Array,
  lastDay: Float64Array | undefined,
): LatencyTally => ({ ms, burnMs, attribution, histogram, lastDay });

export const emptyLatencyTally = (withLastDay: boolean): LatencyTally =>
  latencyTally(emptyTally(), newHistogram(), withLastDay ? newHistogram() : undefined);

/** Minutes, burn and attribution add; histograms add bucket by bucket (exact, unlike percentiles). */
export function mergeLatency(tallies: readonly LatencyTally[]): LatencyTally {
  const histogram = newHistogram();
  let lastDay: Float64Array | undefined;
  for (const t of tallies) {
    addInto(histogram, t.histogram);
    if (!t.lastDay) continue;
    lastDay ??= newHistogram();
    addInto(lastDay, t.lastDay);
  }
  return latencyTally(merge(tallies), histogram, lastDay);
}

/** Adds a histogram's buckets, from its first counted one to its last (most are empty at either end). */
function addInto(into: Float64Array, from: Float64Array): void {
  let low = 0;
  while (low < BUCKETS && from[low] === 0) low++;
  let high = BUCKETS - 1;
  while (high > low && from[high] === 0) high--;
  for (let b = low; b <= high; b++) into[b] = (into[b] as number) + (from[b] as number);
}

/**
 * A latency principle's objective in milliseconds: '3s' → 3000, '500ms' → 500, a bare number is ms.
 * Undefined for a percentage, which is no time (the estate file refuses one).
 */
export function latencyTargetOf(principle: Principle): LatencyTarget | undefined {
  const percentile = principle.percentile ?? DEFAULT_PERCENTILE;
  const { target } = principle;
  let targetMs: number;
  if (typeof target === 'number') targetMs = target;
  else if (target.endsWith('%')) return undefined;
  else if (target.endsWith('ms')) targetMs = Number.parseFloat(target);
  else if (target.endsWith('s')) targetMs = Number.parseFloat(target) * 1000;
  else targetMs = Number.parseFloat(target);
  return { percentile, targetMs, bucketMs: bucketMiddleMs };
}

/**
 * A tally judged against a latency objective. Value: the percentile of the merged histogram (ms).
 * Budget: (1 − percentile/100) of the counted minutes may be over the target. Breached when the value
 * is over the target; at risk when it is within but the last day's percentile is over and the period
 * has time still to run; no-data with no timed runs.
 */
export function latencyFigureOf(tally: LatencyTally, objective: LatencyTarget, horizon: Horizon): Figure {
  // The minutes, budget, burn and attribution are availability's with the percentile as the share
  // that must be good: allowed = (1 − percentile/100) × (up + down).
  const minutes = figureOf(tally, objective.percentile, horizon);
  const value = percentileOf(tally.histogram, objective.percentile, objective.bucketMs);
  const lastDay = tally.lastDay
    ? percentileOf(tally.lastDay, objective.percentile, objective.bucketMs)
    : null;
  let status: Figure['status'];
  if (value === null) status = 'no-data';
  else if (value > objective.targetMs) status = 'breached';
  else if (horizon.remainingMs > 0 && lastDay !== null && lastDay > objective.targetMs) status = 'at-risk';
  else status = 'met';
  return { ...minutes, status, value, target: objective.targetMs };
}

/** Worst first: by status, then the slowest (a higher latency is worse, unlike availability). */
export function bySlowest(a: Pick<Figure, 'status' | 'value'>, b: Pick<Figure, 'status' | 'value'>): number {
  const negated = (f: Pick<Figure, 'status' | 'value'>) => ({
    status: f.status,
    value: f.value === null ? null : -f.value,
  });
  return byWorst(negated(a), negated(b));
}
