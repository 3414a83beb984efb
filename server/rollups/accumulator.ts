import { forEachBucket, PHASES, type PhaseName } from './codec.js';
import { BUCKETS, bucketMiddleMs } from './histogram.js';
import type { RollupRow } from './rollup.js';

/**
 * Many rollups merged into one, fast: stored blobs are decoded straight into dense counts, with no
 * object per rollup, so a year of rollups is read in one pass. Used for summaries and charts.
 */
export class RollupAccumulator {
  ok = 0;
  degraded = 0;
  fail = 0;
  skipped = 0;
  minMs: number | null = null;
  maxMs: number | null = null;
  sumMs = 0;
  readonly counts = new Float64Array(PHASES.length * BUCKETS);

  add(row: RollupRow): this {
    this.ok += row.ok;
    this.degraded += row.degraded;
    this.fail += row.fail;
    this.skipped += row.skipped;
    if (row.min_ms !== null && (this.minMs === null || row.min_ms < this.minMs)) this.minMs = row.min_ms;
    if (row.max_ms !== null && (this.maxMs === null || row.max_ms > this.maxMs)) this.maxMs = row.max_ms;
    this.sumMs += row.sum_ms;
    forEachBucket(row.phases, (phase, bucket, count) => {
      this.counts[phase * BUCKETS + bucket] = (this.counts[phase * BUCKETS + bucket] ?? 0) + count;
    });
    return this;
  }

  /** The q-quantile of a phase as its bucket's middle, or null with no values. */
  quantile(phase: PhaseName, q: number): number | null {
    const base = PHASES.indexOf(phase) * BUCKETS;
    let n = 0;
    for (let b = 0; b < BUCKETS; b++) n += this.counts[base + b] ?? 0;
    if (n === 0) return null;
    const rank = Math.max(1, Math.ceil(q * n));
    let seen = 0;
    for (let b = 0; b < BUCKETS; b++) {
      seen += this.counts[base + b] ?? 0;
      if (seen >= rank) return bucketMiddleMs(b);
    }
    return null;
  }
}
