import { DAY_MS } from '../../../common/calendar.js';
import type { Span } from '../../../principles/intervals.js';
import { londonOffsetMs, londonTime, weekdayOf } from '../../../principles/london.js';
import { fnv1a } from '../../../runs/plan.js';
import type { Estate } from '../../config/schema.js';
import { windowSpans } from '../../principles/maintenance.js';
import { CONGESTION, LINK_DOWN, PACKET_LOSS } from '../network.js';
import { generator } from '../random.js';

/**
 * What happened in the demo's simulated past, beyond the recurring behaviour the live demo shows
 * (behaviour.ts, network.ts), which the history repeats too. Each calendar month (London) of the span:
 * - every system with checks has 0–2 incidents of its own, 4 minutes to 3 hours long, seen from every
 *   vantage point: the system owner's minutes;
 * - one site's link fails for 20 minutes to 4 hours, seen by every check from that site only: the
 *   host's minutes (the sites with a known weak line are likelier);
 * - one site's agent is silent on a weekday afternoon, 13:00–17:00 London: unknown time, nobody's.
 * And inside every occurrence of each estate file maintenance window, the work takes the covered
 * checks down for its middle half: maintenance time, never down.
 */
export type HistoryEvent =
  | { kind: 'system-incident'; system: string; from: number; to: number }
  | { kind: 'site-link'; site: string; from: number; to: number }
  | { kind: 'silent-agent'; site: string; from: number; to: number }
  | { kind: 'maintenance-work'; window: string; from: number; to: number };

/** How many incidents a system has in a month, and how likely each count is. */
const INCIDENTS_PER_MONTH = [0.45, 0.4, 0.15] as const;
const INCIDENT_MINUTES = { min: 4, max: 180 } as const;
const LINK_MINUTES = { min: 20, max: 240 } as const;
/** A site with a known weak line (network.ts) is this many times likelier to lose it for longer. */
const WEAK_LINE_WEIGHT = 4;
const SILENT_FROM = 13 * 60;
const SILENT_TO = 17 * 60;

/** The events of a span, the same for the same estate, span and seed; sorted by start. */
export function historyEvents(estate: Estate, span: Span, seed: number): HistoryEvent[] {
  const random = generator(seed ^ fnv1a('demo history'));
  const between = (min: number, max: number) => min + random() * (max - min);
  // Log-uniform: as many incidents of 4–15 minutes as of 45 minutes to 3 hours.
  const minutes = (range: { min: number; max: number }) =>
    Math.round(Math.exp(between(Math.log(range.min), Math.log(range.max))));
  const systems = estate.systems
    .filter((system) => estate.checks.some((check) => check.system === system.id))
    .map((system) => system.id)
    .sort();
  const sites = estate.sites
    .filter((site) => estate.checks.some((check) => check.from?.includes(site.id)))
    .map((site) => site.id)
    .sort();
  const weak = new Set<string>([CONGESTION.site, PACKET_LOSS.site, LINK_DOWN.site]);
  const pickSite = weighted(sites.map((site) => [site, weak.has(site) ? WEAK_LINE_WEIGHT : 1] as const));

  const events: HistoryEvent[] = [];
  for (const month of monthsOf(span)) {
    const at = (length: number) => Math.floor(between(month.from, Math.max(month.from, month.to - length)));
    for (const system of systems) {
      const count = pick(INCIDENTS_PER_MONTH, random());
      for (let i = 0; i < count; i++) {
        const length = minutes(INCIDENT_MINUTES) * 60_000;
        const from = roundToSecond(at(length));
        events.push({ kind: 'system-incident', system, from, to: Math.min(month.to, from + length) });
      }
    }
    if (sites.length === 0) continue;
    const length = minutes(LINK_MINUTES) * 60_000;
    const from = roundToSecond(at(length));
    events.push({ kind: 'site-link', site: pickSite(random()), from, to: Math.min(month.to, from + length) });
    const silent = silentAfternoon(month, random());
    if (silent)
      events.push({
        kind: 'silent-agent',
        site: sites[Math.floor(random() * sites.length)] as string,
        ...silent,
      });
  }
  for (const window of estate.maintenance) {
    for (const occurrence of windowSpans(window, span.from, span.to)) {
      const quarter = (occurrence.to - occurrence.from) / 4;
      events.push({
        kind: 'maintenance-work',
        window: window.id,
        from: Math.round(occurrence.from + quarter),
        to: Math.round(occurrence.to - quarter),
      });
    }
  }
  return events.sort((a, b) => a.from - b.from || a.kind.localeCompare(b.kind));
}

/** The London calendar months the span touches, each cut to the span. */
export function monthsOf(span: Span): Span[] {
  const local = new Date(span.from + londonOffsetMs(span.from));
  let year = local.getUTCFullYear();
  let month = local.getUTCMonth();
  const months: Span[] = [];
  for (;;) {
    const start = londonTime(Date.UTC(year, month, 1) / DAY_MS, 0);
    if (start >= span.to) break;
    month += 1;
    if (month === 12) {
      month = 0;
      year += 1;
    }
    const end = londonTime(Date.UTC(year, month, 1) / DAY_MS, 0);
    if (end > span.from) months.push({ from: Math.max(start, span.from), to: Math.min(end, span.to) });
  }
  return months;
}

/** 13:00–17:00 London on a weekday of the month (the first on or after a drawn day), if one fits. */
function silentAfternoon(month: Span, draw: number): Span | undefined {
  const firstDay = Math.floor((month.from + londonOffsetMs(month.from)) / DAY_MS);
  const lastDay = Math.floor((month.to - 1 + londonOffsetMs(month.to - 1)) / DAY_MS);
  let day = firstDay + Math.floor(draw * (lastDay - firstDay + 1));
  for (let tries = 0; tries < 7 && [0, 6].includes(weekdayOf(day)); tries++) day += 1;
  const span = { from: londonTime(day, SILENT_FROM), to: londonTime(day, SILENT_TO) };
  return span.from >= month.from && span.to <= month.to && ![0, 6].includes(weekdayOf(day))
    ? span
    : undefined;
}

/** The index a uniform draw lands on in a list of probabilities that add up to 1. */
function pick(probabilities: readonly number[], draw: number): number {
  let left = draw;
  for (const [i, p] of probabilities.entries()) {
    left -= p;
    if (left < 0) return i;
  }
  return probabilities.length - 1;
}

function weighted(entries: readonly (readonly [string, number])[]): (draw: number) => string {
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  return (draw) => {
    let left = draw * total;
    for (const [value, w] of entries) {
      left -= w;
      if (left < 0) return value;
    }
    return entries[entries.length - 1]?.[0] ?? '';
  };
}

const roundToSecond = (ms: number) => Math.round(ms / 1000) * 1000;
