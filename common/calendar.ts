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
  const parts = londonDate.formatToParts(ms);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(part('year'), part('month') - 1, part('day')) / DAY_MS;
}

/** 'YYYY-MM-DD' of a London day key. */
export function londonDayText(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 'YYYY-MM-DD' of the Europe/London calendar day an instant falls on. */
export function londonDateOf(ms: number): string {
  return londonDayText(londonDayOf(ms));
}
