import type { Store } from '../store/store.js';
import { DAY_MS, HOUR_MS, hourOf, londonDayOf } from '../time.js';
import { WINDOWS, type Window } from './summary.js';

/** The UTC instant a Europe/London day begins (midnight is 23:00 UTC the evening before in summer). */
export function londonDayStart(day: number): number {
  const utcMidnight = day * DAY_MS;
  return londonDayOf(utcMidnight - HOUR_MS) === day ? utcMidnight - HOUR_MS : utcMidnight;
}

/**
 * The rollups covering the last `window`: whole London days from daily rollups and the partial days
 * at either end from hourly ones, so a 30-day summary reads about 35 rows per vantage point, not 720.
 * A year is read from daily rollups alone.
 */
export async function windowSlices(store: Store, checkId: string, window: Window, now: number) {
  const from = now - WINDOWS[window] * HOUR_MS;
  if (window === '365d') return { from, ...(await evenSlices(store, checkId, from, now, 'daily')) };
  const firstHour = hourOf(from) + 1;
  const endHour = hourOf(now) + 1;
  let firstDay = londonDayOf(firstHour * HOUR_MS);
  if (londonDayStart(firstDay) < firstHour * HOUR_MS) firstDay += 1;
  const endDay = londonDayOf(now); // today is partial: read by the hour
  if (window === '24h' || endDay <= firstDay)
    return { from, ...(await evenSlices(store, checkId, from, now, 'hourly')) };
  const daysFromHour = londonDayStart(firstDay) / HOUR_MS;
  const daysToHour = londonDayStart(endDay) / HOUR_MS;
  const slices = [
    ...(await store.rollups(checkId, 'hourly', firstHour, daysFromHour)),
    ...(await store.rollups(checkId, 'daily', firstDay, endDay)),
    ...(await store.rollups(checkId, 'hourly', daysToHour, endHour)),
  ];
  return { from, source: 'hourly+daily' as const, slices };
}

/**
 * Rollups of one resolution from `from` to `now`, in even steps for charts, and the instant each step
 * is drawn at (a London day at that day's UTC midnight).
 */
async function evenSlices(
  store: Store,
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
export function seriesSlices(store: Store, checkId: string, window: Window, now: number) {
  return evenSlices(
    store,
    checkId,
    now - WINDOWS[window] * HOUR_MS,
    now,
    window === '365d' ? 'daily' : 'hourly',
  );
}
