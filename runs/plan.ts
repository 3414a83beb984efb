import cron from 'node-cron';
import { DEFAULT_INTERVAL } from '../common/check-defaults.js';
import { durationMs } from '../common/duration.js';
import type { Check } from '../probes/check-schema.js';

/** When a check runs next, after a given instant. */
export type Plan = (after: number) => number;

/**
 * A fixed offset within the interval, from the check's id: thousands of checks with the same
 * interval start spread over it, and each keeps its place across restarts.
 */
export function offsetOf(id: string, intervalMs: number): number {
  // Whole seconds keep runs on readable times and well apart within short intervals.
  return (fnv1a(id) % Math.max(1, Math.floor(intervalMs / 1000))) * 1000;
}

/** FNV-1a (32-bit) over UTF-16 code units: a stable, well-spread number from an id. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

export function everyPlan(id: string, intervalMs: number): Plan {
  const offset = offsetOf(id, intervalMs);
  return (after) => {
    const next = Math.floor((after - offset) / intervalMs) * intervalMs + offset;
    return next > after ? next : next + intervalMs;
  };
}

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  weekday: 'short',
  hour: 'numeric',
  minute: 'numeric',
});
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function london(ms: number) {
  const parts = Object.fromEntries(londonParts.formatToParts(ms).map((p) => [p.type, p.value]));
  return {
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ''),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
  };
}

/** A cron expression's fields as sets of numbers (Sunday as 0 and 7 alike). */
function cronFields(expression: string) {
  const fields = cron.parse(expression);
  const numbers = (values: (number | string)[]) =>
    new Set(values.filter((v): v is number => typeof v === 'number'));
  const [seconds, minutes, hours, days, months, weekdays] = [
    [...numbers(fields.second)].sort((a, b) => a - b),
    numbers(fields.minute),
    numbers(fields.hour),
    numbers(fields.dayOfMonth),
    numbers(fields.month),
    numbers(fields.dayOfWeek),
  ] as const;
  if ((weekdays as Set<number>).has(7)) (weekdays as Set<number>).add(0);
  return { seconds, minutes, hours, days, months, weekdays };
}

/**
 * Every time a cron expression matches in [from, to), as cronPlan would step through them, but an hour
 * at a time (London's offset is whole hours, so minutes are the same in UTC): a year of a five-minute
 * schedule in milliseconds, where stepping cronPlan takes seconds.
 */
export function cronRuns(expression: string, from: number, to: number): number[] {
  const { seconds, minutes, hours, days, months, weekdays } = cronFields(expression);
  const runs: number[] = [];
  for (let hour = Math.floor(from / 3_600_000) * 3_600_000; hour < to; hour += 3_600_000) {
    const t = london(hour);
    if (!(months.has(t.month) && days.has(t.day) && weekdays.has(t.weekday) && hours.has(t.hour))) continue;
    for (let minute = 0; minute < 60; minute++) {
      if (!minutes.has(minute)) continue;
      for (const second of seconds) {
        const at = hour + minute * 60_000 + second * 1000;
        if (at >= from && at < to) runs.push(at);
      }
    }
  }
  return runs;
}

/** The next time a cron expression matches in Europe/London (to the minute, at its listed seconds). */
export function cronPlan(expression: string): Plan {
  const { seconds, minutes, hours, days, months, weekdays } = cronFields(expression);
  const firstSecond = seconds[0] ?? 0;
  return (after) => {
    let minute = Math.floor(after / 60_000) * 60_000;
    // A year of minutes at most; hours that cannot match are skipped whole.
    for (let steps = 0; steps < 600_000; steps++) {
      const t = london(minute);
      const dateMatches = months.has(t.month) && days.has(t.day) && weekdays.has(t.weekday);
      if (!dateMatches || !hours.has(t.hour)) {
        minute = (Math.floor(minute / 3_600_000) + 1) * 3_600_000;
        continue;
      }
      if (minutes.has(t.minute)) {
        for (const second of seconds) if (minute + second * 1000 > after) return minute + second * 1000;
      }
      minute += 60_000;
      if (minute + firstSecond * 1000 > after + 366 * 86_400_000) break;
    }
    return Number.POSITIVE_INFINITY;
  };
}

export function planOf(check: Check): Plan {
  if (check.cron !== undefined) return cronPlan(check.cron);
  return everyPlan(check.id, durationMs(check.every ?? DEFAULT_INTERVAL));
}
