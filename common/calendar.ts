export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

const londonDate = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Hours since the epoch: the key of an hourly rollup. */
export function hourOf(ms: number): number {
  return Math.floor(ms / HOUR_MS);
}

/**
 * The Europe/London calendar day of an instant, as days since 1970-01-01: the key of a daily
 * rollup, so a "day" is the day staff lived, across daylight-saving changes.
 */
export function londonDayOf(ms: number): number {
  // London's date changes only on a UTC hour, so each hour's day is found once (see dayByHour).
  const hour = Math.floor(ms / HOUR_MS);
  let day = dayByHour.get(hour);
  if (day === undefined) {
    if (dayByHour.size >= HOURS_KEPT) dayByHour.clear();
    const parts = londonDate.formatToParts(hour * HOUR_MS);
    const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    day = Date.UTC(part('year'), part('month') - 1, part('day')) / DAY_MS;
    dayByHour.set(hour, day);
  }
  return day;
}

/**
 * Days already found, by UTC hour: formatting a date takes microseconds and a year's figures ask
 * millions of times. Bounded: emptied should it ever hold more than a few decades of hours.
 */
const dayByHour = new Map<number, number>();
const HOURS_KEPT = 250_000;

/** 'YYYY-MM-DD' of a London day key. */
export function londonDayText(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 'YYYY-MM-DD' of the Europe/London calendar day an instant falls on. */
export function londonDateOf(ms: number): string {
  return londonDayText(londonDayOf(ms));
}

/** The first day of the calendar month a day (days since the epoch) falls in. */
export function monthStartDay(day: number): number {
  const date = new Date(day * DAY_MS);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / DAY_MS;
}

/** The first day of the calendar month after the one a day falls in. */
export function nextMonthDay(day: number): number {
  const date = new Date(day * DAY_MS);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) / DAY_MS;
}
