import { DEFAULT_INTERVAL } from '../../../common/check-defaults.js';
import { durationMs } from '../../../common/duration.js';
import { normalise, type Span, subtract } from '../../../principles/intervals.js';
import type { Stretch } from '../../../principles/timeline.js';
import { cronRuns, offsetOf } from '../../../runs/plan.js';
import { SERVER_VANTAGE_POINT } from '../../../runs/record.js';
import type { Check, Estate, Site, System } from '../../config/schema.js';
import { covers } from '../../principles/maintenance.js';
import { OUTAGE, type RecurringWindow } from '../behaviour.js';
import { LINK_DOWN } from '../network.js';
import type { HistoryEvent } from './events.js';

/** One (check, vantage point): what the state timeline and rollups are kept per. */
export interface Series {
  check: Check;
  vantagePoint: string;
  site?: Site;
  system?: System;
  /** The estate file maintenance windows that cover it. */
  coveredBy: Set<string>;
}

/** A stretch of time in which every run of a series would say the same: up, down, or no run at all. */
export interface Piece extends Span {
  state: 'up' | 'down' | 'silent';
}

/** A series' planned runs: the scheduler's own plan (runs/plan.ts), so history and live runs line up. */
export interface Grid {
  /** The first run at or after `at`. */
  first(at: number): number;
  /** The last run before `at`. */
  last(at: number): number;
  /** Runs in [from, to). */
  count(from: number, to: number): number;
}

export function seriesOf(estate: Estate): Series[] {
  const sites = new Map(estate.sites.map((site) => [site.id, site]));
  const systems = new Map(estate.systems.map((system) => [system.id, system]));
  return estate.checks.flatMap((check) =>
    (check.from ?? [SERVER_VANTAGE_POINT]).map((vantagePoint) => {
      const site = sites.get(vantagePoint);
      const system = systems.get(check.system);
      const series = { check, vantagePoint, ...(site ? { site } : {}), ...(system ? { system } : {}) };
      return { ...series, coveredBy: coveringWindows(estate, series) };
    }),
  );
}

/**
 * The series' state through the span: down when its system has an incident, its site's link fails,
 * maintenance work covers it, or the live demo's recurring outages are on; silent while its site's
 * agent is; up otherwise. Covers the span with no gaps, in order.
 */
export function piecesOf(series: Series, events: readonly HistoryEvent[], span: Span): Piece[] {
  const down: Span[] = [];
  const silent: Span[] = [];
  const site = series.site?.id;
  for (const event of events) {
    if (event.kind === 'system-incident' && event.system === series.check.system) down.push(event);
    else if (event.kind === 'site-link' && event.site === site) down.push(event);
    else if (event.kind === 'silent-agent' && event.site === site) silent.push(event);
  }
  for (const event of events)
    if (event.kind === 'maintenance-work' && series.coveredBy.has(event.window)) down.push(event);
  if (series.check.system === OUTAGE.system) down.push(...recurring(OUTAGE, span));
  if (site === LINK_DOWN.site) down.push(...recurring(LINK_DOWN, span));
  const quiet = normalise(silent);
  const failing = subtract(normalise(down), quiet);
  const marked = [
    ...failing.map((s) => ({ ...s, state: 'down' as const })),
    ...quiet.map((s) => ({ ...s, state: 'silent' as const })),
  ]
    .map((p) => ({ ...p, from: Math.max(p.from, span.from), to: Math.min(p.to, span.to) }))
    .filter((p) => p.to > p.from)
    .sort((a, b) => a.from - b.from);
  const pieces: Piece[] = [];
  let cursor = span.from;
  for (const piece of marked) {
    if (piece.from > cursor) pieces.push({ from: cursor, to: piece.from, state: 'up' });
    pieces.push(piece);
    cursor = piece.to;
  }
  if (cursor < span.to) pieces.push({ from: cursor, to: span.to, state: 'up' });
  return pieces;
}

/** Which estate maintenance windows cover a series (by check, system, site or tag). */
function coveringWindows(estate: Estate, series: Omit<Series, 'coveredBy'>): Set<string> {
  return new Set(
    estate.maintenance
      .filter((window) =>
        covers(window, {
          check: series.check,
          ...(series.system ? { system: series.system } : {}),
          ...(series.site ? { site: series.site } : {}),
        }),
      )
      .map((window) => window.id),
  );
}

/** The minutes a recurring window (behaviour.ts, network.ts) is on in a span, counted from the epoch. */
function recurring(window: RecurringWindow, span: Span): Span[] {
  const every = window.everyMinutes * 60_000;
  const spans: Span[] = [];
  for (let start = Math.floor(span.from / every) * every; start < span.to; start += every) {
    const from = start + window.fromMinute * 60_000;
    spans.push({ from, to: from + window.minutes * 60_000 });
  }
  return spans;
}

export function gridOf(check: Check, span: Span): Grid {
  if (check.cron !== undefined) {
    // A day either side, so the runs around the span's edges are found too.
    const runs = cronRuns(check.cron, span.from - 86_400_000, span.to + 86_400_000);
    const below = (at: number) => {
      let lo = 0;
      let hi = runs.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((runs[mid] as number) < at) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    return {
      first: (at) => runs[below(at)] ?? Number.POSITIVE_INFINITY,
      last: (at) => runs[below(at) - 1] ?? Number.NEGATIVE_INFINITY,
      count: (from, to) => (to > from ? below(to) - below(from) : 0),
    };
  }
  const interval = durationMs(check.every ?? DEFAULT_INTERVAL);
  const offset = offsetOf(check.id, interval);
  // Run k starts at offset + k × interval.
  const atOrAfter = (at: number) => Math.ceil((at - offset) / interval);
  return {
    first: (at) => atOrAfter(at) * interval + offset,
    last: (at) => (atOrAfter(at) - 1) * interval + offset,
    count: (from, to) => Math.max(0, atOrAfter(to) - atOrAfter(from)),
  };
}

/**
 * The stretches the series' runs make, exactly as the state timeline's writer would from the runs
 * themselves (principles/timeline.ts, stretchesOf): each run holds until the next and at most `hold`.
 * Works a piece at a time, never a run at a time: a year of a 30-second check is a million runs.
 * `endAt`, when given, cuts the last run's hold there (where measured runs already begin).
 */
export function stretchesFrom(
  pieces: readonly Piece[],
  grid: Grid,
  hold: (at: number) => number,
  endAt?: number,
): Stretch[] {
  const blocks: { first: number; last: number; state: 'up' | 'down' }[] = [];
  for (const piece of pieces) {
    if (piece.state === 'silent') continue;
    const first = grid.first(piece.from);
    if (first >= piece.to) continue;
    blocks.push({ first, last: grid.last(piece.to), state: piece.state });
  }
  const out: Stretch[] = [];
  blocks.forEach((block, i) => {
    const next = blocks[i + 1]?.first ?? Number.POSITIVE_INFINITY;
    const to = Math.min(next, block.last + hold(block.last), endAt ?? Number.POSITIVE_INFINITY);
    const last = out[out.length - 1];
    if (last && last.state === block.state && last.to === block.first) last.to = to;
    else if (to > block.first) out.push({ from: block.first, to, state: block.state });
  });
  return out;
}
