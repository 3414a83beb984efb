/**
 * A fixed log-scale latency histogram. Every histogram has the same buckets, so histograms of
 * different hours, days and sites merge exactly by adding counts; percentiles come from the merged
 * counts. Bucket 0 holds ≤ 0.1 ms; bucket i holds (0.1·g^(i−1), 0.1·g^i] ms with g = 2^(1/4),
 * so a percentile read from a bucket's geometric middle is within ±9.5% of the true value.
 */
const BASE_MS = 0.1;
const GROWTH = 2 ** 0.25;
const LOG_GROWTH = Math.log(GROWTH);
/** Up to about 10 minutes; anything slower lands in the last bucket. */
export const BUCKETS = 91;

export function bucketOf(ms: number): number {
  if (!(ms > BASE_MS)) return 0;
  const index = Math.ceil(Math.log(ms / BASE_MS) / LOG_GROWTH - 1e-9);
  return Math.min(index, BUCKETS - 1);
}

export function bucketUpperMs(index: number): number {
  return BASE_MS * GROWTH ** index;
}

/** The value a bucket stands for: the geometric middle of its bounds. */
export function bucketMiddleMs(index: number): number {
  return index === 0 ? BASE_MS / 2 : BASE_MS * GROWTH ** (index - 0.5);
}

/** Sparse counts by bucket index. */
export type Histogram = Map<number, number>;

export function record(histogram: Histogram, ms: number, count = 1): void {
  const bucket = bucketOf(ms);
  histogram.set(bucket, (histogram.get(bucket) ?? 0) + count);
}

export function merge(into: Histogram, from: Histogram): Histogram {
  for (const [bucket, count] of from) into.set(bucket, (into.get(bucket) ?? 0) + count);
  return into;
}

export function total(histogram: Histogram): number {
  let n = 0;
  for (const count of histogram.values()) n += count;
  return n;
}

/** The q-quantile (0 < q ≤ 1) as a bucket's middle, or null for an empty histogram. */
export function quantile(histogram: Histogram, q: number): number | null {
  const n = total(histogram);
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil(q * n));
  let seen = 0;
  for (const bucket of [...histogram.keys()].sort((a, b) => a - b)) {
    seen += histogram.get(bucket) ?? 0;
    if (seen >= rank) return bucketMiddleMs(bucket);
  }
  return null;
}
