import { hourOf } from '../../common/calendar.js';
import { normalise, type Span, type Spans } from '../../principles/intervals.js';

/** Spans as ranges of whole hours [from, to), joined where they meet or share an hour, oldest first. */
export function hourRanges(spans: readonly Span[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const span of normalise(spans)) {
    if (span.to <= span.from) continue;
    const fromHour = hourOf(span.from);
    const toHour = hourOf(span.to - 1) + 1;
    const last = ranges[ranges.length - 1];
    if (last && fromHour <= last[1]) last[1] = Math.max(last[1], toHour);
    else ranges.push([fromHour, toHour]);
  }
  return ranges;
}

/** Ranges of hours [from, to) in any order as the fewest ranges covering them, oldest first. */
export function joinRanges(ranges: readonly [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [from, to] of sorted) {
    const last = out[out.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  }
  return out;
}

/** Whether a plan's ranges (oldest first) and week mask take an hour. */
export function wants(plan: { ranges: readonly [number, number][]; mask: string | undefined }, hour: number) {
  if (plan.mask !== undefined && plan.mask[hour % WEEK_HOURS] !== '1') return false;
  for (const [from, to] of plan.ranges) {
    if (hour < from) return false;
    if (hour < to) return true;
  }
  return false;
}

/** Whether any of the sorted spans overlaps [from, to). */
export function touches(spans: Spans, from: number, to: number): boolean {
  for (const span of spans) {
    if (span.from >= to) return false;
    if (span.to > from) return true;
  }
  return false;
}

const WEEK_HOURS = 168;

/**
 * The hours of the UTC week (hours since the epoch modulo 168) that any span touches, as the store's
 * week mask; undefined when that is every hour. Core hours over a year touch Monday to Friday 07:00Z
 * to 19:00Z (summer and winter time together), 60 of the 168: the rest are never read.
 */
export function weekMaskOf(hours: readonly Span[]): string | undefined {
  const wanted = new Uint8Array(WEEK_HOURS);
  let marked = 0;
  for (const span of hours)
    for (let hour = hourOf(span.from); hour <= hourOf(span.to - 1); hour++) {
      const slot = hour % WEEK_HOURS;
      if (wanted[slot]) continue;
      wanted[slot] = 1;
      if (++marked === WEEK_HOURS) return undefined;
    }
  return Array.from(wanted, (w) => (w ? '1' : '0')).join('');
}

/** The hours any of some week masks wants; undefined (every hour) when any of them is. */
export function unionMask(masks: readonly (string | undefined)[]): string | undefined {
  if (masks.some((mask) => mask === undefined)) return undefined;
  const wanted = new Uint8Array(WEEK_HOURS);
  for (const mask of masks as string[])
    for (let slot = 0; slot < WEEK_HOURS; slot++) if (mask[slot] === '1') wanted[slot] = 1;
  return wanted.every((w) => w === 1) ? undefined : Array.from(wanted, (w) => (w ? '1' : '0')).join('');
}
