import type { Span } from '../../principles/intervals.js';
import type { RunRecord } from '../../runs/record.js';
import type { Check, Estate, Principle } from '../config/schema.js';
import { hoursOf } from '../principles/compliance.js';
import { coreHoursOf } from '../principles/core-hours.js';
import { latencyTargetOf } from '../principles/latency-figure.js';
import { indexOf, inScope, pairsOf } from '../principles/scope.js';
import { bucketMiddleMs, bucketOf } from '../rollups/histogram.js';
import type { TimedRun } from '../store/results.js';
import type { Burnt, WindowTally } from './burn-measure.js';
import { pairsFor } from './burn-rate.js';
import { lookupOf } from './estate-lookup.js';
import { keyOf, type Scene } from './incidents.js';
import { localise, type PointState } from './localise.js';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** A minute of a latency principle's runs: how many were counted, how many over the target, and whose. */
interface Minute {
  runs: number;
  slow: number;
  whose: Map<string, Burnt>;
}

/** One latency principle's runs, minute by minute over its longest burn window, since `since`. */
interface Watched {
  principle: Principle;
  /** What the minutes were counted against (core hours too): a change to any of it starts them afresh. */
  objective: string;
  targetMs: number;
  longestMs: number;
  since: number;
  minutes: Map<number, Minute>;
  /** Its hours on each UTC day (by days since the epoch) runs were counted on lately. */
  hours: Map<number, Span[]>;
}

/** What a run is counted against: the estate and its maintenance (the rules' scene), and the silent sites. */
export interface RunScene {
  scene: Scene;
  silent: ReadonlySet<string>;
}

/**
 * The burn of latency principles' error budgets, counted from the runs as they arrive. A latency
 * principle (p95 ≤ 3 s) allows (1 − percentile/100) of its runs over the target; the burn rate over a
 * window is the share of runs over it divided by that. Each timed run inside the principle's hours and
 * scope and outside maintenance counts, a failed run's time too, and is over the target as the
 * principle's own figure reads it: by the middle of its histogram bucket. A run over the target is the
 * system owner's when at least half of its check's vantage points' latest runs were over, otherwise the
 * host's of its site: the principles' attribution. Kept in memory by the minute; at a start the last
 * 6 hours of runs are read back (every short window), and a pair of windows is judged only once the
 * whole of its long window has been watched or read back.
 */
export class LatencyBurn {
  readonly #watched = new Map<string, Watched>();
  /** Series key → the principles whose scope reaches it. */
  #reach = new Map<string, Watched[]>();
  /** Checks some principle's scope reaches at some vantage point: each of their series' latest runs count for attribution. */
  #checks = new Set<string>();
  /** Series key → when its latest run started, and its total time. */
  readonly #latest = new Map<string, { at: number; ms: number }>();

  /** Takes the estate's latency principles the burn-rate rule reads; one whose objective changed starts afresh. */
  configure(estate: Estate, principles: readonly Principle[], now: number): void {
    const keep = new Set<string>();
    for (const principle of principles) {
      const target = latencyTargetOf(principle);
      if (!target) continue;
      const objective = JSON.stringify([
        target.percentile,
        target.targetMs,
        principle.hours,
        principle.hours === '24x7' ? null : coreHoursOf(estate.settings),
        principle.scope,
      ]);
      const longestMs = Math.max(...pairsFor(principle).map((pair) => pair.longMs));
      const before = this.#watched.get(principle.id);
      keep.add(principle.id);
      if (before && before.objective === objective && before.longestMs === longestMs) {
        before.principle = principle;
        continue;
      }
      this.#watched.set(principle.id, {
        principle,
        objective,
        targetMs: target.targetMs,
        longestMs,
        since: now,
        minutes: new Map(),
        hours: new Map(),
      });
    }
    for (const id of this.#watched.keys()) if (!keep.has(id)) this.#watched.delete(id);
    this.#reach = new Map();
    this.#checks = new Set();
    if (this.#watched.size === 0) {
      this.#latest.clear();
      return;
    }
    const index = indexOf(estate);
    for (const check of estate.checks)
      for (const pair of pairsOf(estate, check, index)) {
        const reached = [...this.#watched.values()].filter((w) => inScope(w.principle.scope, pair));
        if (reached.length === 0) continue;
        this.#reach.set(keyOf({ checkId: check.id, vantagePoint: pair.vantagePoint }), reached);
        this.#checks.add(check.id);
      }
    for (const key of this.#latest.keys())
      if (!this.#checks.has(key.slice(0, key.indexOf('\u0000')))) this.#latest.delete(key);
  }

  /** The checks some principle's scope reaches. */
  checkIds(): string[] {
    return [...this.#checks];
  }

  /** The runs since `from` have been read back (at a start): each principle has watched since then. */
  readBack(from: number): void {
    for (const watched of this.#watched.values()) watched.since = Math.min(watched.since, from);
  }

  /** Whether any of these runs is counted by a principle (their maintenance must then be known). */
  reads(runs: readonly RunRecord[]): boolean {
    return this.#checks.size > 0 && runs.some((run) => this.#checks.has(run.checkId));
  }

  /** Counts runs in, in the order they started (runs with no total time say nothing of latency). */
  add(runs: readonly (RunRecord | TimedRun)[], { scene, silent }: RunScene, now: number): void {
    for (const run of runs) {
      const key = keyOf(run);
      const totalMs = 'totalMs' in run ? run.totalMs : run.phases?.totalMs;
      if (!this.#checks.has(run.checkId) || typeof totalMs !== 'number') continue;
      // Counted already (read back at a start, then evaluated as a run the stop cut short): once only.
      if (run.startedAt <= (this.#latest.get(key)?.at ?? Number.NEGATIVE_INFINITY)) continue;
      this.#latest.set(key, { at: run.startedAt, ms: totalMs });
      const reached = this.#reach.get(key);
      if (!reached) continue;
      const check = lookupOf(scene.estate).check(run.checkId);
      if (!check) continue;
      for (const watched of reached) {
        if (run.startedAt <= now - watched.longestMs) continue;
        if (!inHours(watched, scene.estate, run.startedAt)) continue;
        const maintained = scene.maintenanceOf(run.checkId, run.vantagePoint);
        if (maintained.some((span) => span.from <= run.startedAt && run.startedAt < span.to)) continue;
        const at = Math.floor(run.startedAt / MINUTE_MS) * MINUTE_MS;
        let minute = watched.minutes.get(at);
        if (!minute) {
          minute = { runs: 0, slow: 0, whose: new Map() };
          watched.minutes.set(at, minute);
        }
        minute.runs += 1;
        if (bucketMiddleMs(bucketOf(totalMs)) <= watched.targetMs) continue;
        minute.slow += 1;
        this.#attribute(minute, check, run.vantagePoint, watched.targetMs, scene.estate, silent);
      }
    }
  }

  /**
   * Each watched principle's tallies over the windows starting at `starts` and ending now (runs are
   * counted to the minute they started in), and which of those windows it has watched the whole of.
   * Counts of runs stand where the availability principles' tallies have milliseconds.
   */
  tallies(now: number): Map<Principle, { tallies: Map<number, WindowTally>; watchedFrom: number }> {
    const answer = new Map<Principle, { tallies: Map<number, WindowTally>; watchedFrom: number }>();
    for (const watched of this.#watched.values()) {
      for (const at of watched.minutes.keys())
        if (at + MINUTE_MS <= now - watched.longestMs) watched.minutes.delete(at);
      const tallies = new Map<number, WindowTally>();
      for (const pair of pairsFor(watched.principle))
        for (const start of [now - pair.longMs, now - pair.shortMs])
          tallies.set(start, tallyFrom(watched.minutes, start));
      answer.set(watched.principle, { tallies, watchedFrom: watched.since });
    }
    return answer;
  }

  #attribute(
    minute: Minute,
    check: Check,
    vantagePoint: string,
    targetMs: number,
    estate: Estate,
    silent: ReadonlySet<string>,
  ): void {
    const lookup = lookupOf(estate);
    const system = lookup.system(check.system);
    const points = (check.from ?? [vantagePoint]).map((point) => {
      const latest = this.#latest.get(keyOf({ checkId: check.id, vantagePoint: point }))?.ms;
      const state: PointState =
        latest === undefined || silent.has(point)
          ? 'unknown'
          : bucketMiddleMs(bucketOf(latest)) > targetMs
            ? 'down'
            : 'up';
      return { vantagePoint: point, host: lookup.site(point)?.host ?? null, state };
    });
    const mine = localise(system?.owner ?? '', points).find((a) => a.vantagePoint === vantagePoint);
    // The Vantage server has no host: what it alone sees is the system owner's.
    const owner = !mine || mine.role === 'owner' || mine.organisation === null;
    const organisation = owner ? (system?.owner ?? null) : mine.organisation;
    const role = owner ? 'owner' : 'host';
    const where = owner ? `system:${check.system}` : `site:${vantagePoint}`;
    const whoseKey = `${organisation}|${role}`;
    let burnt = minute.whose.get(whoseKey);
    if (!burnt) {
      burnt = { organisation, role, ms: 0, at: new Map() };
      minute.whose.set(whoseKey, burnt);
    }
    burnt.ms += 1;
    burnt.at.set(where, (burnt.at.get(where) ?? 0) + 1);
  }
}

/** Whether a moment is in the principle's hours: each UTC day's hours worked out once, then looked up. */
function inHours(watched: Watched, estate: Estate, at: number): boolean {
  if (watched.principle.hours === '24x7') return true;
  const day = Math.floor(at / DAY_MS);
  let spans = watched.hours.get(day);
  if (!spans) {
    spans = hoursOf(watched.principle, estate, day * DAY_MS, (day + 1) * DAY_MS);
    // Only the days a window can reach are kept: the oldest goes once there are more.
    if (watched.hours.size > 8) watched.hours.delete(watched.hours.keys().next().value as number);
    watched.hours.set(day, spans);
  }
  return spans.some((span) => span.from <= at && at < span.to);
}

function tallyFrom(minutes: ReadonlyMap<number, Minute>, start: number): WindowTally {
  const tally: WindowTally = { countedMs: 0, downMs: 0, badRuns: 0, whose: new Map() };
  for (const [at, minute] of minutes) {
    if (at + MINUTE_MS <= start) continue;
    tally.countedMs += minute.runs;
    tally.downMs += minute.slow;
    tally.badRuns += minute.slow;
    for (const [key, burnt] of minute.whose) {
      let into = tally.whose.get(key);
      if (!into) {
        into = { organisation: burnt.organisation, role: burnt.role, ms: 0, at: new Map() };
        tally.whose.set(key, into);
      }
      into.ms += burnt.ms;
      for (const [where, n] of burnt.at) into.at.set(where, (into.at.get(where) ?? 0) + n);
    }
  }
  return tally;
}
