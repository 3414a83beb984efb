import { DAY_MS, HOUR_MS } from '../../../common/calendar.js';
import type { Span } from '../../../principles/intervals.js';
import { londonOffsetMs, londonTime } from '../../../principles/london.js';
import type { Stretch } from '../../../principles/timeline.js';
import type { Estate } from '../../config/schema.js';
import { RollupAccumulator } from '../../rollups/accumulator.js';
import type { RollupRow } from '../../rollups/rollup.js';
import type { HistoryChunk } from '../../store/demo-history.js';
import { holdOf } from '../../timeline/hold.js';
import { peakAt } from '../behaviour.js';
import { type HistoryEvent, historyEvents, monthsOf } from './events.js';
import { HourRows, type LatencyProfile, profileOf } from './latency.js';
import { type Grid, gridOf, type Piece, piecesOf, type Series, seriesOf, stretchesFrom } from './series.js';

/** How far back the demo's history reaches from its first start: "last year's figures" and a month more. */
export const HISTORY_MONTHS = 13;

/** The span of history for a start at `to`: from London midnight on the same day 13 months before. */
export function historySpan(to: number): Span {
  const local = new Date(to + londonOffsetMs(to));
  const back = new Date(
    Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - HISTORY_MONTHS, local.getUTCDate()),
  );
  return { from: londonTime(back.getTime() / DAY_MS, 0), to };
}

interface PlannedSeries {
  series: Series;
  pieces: Piece[];
  grid: Grid;
  stretches: Stretch[];
  profile: LatencyProfile;
}

/** Everything the history holds, worked out before a row is written; written a month at a time. */
export interface HistoryPlan {
  span: Span;
  seed: number;
  events: HistoryEvent[];
  series: PlannedSeries[];
}

/**
 * The history of an estate over a span, deterministic from the seed. Each series' last simulated run
 * holds until its first live run is planned (the scheduler's own plan), so live runs carry straight
 * on from it; or, when measured runs are already stored from the span's end (`measured`), until then.
 */
export function planHistory(estate: Estate, span: Span, seed: number, measured = false): HistoryPlan {
  const steps = planSteps(estate, span, seed, measured);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * planHistory a series at a time: a server planning in the background yields between steps, so its
 * requests and the demo agents' heartbeats never wait the second or two the whole plan takes.
 */
export function* planSteps(
  estate: Estate,
  span: Span,
  seed: number,
  measured = false,
): Generator<void, HistoryPlan> {
  const events = historyEvents(estate, span, seed);
  yield;
  // One grid per check: every vantage point runs a check on the same plan.
  const grids = new Map<string, Grid>();
  const series: PlannedSeries[] = [];
  for (const one of seriesOf(estate)) {
    const pieces = piecesOf(one, events, span);
    const grid = grids.get(one.check.id) ?? gridOf(one.check, span);
    grids.set(one.check.id, grid);
    series.push({
      series: one,
      pieces,
      grid,
      stretches: stretchesFrom(pieces, grid, holdOf(one.check), measured ? span.to : grid.first(span.to)),
      profile: profileOf(one),
    });
    yield;
  }
  return { span, seed, events, series };
}

/**
 * The history's chunks, one per London month, the newest first (what a first page load asks for),
 * skipping those already written (from `doneFrom` on).
 */
export function* historyChunks(plan: HistoryPlan, doneFrom: number): Generator<HistoryChunk> {
  const rows = new HourRows();
  const dayRows = new Merges();
  const lastHour = Math.floor((plan.span.to - 1) / HOUR_MS);
  const lastDay = londonDay(plan.span.to - 1);
  for (const month of monthsOf(plan.span).reverse()) {
    if (month.from >= doneFrom) continue;
    const hours = hoursOf(month);
    const chunk: HistoryChunk = { stretches: [], rollups: [], doneFrom: month.from };
    for (const planned of plan.series) {
      const { series, pieces, grid, profile } = planned;
      const stretches = planned.stretches.filter((s) => s.from >= month.from && s.from < month.to);
      if (stretches.length > 0)
        chunk.stretches.push({ checkId: series.check.id, vantagePoint: series.vantagePoint, stretches });
      const days = new Map<number, RollupRow[]>();
      let p = 0;
      for (const hour of hours) {
        const from = Math.max(hour.from, plan.span.from);
        const to = Math.min(hour.from + HOUR_MS, plan.span.to);
        while (p < pieces.length && (pieces[p] as Piece).to <= from) p++;
        let up = 0;
        let down = 0;
        for (let i = p; i < pieces.length && (pieces[i] as Piece).from < to; i++) {
          const piece = pieces[i] as Piece;
          const runs = grid.count(Math.max(piece.from, from), Math.min(piece.to, to));
          if (piece.state === 'up') up += runs;
          else if (piece.state === 'down') down += runs;
        }
        if (up + down === 0) continue;
        const row = rows.row(profile, hour.peak, up, down);
        const bucket = hour.from / HOUR_MS;
        chunk.rollups.push({
          checkId: series.check.id,
          vantagePoint: series.vantagePoint,
          resolution: 'hourly',
          bucket,
          row,
          merge: bucket === lastHour,
        });
        const day = days.get(hour.day) ?? [];
        day.push(row);
        days.set(hour.day, day);
      }
      for (const [day, hourRows] of days)
        chunk.rollups.push({
          checkId: series.check.id,
          vantagePoint: series.vantagePoint,
          resolution: 'daily',
          bucket: day,
          row: dayRows.merged(hourRows),
          merge: day === lastDay,
        });
    }
    yield chunk;
  }
}

/**
 * Hours merged into days, each distinct list of hours once: hour rows are shared (HourRows), and most
 * days of a series repeat another's hours exactly, so a year of days takes a few hundred merges.
 */
class Merges {
  readonly #ids = new Map<RollupRow, number>();
  readonly #merged = new Map<string, RollupRow>();

  merged(hours: readonly RollupRow[]): RollupRow {
    const key = hours.map((row) => this.#idOf(row)).join(',');
    let merged = this.#merged.get(key);
    if (!merged) {
      const sum = new RollupAccumulator();
      for (const row of hours) sum.add(row);
      merged = sum.toRow();
      this.#merged.set(key, merged);
    }
    return merged;
  }

  #idOf(row: RollupRow): number {
    let id = this.#ids.get(row);
    if (id === undefined) {
      id = this.#ids.size;
      this.#ids.set(row, id);
    }
    return id;
  }
}

/** The hours of a month: each one's London day, and its morning peak averaged over its minutes. */
function hoursOf(month: Span): { from: number; day: number; peak: number }[] {
  const hours: { from: number; day: number; peak: number }[] = [];
  for (let from = Math.floor(month.from / HOUR_MS) * HOUR_MS; from < month.to; from += HOUR_MS) {
    const local = from + londonOffsetMs(from);
    const day = Math.floor(local / DAY_MS);
    const weekday = (day + 4) % 7;
    const minute = Math.floor((local % DAY_MS) / 60_000);
    let sum = 0;
    for (let m = 0; m < 60; m++) sum += peakAt(weekday === 0 || weekday === 6, minute + m);
    // To a twentieth, so the hours of a series share a handful of histograms.
    hours.push({ from, day, peak: Math.round((sum / 60) * 20) / 20 });
  }
  return hours;
}

const londonDay = (ms: number) => Math.floor((ms + londonOffsetMs(ms)) / DAY_MS);
