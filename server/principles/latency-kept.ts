import { HOUR_MS, hourOf, londonDayOf, monthStartDay, nextMonthDay } from '../../common/calendar.js';
import { type CoreHours, coreHourSpans } from '../../principles/hours.js';
import type { Span } from '../../principles/intervals.js';
import {
  addWeighted,
  type HourHistogram,
  hourStretches,
  type LatencyTarget,
} from '../../principles/latency.js';
import { londonTime } from '../../principles/london.js';
import type { Stretch } from '../../principles/timeline.js';
import type { Estate, Principle } from '../config/schema.js';
import { PHASES, phaseBuckets } from '../rollups/codec.js';
import { BUCKETS } from '../rollups/histogram.js';
import type { KeptRow } from '../store/latency-kept.js';
import type { PhaseSlice } from '../store/results.js';
import { coreHoursOf } from './core-hours.js';
import { eachSummary, encodeBody, type VantageSummary } from './kept-body.js';
import { latencyTargetOf } from './latency-figure.js';

/**
 * What a latency principle's figures depend on, besides its scope: the percentile, the target, and the
 * hours counted (core hours as the settings give them, or all). Principles that agree on these share
 * kept rows; a change to any of them is another objective, built afresh.
 */
export interface KeptObjective {
  key: string;
  target: LatencyTarget;
  /** The principle's hours over any stretch of time. */
  hoursIn: (from: number, to: number) => Span[];
}

export function keptObjectiveOf(
  estate: Pick<Estate, 'settings'>,
  principle: Principle,
): KeptObjective | undefined {
  const target = latencyTargetOf(principle);
  if (!target) return undefined;
  if (principle.hours === '24x7')
    return {
      key: `p${target.percentile}:${target.targetMs}ms:24x7`,
      target,
      hoursIn: (from, to) => [{ from, to }],
    };
  const core: CoreHours = coreHoursOf(estate.settings);
  const hours = `${core.days.join('')}:${core.startMinute}-${core.endMinute}:${core.holidays.join(',')}`;
  return {
    key: `p${target.percentile}:${target.targetMs}ms:core:${hours}`,
    target,
    hoursIn: (from, to) => coreHourSpans(core, from, to),
  };
}

/** The instant a London day begins. */
export const dayStart = (day: number): number => londonTime(day, 0);

const TOTAL = PHASES.indexOf('totalMs');

/** Hourly slices as each vantage point's hours of total time, oldest first. */
export function hoursByVantage(slices: readonly PhaseSlice[]): Map<string, HourHistogram[]> {
  const byVp = new Map<string, HourHistogram[]>();
  for (const slice of slices) {
    const hour = hourOfSlice(slice);
    if (!hour) continue;
    const list = byVp.get(slice.vantagePoint);
    if (list) list.push(hour);
    else byVp.set(slice.vantagePoint, [hour]);
  }
  return byVp;
}

/** An hourly slice's total times; undefined when the hour has no timed runs. */
export function hourOfSlice({ bucket, phases }: PhaseSlice): HourHistogram | undefined {
  const buckets: number[] = [];
  const counts: number[] = [];
  phaseBuckets(phases, TOTAL, buckets, counts);
  return buckets.length === 0 ? undefined : { from: bucket * HOUR_MS, buckets, counts };
}

/** A closed London day's kept row, from that day's hourly rollups. */
export function dayRow(objective: KeptObjective, day: number, slices: readonly PhaseSlice[]): KeptRow {
  const from = dayStart(day);
  const to = dayStart(day + 1);
  const hours = objective.hoursIn(from, to);
  const first = hourOf(from);
  const body = new Map<string, VantageSummary>();
  for (const [vp, list] of hoursByVantage(slices)) {
    const inDay = list.filter((hour) => hour.from >= from && hour.from < to);
    if (inDay.length === 0) continue;
    const s: number[] = [];
    for (const stretch of hourStretches(inDay, objective.target))
      s.push(hourOf(stretch.from) - first, hourOf(stretch.to) - first, stretch.state === 'up' ? 1 : 0);
    const histogram = new Float64Array(BUCKETS);
    addWeighted(histogram, inDay, hours);
    body.set(vp, { s, h: sparse(histogram) });
  }
  return { day, unit: 'day', body: encodeBody(body) };
}

/** A closed month's kept row, from its days' rows (every day of the month, in order). */
export function monthRow(monthDay: number, days: readonly KeptRow[]): KeptRow {
  const first = hourOf(dayStart(monthDay));
  const stretches = new Map<string, Stretch[]>();
  const histograms = new Map<string, Float64Array>();
  for (const row of days)
    eachSummary(row.body, (vp, s, h) => {
      const list = stretches.get(vp) ?? [];
      stretches.set(vp, list);
      joinStretches(list, stretchesOf(s, dayStart(row.day)));
      const histogram = histograms.get(vp) ?? new Float64Array(BUCKETS);
      histograms.set(vp, histogram);
      addSparse(histogram, h, 1);
    });
  const body = new Map<string, VantageSummary>();
  for (const [vp, list] of stretches) {
    const s: number[] = [];
    for (const stretch of list)
      s.push(hourOf(stretch.from) - first, hourOf(stretch.to) - first, stretch.state === 'up' ? 1 : 0);
    body.set(vp, { s, h: sparse(histograms.get(vp) as Float64Array) });
  }
  return { day: monthDay, unit: 'month', body: encodeBody(body) };
}

/** A kept row read back: each vantage point's stretches (absolute) and its weighted histogram (sparse). */
export interface KeptVantage {
  stretches: Stretch[];
  histogram: number[];
}

export function readBody(row: KeptRow): Map<string, KeptVantage> {
  const start = dayStart(row.day);
  const byVp = new Map<string, KeptVantage>();
  eachSummary(row.body, (vp, s, h) => byVp.set(vp, { stretches: stretchesOf(s, start), histogram: h }));
  return byVp;
}

function stretchesOf(flat: readonly number[], start: number): Stretch[] {
  const out: Stretch[] = [];
  for (let i = 0; i + 2 < flat.length; i += 3)
    out.push({
      from: start + (flat[i] as number) * HOUR_MS,
      to: start + (flat[i + 1] as number) * HOUR_MS,
      state: flat[i + 2] === 1 ? 'up' : 'down',
    });
  return out;
}

/** Appends stretches that follow the list's last, joining one that meets it in the same state. */
export function joinStretches(into: Stretch[], more: readonly Stretch[]): void {
  for (const stretch of more) {
    const last = into[into.length - 1];
    if (last && last.to === stretch.from && last.state === stretch.state) last.to = stretch.to;
    else into.push({ ...stretch });
  }
}

function sparse(histogram: Float64Array): number[] {
  const out: number[] = [];
  for (let b = 0; b < histogram.length; b++)
    if ((histogram[b] as number) > 0) out.push(b, histogram[b] as number);
  return out;
}

/** Adds a sparse histogram (bucket, weight, …) into a dense one, times `sign`. */
export function addSparse(into: Float64Array, flat: readonly number[], sign: 1 | -1): void {
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const bucket = flat[i] as number;
    into[bucket] = (into[bucket] as number) + sign * (flat[i + 1] as number);
  }
}

/** A whole closed day or month inside a period. */
export interface Unit {
  unit: 'day' | 'month';
  day: number;
  from: number;
  to: number;
}

/**
 * A period as whole London months and days (the largest that fit, oldest first), ending no later than
 * `closedBy` (days not yet over are never kept), and the rest: the partial days at either end.
 */
export function unitsOf(from: number, to: number, closedBy: number): { units: Unit[]; rest: Span[] } {
  const end = Math.min(to, closedBy);
  let day = londonDayOf(from);
  if (dayStart(day) < from) day += 1;
  const units: Unit[] = [];
  while (dayStart(day + 1) <= end) {
    const next = nextMonthDay(day);
    if (monthStartDay(day) === day && dayStart(next) <= end) {
      units.push({ unit: 'month', day, from: dayStart(day), to: dayStart(next) });
      day = next;
    } else {
      units.push({ unit: 'day', day, from: dayStart(day), to: dayStart(day + 1) });
      day += 1;
    }
  }
  if (units.length === 0) return { units, rest: [{ from, to }] };
  const rest: Span[] = [];
  const firstFrom = (units[0] as Unit).from;
  const lastTo = (units[units.length - 1] as Unit).to;
  if (from < firstFrom) rest.push({ from, to: firstFrom });
  if (lastTo < to) rest.push({ from: lastTo, to });
  return { units, rest };
}

/** A month unit as its days, for when the month is not kept whole. */
export function daysOf(month: Unit): readonly Unit[] {
  const key = `${month.day}:${month.to}`;
  let out = daysByMonth.get(key);
  if (!out) {
    const days: Unit[] = [];
    for (let day = month.day; dayStart(day) < month.to; day++)
      days.push({ unit: 'day', day, from: dayStart(day), to: dayStart(day + 1) });
    if (daysByMonth.size >= 1_000) daysByMonth.clear();
    out = days;
    daysByMonth.set(key, out);
  }
  return out;
}

/** A month's days, asked for by every check of a period: made once. */
const daysByMonth = new Map<string, readonly Unit[]>();
