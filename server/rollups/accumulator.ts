import { emptyPhases, forEachBucket, PHASES, type PhaseName } from './codec.js';
import { BUCKETS, bucketMiddleMs } from './histogram.js';
import { type RollupRow, toRow } from './rollup.js';

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

  /** Adds another accumulator's counts. */
  merge(other: RollupAccumulator): this {
    this.ok += other.ok;
    this.degraded += other.degraded;
    this.fail += other.fail;
    this.skipped += other.skipped;
    if (other.minMs !== null && (this.minMs === null || other.minMs < this.minMs)) this.minMs = other.minMs;
    if (other.maxMs !== null && (this.maxMs === null || other.maxMs > this.maxMs)) this.maxMs = other.maxMs;
    this.sumMs += other.sumMs;
    for (let i = 0; i < this.counts.length; i++)
      this.counts[i] = (this.counts[i] ?? 0) + (other.counts[i] ?? 0);
    return this;
  }

  /** The q-quantile of a phase as its bucket's middle, or null with no values. */
  quantile(phase: PhaseName, q: number): number | null {
    return this.quantiles(phase, [q])[0] ?? null;
  }

  /** Several quantiles of a phase (in ascending order of q) in one pass over its buckets. */
  quantiles(phase: PhaseName, qs: readonly number[]): (number | null)[] {
    const base = PHASES.indexOf(phase) * BUCKETS;
    let n = 0;
    for (let b = 0; b < BUCKETS; b++) n += this.counts[base + b] ?? 0;
    if (n === 0) return qs.map(() => null);
    const found: (number | null)[] = [];
    let seen = 0;
    let b = 0;
    for (const q of qs) {
      const rank = Math.max(1, Math.ceil(q * n));
      while (b < BUCKETS && seen + (this.counts[base + b] ?? 0) < rank) seen += this.counts[base + b++] ?? 0;
      found.push(b < BUCKETS ? bucketMiddleMs(b) : null);
    }
    return found;
  }

  /** The merged rollup as a stored row, to keep a merge instead of redoing it. */
  toRow(): RollupRow {
    const phases = emptyPhases();
    PHASES.forEach((phase, p) => {
      for (let b = 0; b < BUCKETS; b++) {
        const count = this.counts[p * BUCKETS + b] ?? 0;
        if (count > 0) phases[phase].set(b, count);
      }
    });
    const { ok, degraded, fail, skipped, minMs, maxMs, sumMs } = this;
    return toRow({ ok, degraded, fail, skipped, minMs, maxMs, sumMs, phases });
  }
}
