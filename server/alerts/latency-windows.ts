import type { RunRecord } from '../../runs/record.js';
import type { Estate } from '../config/schema.js';
import { latencyTargetOf } from '../principles/latency-figure.js';
import { indexOf, inScope, pairsOf } from '../principles/scope.js';
import { type Histogram, quantile, record } from '../rollups/histogram.js';
import type { LatencySettings } from './config.js';
import { keyOf } from './incidents.js';

/** What a series is judged against: the percentile of its total times that must stay at or under a time. */
export interface LatencyTarget {
  percentile: number;
  overMs: number;
  /** The principle it came from, when the rule gives no time of its own. */
  principle?: string;
}

/**
 * A series' latency now: `slow` when its window says so; `fast` when its percentile is at or under the
 * target; `few` when over it by fewer than `minSlowRuns` runs (not slow enough to alert, not yet fast
 * enough to resolve); `unknown` with no run in the window.
 */
export type LatencyState = 'slow' | 'fast' | 'few' | 'unknown';

/**
 * The target of every (check, vantage point) the rule judges, by series key. The rule's own `over`
 * applies everywhere; without it, each latency principle's percentile and target apply where its scope
 * reaches, the strictest (the lowest target) when several do, so an alert comes before the principle
 * the organisations agreed is breached. A series no target reaches is not judged.
 */
export function latencyTargets(estate: Estate, settings: LatencySettings): Map<string, LatencyTarget> {
  const targets = new Map<string, LatencyTarget>();
  if (!settings.enabled) return targets;
  const index = indexOf(estate);
  const principles = estate.principles.filter((p) => p.metric === 'latency');
  for (const check of estate.checks)
    for (const pair of pairsOf(estate, check, index)) {
      const key = keyOf({ checkId: check.id, vantagePoint: pair.vantagePoint });
      if (settings.overMs !== undefined) {
        targets.set(key, { percentile: settings.percentile, overMs: settings.overMs });
        continue;
      }
      for (const principle of principles) {
        const objective = latencyTargetOf(principle);
        if (!objective || !inScope(principle.scope, pair)) continue;
        const before = targets.get(key);
        if (!before || objective.targetMs < before.overMs)
          targets.set(key, {
            percentile: objective.percentile,
            overMs: objective.targetMs,
            principle: principle.id,
          });
      }
    }
  return targets;
}

interface Window {
  target: LatencyTarget;
  /** Total times in the order the runs started, oldest first; `head` is the first still in the window. */
  at: number[];
  ms: number[];
  head: number;
  /** How many runs in the window are over the target. */
  slow: number;
}

/**
 * Each series' runs over the last `for`, as their total times. Whether the percentile is over the target
 * is counted exactly (more runs over the target than the percentile leaves room for), so a run a little
 * over is never lost to a histogram bucket; the histogram gives the value to show.
 */
export class LatencyWindows {
  readonly #windows = new Map<string, Window>();
  #targets = new Map<string, LatencyTarget>();
  #settings: LatencySettings;

  constructor(settings: LatencySettings) {
    this.#settings = settings;
  }

  /** Takes new targets; a series whose target changed starts its window afresh. */
  configure(settings: LatencySettings, targets: Map<string, LatencyTarget>): void {
    this.#settings = settings;
    this.#targets = targets;
    for (const [key, window] of this.#windows) {
      const target = targets.get(key);
      if (!target || target.overMs !== window.target.overMs || target.percentile !== window.target.percentile)
        this.#windows.delete(key);
    }
  }

  targetOf(key: string): LatencyTarget | undefined {
    return this.#targets.get(key);
  }

  /** Counts a run in; false when its series is not judged or it says nothing of latency. */
  add(run: RunRecord): boolean {
    const key = keyOf(run);
    const target = this.#targets.get(key);
    const total = run.phases?.totalMs;
    // A failed run's time is its timeout: the failures rule's to tell, not a slow answer.
    if (!target || (run.state !== 'ok' && run.state !== 'degraded') || typeof total !== 'number')
      return false;
    let window = this.#windows.get(key);
    if (!window) {
      window = { target, at: [], ms: [], head: 0, slow: 0 };
      this.#windows.set(key, window);
    }
    const last = window.at[window.at.length - 1];
    if (last !== undefined && run.startedAt <= last) return false;
    window.at.push(run.startedAt);
    window.ms.push(total);
    if (total > target.overMs) window.slow += 1;
    this.#trim(window, run.startedAt);
    return true;
  }

  /** The series' state as of `now` (runs older than `for` before it no longer count). */
  stateOf(key: string, now: number): LatencyState {
    const window = this.#windows.get(key);
    if (!window) return 'unknown';
    this.#trim(window, now);
    const n = window.at.length - window.head;
    if (n === 0) return 'unknown';
    // The percentile's rank: it is over the target when fewer than `rank` runs are at or under it.
    const rank = Math.max(1, Math.ceil((window.target.percentile / 100) * n));
    const over = window.slow > n - rank;
    if (over && window.slow >= this.#settings.minSlowRuns) return 'slow';
    return over ? 'few' : 'fast';
  }

  /** When the series' latest counted run started, if it has one. */
  latestAt(key: string): number | undefined {
    return this.#windows.get(key)?.at.at(-1);
  }

  /** The histogram of the series' window, to merge across vantage points and read a percentile from. */
  histogramOf(key: string): Histogram {
    const histogram: Histogram = new Map();
    const window = this.#windows.get(key);
    if (window)
      for (let i = window.head; i < window.ms.length; i++) record(histogram, window.ms[i] as number);
    return histogram;
  }

  /** Forgets series no longer in the estate. */
  retain(keys: ReadonlySet<string>): void {
    for (const key of this.#windows.keys()) if (!keys.has(key)) this.#windows.delete(key);
  }

  #trim(window: Window, now: number): void {
    const from = now - this.#settings.forMs;
    while (window.head < window.at.length && (window.at[window.head] as number) <= from) {
      if ((window.ms[window.head] as number) > window.target.overMs) window.slow -= 1;
      window.head += 1;
    }
    // Compacted now and then, so a long-running window never holds more than twice what it counts.
    // The latest run is kept, so when it started is known (a site's round) after its window empties.
    if (window.head > 64 && window.head * 2 > window.at.length) {
      const cut = Math.min(window.head, window.at.length - 1);
      window.at.splice(0, cut);
      window.ms.splice(0, cut);
      window.head -= cut;
    }
  }
}

/** The percentile of several series' windows merged, in ms (null when they hold no run). */
export function mergedPercentile(histograms: readonly Histogram[], percentile: number): number | null {
  const merged: Histogram = new Map();
  for (const h of histograms)
    for (const [bucket, count] of h) merged.set(bucket, (merged.get(bucket) ?? 0) + count);
  return quantile(merged, percentile / 100);
}
