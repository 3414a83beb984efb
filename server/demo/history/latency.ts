import { emptyPhases, encodePhases, type PhaseName } from '../../rollups/codec.js';
import { BUCKETS, bucketMiddleMs, bucketOf, bucketUpperMs } from '../../rollups/histogram.js';
import type { RollupRow } from '../../rollups/rollup.js';
import { demoSystems, SLOWDOWN } from '../behaviour.js';
import { baselineLatencyMs, CONGESTION, PACKET_LOSS } from '../network.js';
import type { Series } from './series.js';

/**
 * An hour of a series' runs as a rollup, from the same behaviour the live demo's systems and links
 * have (behaviour.ts, network.ts), worked out from its distribution instead of drawn run by run: a
 * year of runs is tens of millions. A system answers in a log-normal time around its median (σ 0.35),
 * times the morning peak; the shared care record's slow minutes take four times as long; Marsh Lane's
 * congested minutes add 300 ms to each round trip; the care home's lossy minutes cost some connections a SYN
 * retransmission (1 s, and 2 s more for a second). An HTTP run is a connection (one round trip) and a
 * request (another, plus the system's time); a TCP run is the connection only. Failed runs are
 * counted but left out of the histograms: the history does not simulate how long a failure took (a
 * reset link answers at once, a system in trouble may take its whole timeout), and a made-up time
 * would move the percentiles the latency principles read.
 */
const SIGMA = 0.35;
/** A TCP handshake on loopback, before the link's own delay. */
const TCP_MEDIAN_MS = 0.2;
const UNKNOWN_SYSTEM_MEDIAN_MS = 200;

/** Runs of one kind within an hour: their share, and what the system and the link add. */
interface Population {
  share: number;
  /** Times the system's usual answer. */
  factor: number;
  /** The link's round trip. */
  linkMs: number;
  /** Added to the connection only (SYN retransmissions). */
  connectMs: number;
}

export interface LatencyProfile {
  key: string;
  http: boolean;
  medianMs: number;
  populations: Population[];
  degradedMs?: number;
}

export function profileOf(series: Series): LatencyProfile {
  const http = series.check.type === 'http';
  const site = series.site?.id;
  const link = site ? baselineLatencyMs(site) : 0;
  const special: Population[] = [];
  if (http && series.check.system === SLOWDOWN.system)
    special.push({
      share: SLOWDOWN.minutes / SLOWDOWN.everyMinutes,
      factor: SLOWDOWN.factor,
      linkMs: link,
      connectMs: 0,
    });
  if (site === CONGESTION.site)
    special.push({
      share: CONGESTION.minutes / CONGESTION.everyMinutes,
      factor: 1,
      linkMs: link + CONGESTION.addedLatencyMs,
      connectMs: 0,
    });
  if (site === PACKET_LOSS.site) {
    const lossy = PACKET_LOSS.minutes / PACKET_LOSS.everyMinutes;
    const once = PACKET_LOSS.lossRate * (1 - PACKET_LOSS.lossRate);
    const twice = PACKET_LOSS.lossRate ** 2;
    special.push({ share: lossy * once, factor: 1, linkMs: link, connectMs: 1_000 });
    special.push({ share: lossy * twice, factor: 1, linkMs: link, connectMs: 3_000 });
  }
  const rest = 1 - special.reduce((sum, p) => sum + p.share, 0);
  const degradedMs = series.check.expect?.degradedMs;
  return {
    key: `${series.check.id}@${series.vantagePoint}`,
    http,
    medianMs: http ? (demoSystems[series.check.system]?.medianMs ?? UNKNOWN_SYSTEM_MEDIAN_MS) : TCP_MEDIAN_MS,
    populations: [{ share: rest, factor: 1, linkMs: link, connectMs: 0 }, ...special],
    ...(degradedMs !== undefined ? { degradedMs } : {}),
  };
}

/** Expected shares per bucket of each phase, and of runs over the degraded mark, for a profile at a peak. */
interface Shape {
  phases: Partial<Record<PhaseName, Float64Array>>;
  degraded: number;
  meanMs: number;
}

/** Rollup rows, kept by profile, peak and count: most hours of a series repeat one of a few. */
export class HourRows {
  readonly #shapes = new Map<string, Shape>();
  readonly #rows = new Map<string, RollupRow>();

  /** The rollup of an hour with `up` runs that answered and `down` that failed, at a morning peak. Shared: not to be changed. */
  row(profile: LatencyProfile, peak: number, up: number, down: number): RollupRow {
    const key = `${profile.key}|${peak}|${up}|${down}`;
    let row = this.#rows.get(key);
    if (!row) {
      row = { ...this.#build(this.#shape(profile, peak), up), fail: down, skipped: 0 };
      this.#rows.set(key, row);
    }
    return row;
  }

  #shape(profile: LatencyProfile, peak: number): Shape {
    const key = `${profile.key}|${peak}`;
    const known = this.#shapes.get(key);
    if (known) return known;
    const total = new Float64Array(BUCKETS);
    const ttfb = new Float64Array(BUCKETS);
    const connect = new Float64Array(BUCKETS);
    let degraded = 0;
    let meanMs = 0;
    for (const p of profile.populations) {
      const median = profile.medianMs * (profile.http ? peak * p.factor : 1);
      // HTTP: a round trip to connect and another for the request; TCP: the connection's only.
      const fixed = (profile.http ? 2 : 1) * p.linkMs + p.connectMs;
      addLogNormal(total, p.share, fixed, median);
      if (profile.http) {
        addLogNormal(ttfb, p.share, p.linkMs, median);
        const bucket = bucketOf(p.linkMs + p.connectMs);
        connect[bucket] = (connect[bucket] ?? 0) + p.share;
      }
      if (profile.degradedMs !== undefined)
        degraded += p.share * (1 - logNormalCdf(profile.degradedMs - fixed, median));
      meanMs += p.share * (fixed + median * Math.exp((SIGMA * SIGMA) / 2));
    }
    const shape: Shape = {
      phases: profile.http
        ? { totalMs: total, ttfbMs: ttfb, connectMs: connect }
        : { totalMs: total, connectMs: total },
      degraded,
      meanMs,
    };
    this.#shapes.set(key, shape);
    return shape;
  }

  #build(shape: Shape, up: number): Omit<RollupRow, 'fail' | 'skipped'> {
    const phases = emptyPhases();
    for (const [phase, shares] of Object.entries(shape.phases) as [PhaseName, Float64Array][])
      for (const [bucket, count] of apportion(shares, up)) phases[phase].set(bucket, count);
    const used = [...phases.totalMs.keys()].sort((a, b) => a - b);
    const degraded = Math.min(up, Math.round(shape.degraded * up));
    return {
      ok: up - degraded,
      degraded,
      min_ms: used.length > 0 ? bucketMiddleMs(used[0] as number) : null,
      max_ms: used.length > 0 ? bucketMiddleMs(used[used.length - 1] as number) : null,
      sum_ms: up * shape.meanMs,
      phases: encodePhases(phases),
    };
  }
}

/** Adds `share` of runs taking `fixed` ms plus a log-normal time around `median`, bucket by bucket. */
function addLogNormal(into: Float64Array, share: number, fixed: number, median: number): void {
  let below = 0;
  for (let b = 0; b < BUCKETS; b++) {
    const upTo = b === BUCKETS - 1 ? 1 : logNormalCdf(bucketUpperMs(b) - fixed, median);
    into[b] = (into[b] ?? 0) + share * (upTo - below);
    below = upTo;
  }
}

function logNormalCdf(ms: number, median: number): number {
  if (ms <= 0) return 0;
  return 0.5 * (1 + erf(Math.log(ms / median) / (SIGMA * Math.SQRT2)));
}

/** Abramowitz and Stegun 7.1.26: within 1.5e-7, far finer than a bucket. */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-x * x);
  return x < 0 ? -y : y;
}

/** Whole runs per bucket adding up to exactly `n`: floors, then the largest remainders get one more. */
function apportion(shares: Float64Array, n: number): Map<number, number> {
  const counts = new Map<number, number>();
  if (n === 0) return counts;
  const remainders: { bucket: number; rest: number }[] = [];
  let placed = 0;
  shares.forEach((share, bucket) => {
    const exact = share * n;
    const whole = Math.floor(exact);
    if (whole > 0) counts.set(bucket, whole);
    placed += whole;
    if (exact - whole > 0) remainders.push({ bucket, rest: exact - whole });
  });
  remainders.sort((a, b) => b.rest - a.rest || a.bucket - b.bucket);
  for (const { bucket } of remainders.slice(0, Math.max(0, n - placed)))
    counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
  return counts;
}
