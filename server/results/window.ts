import { DAY_MS, HOUR_MS, hourOf, londonDayOf } from '../../common/calendar.js';
import type { ResultsStore, RollupSlice } from '../store/results.js';
import { WINDOWS, type Window } from './summary.js';

/** The UTC instant a Europe/London day begins (midnight is 23:00 UTC the evening before in summer). */
export function londonDayStart(day: number): number {
  const utcMidnight = day * DAY_MS;
  return londonDayOf(utcMidnight - HOUR_MS) === day ? utcMidnight - HOUR_MS : utcMidnight;
}

/**
 * The London days a year-wide summary covers before today: from the day a year ago up to, not
 * including, today (which is still filling, so it is read from its own daily rollup).
 */
export function yearSpan(now: number): { firstDay: number; endDay: number } {
  return { firstDay: londonDayOf(now - WINDOWS['365d'] * HOUR_MS), endDay: londonDayOf(now) };
}

/**
 * Keeps every check's year span merged, a few checks at a time with a pause between, so the work of
 * a new day (about 2 ms a check) never holds up probing or requests. Returns how many it merged.
 */
export async function refreshYearSpans(
  store: ResultsStore,
  now: number,
  options: { batch?: number; signal?: AbortSignal } = {},
): Promise<number> {
  const { firstDay, endDay } = yearSpan(now);
  const batch = options.batch ?? 20;
  let merged = 0;
  while (!options.signal?.aborted) {
    const done = await store.refreshSpans(firstDay, endDay, batch);
    merged += done;
    if (done < batch) break;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return merged;
}

/**
 * The rollups covering the last `window`: whole London days from daily rollups and the partial days
 * at either end from hourly ones, so a 30-day summary reads about 35 rows per vantage point, not 720.
 * A year is its kept span (one row per vantage point) and today's daily rollups.
 */
export async function windowSlices(store: ResultsStore, checkId: string, window: Window, now: number) {
  const from = now - WINDOWS[window] * HOUR_MS;
  if (window === '365d') {
    const { firstDay, endDay } = yearSpan(now);
    const days = [
      ...(await store.spanRollups(checkId, firstDay, endDay)),
      ...(await store.rollups(checkId, 'daily', endDay, endDay + 1)),
    ];
    return { from, source: 'daily' as const, slices: days, firstRuns: firstRuns([], days) };
  }
  const firstHour = hourOf(from) + 1;
  const endHour = hourOf(now) + 1;
  let firstDay = londonDayOf(firstHour * HOUR_MS);
  if (londonDayStart(firstDay) < firstHour * HOUR_MS) firstDay += 1;
  const endDay = londonDayOf(now); // today is partial: read by the hour
  if (window === '24h' || endDay <= firstDay) {
    const even = await evenSlices(store, checkId, from, now, 'hourly');
    return { from, ...even, firstRuns: firstRuns(even.slices, []) };
  }
  const daysFromHour = londonDayStart(firstDay) / HOUR_MS;
  const daysToHour = londonDayStart(endDay) / HOUR_MS;
  const firstHours = await store.rollups(checkId, 'hourly', firstHour, daysFromHour);
  const days = await store.rollups(checkId, 'daily', firstDay, endDay);
  const lastHours = await store.rollups(checkId, 'hourly', daysToHour, endHour);
  return {
    from,
    source: 'hourly+daily' as const,
    slices: [...firstHours, ...days, ...lastHours],
    firstRuns: firstRuns([...firstHours, ...lastHours], days),
  };
}

/** The hour or London day a vantage point's first rollup in a window covers: start inclusive, end exclusive. */
export interface FirstBucket {
  start: number;
  end: number;
}

/**
 * When each vantage point's runs in the window begin, to the hour or London day of its first rollup:
 * runs cannot be missed before a vantage point was first heard from.
 */
function firstRuns(hours: RollupSlice[], days: RollupSlice[]): Map<string, FirstBucket> {
  const first = new Map<string, FirstBucket>();
  const note = (vantagePoint: string, start: number, end: number) => {
    const known = first.get(vantagePoint);
    if (known === undefined || start < known.start) first.set(vantagePoint, { start, end });
  };
  for (const slice of hours) note(slice.vantagePoint, slice.bucket * HOUR_MS, (slice.bucket + 1) * HOUR_MS);
  for (const slice of days)
    note(slice.vantagePoint, londonDayStart(slice.bucket), londonDayStart(slice.bucket + 1));
  return first;
}

/**
 * Rollups of one resolution from `from` to `now`, in even steps for charts, and the instant each step
 * is drawn at (a London day at that day's UTC midnight).
 */
async function evenSlices(
  store: ResultsStore,
  checkId: string,
  from: number,
  now: number,
  source: 'hourly' | 'daily',
) {
  const slices =
    source === 'daily'
      ? await store.rollups(checkId, 'daily', londonDayOf(from), londonDayOf(now) + 1)
      : await store.rollups(checkId, 'hourly', hourOf(from) + 1, hourOf(now) + 1);
  const toInstant = source === 'daily' ? (day: number) => day * DAY_MS : (hour: number) => hour * HOUR_MS;
  return { source, slices, toInstant };
}

/** For charts: hourly rollups up to 30 days, London days for a year. */
export function seriesSlices(store: ResultsStore, checkId: string, window: Window, now: number) {
  return evenSlices(
    store,
    checkId,
    now - WINDOWS[window] * HOUR_MS,
    now,
    window === '365d' ? 'daily' : 'hourly',
  );
}
