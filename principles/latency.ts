import { HOUR_MS } from '../common/calendar.js';
import type { Span, Spans } from './intervals.js';
import type { Stretch } from './timeline.js';

/**
 * One hour of a check's runs at a vantage point, as the hourly rollup keeps it: how many runs' total
 * times fell in each histogram bucket, sparse (an hour uses a few buckets), buckets ascending.
 */
export interface HourHistogram {
  /** The hour's start, UTC ms (a whole UTC hour, which is a whole London hour too). */
  from: number;
  buckets: readonly number[];
  counts: readonly number[];
}

/** How a histogram bucket reads as milliseconds: the rollups own the bucket scale. */
export type BucketMs = (bucket: number) => number;

/** A latency objective: the percentile (1–100) of total times that must be within the target. */
export interface LatencyTarget {
  percentile: number;
  targetMs: number;
  bucketMs: BucketMs;
}

/**
 * The percentile of a histogram, as the value of the bucket it falls in, or null with no runs. The
 * bucket is the first whose running count reaches percentile/100 of the total: with whole counts this
 * is the nearest-rank percentile; with weighted counts the same rule on the weights.
 */
export function percentileOf(
  counts: ArrayLike<number>,
  percentile: number,
  bucketMs: BucketMs,
): number | null {
  const bucket = percentileBucket(undefined, counts, percentile);
  return bucket === null ? null : bucketMs(bucket);
}

/** The bucket a percentile falls in, over sparse (buckets given) or dense (buckets undefined) counts. */
function percentileBucket(
  buckets: readonly number[] | undefined,
  counts: ArrayLike<number>,
  percentile: number,
): number | null {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i] as number;
  if (!(total > 0)) return null;
  // A hair below the exact rank, so a product read as 19.000000000000004 still stops at the 19th run.
  const rank = (percentile / 100) * total * (1 - 1e-12);
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const count = counts[i] as number;
    if (count <= 0) continue;
    seen += count;
    if (seen >= rank) return buckets ? (buckets[i] as number) : i;
  }
  return null;
}

/** An hour's own percentile in milliseconds, or null when it has no timed runs. */
export function hourPercentile(hour: HourHistogram, percentile: number, bucketMs: BucketMs): number | null {
  const bucket = percentileBucket(hour.buckets, hour.counts, percentile);
  return bucket === null ? null : bucketMs(bucket);
}

/**
 * A vantage point's hours as stretches of state: an hour whose own percentile is within the target is
 * up, one over it is down, an hour with no timed runs is left out (unknown). Neighbouring hours of one
 * state are joined, so a year of good hours is one stretch.
 */
export function hourStretches(hours: readonly HourHistogram[], target: LatencyTarget): Stretch[] {
  const out: Stretch[] = [];
  // Read oldest first as stored; sorted here only when given out of order.
  const inOrder = hours.every((h, i) => i === 0 || (hours[i - 1] as HourHistogram).from < h.from);
  for (const hour of inOrder ? hours : [...hours].sort((a, b) => a.from - b.from)) {
    const value = hourPercentile(hour, target.percentile, target.bucketMs);
    if (value === null) continue;
    const state = value <= target.targetMs ? 'up' : 'down';
    const last = out[out.length - 1];
    if (last && last.state === state && last.to === hour.from) last.to = hour.from + HOUR_MS;
    else out.push({ from: hour.from, to: hour.from + HOUR_MS, state });
  }
  return out;
}

/**
 * Adds each hour's counts into `into`, weighted by the share of the hour that `counted` covers (the
 * principle's hours less maintenance): 18:00–19:00 against core hours ending at 18:30 weighs half.
 * `hours` oldest first; `counted` sorted and non-overlapping. A `sign` of -1 takes the hours away again.
 */
export function addWeighted(
  into: Float64Array,
  hours: readonly HourHistogram[],
  counted: Spans,
  sign: 1 | -1 = 1,
): void {
  let j = 0;
  for (const hour of hours) {
    const end = hour.from + HOUR_MS;
    while (j < counted.length && (counted[j] as Span).to <= hour.from) j++;
    let inside = 0;
    for (let k = j; k < counted.length && (counted[k] as Span).from < end; k++) {
      const span = counted[k] as Span;
      inside += Math.min(end, span.to) - Math.max(hour.from, span.from);
    }
    if (inside <= 0) continue;
    const weight = (sign * inside) / HOUR_MS;
    hour.buckets.forEach((bucket, i) => {
      into[bucket] = (into[bucket] as number) + (hour.counts[i] as number) * weight;
    });
  }
}
