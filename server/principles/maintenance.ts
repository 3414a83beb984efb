import { durationMs } from '../../common/duration.js';
import { normalise, type Span } from '../../principles/intervals.js';
import { dayOfDate, londonTime } from '../../principles/london.js';
import { cronPlan } from '../../runs/plan.js';
import type { Check, MaintenanceWindow, Site, System } from '../config/schema.js';

/** The instant of a `YYYY-MM-DDTHH:MM` London time. */
export function londonInstant(text: string): number {
  const [date, time] = text.split('T') as [string, string];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return londonTime(dayOfDate(date), hour * 60 + minute);
}

/** Occurrences of a repeated window past this many in one period are not looked for: a year of minutes. */
const MAX_OCCURRENCES = 600_000;

/** The time a window covers between two instants, as sorted UTC spans. */
export function windowSpans(window: MaintenanceWindow, from: number, to: number): Span[] {
  if (window.start !== undefined && window.end !== undefined) {
    const span = {
      from: Math.max(from, londonInstant(window.start)),
      to: Math.min(to, londonInstant(window.end)),
    };
    return span.to > span.from ? [span] : [];
  }
  if (window.cron === undefined || window.duration === undefined) return [];
  const length = durationMs(window.duration);
  const next = cronPlan(window.cron);
  const spans: Span[] = [];
  // An occurrence that began up to one duration before the period still covers its start.
  let at = next(from - length - 1);
  for (let count = 0; at < to && count < MAX_OCCURRENCES; count++) {
    spans.push({ from: Math.max(from, at), to: Math.min(to, at + length) });
    at = next(at);
  }
  return normalise(spans);
}

export interface Covered {
  check: Pick<Check, 'id' | 'system' | 'tags'>;
  system?: Pick<System, 'id' | 'tags'>;
  /** The vantage point's site; undefined for the central server. */
  site?: Pick<Site, 'id' | 'tags'>;
}

/** Whether a window covers a check at a vantage point: by the check, its system, the site, or a tag of any. */
export function covers(window: Pick<MaintenanceWindow, 'scope'>, { check, system, site }: Covered): boolean {
  const scope = window.scope;
  if (scope.checks?.includes(check.id)) return true;
  if (scope.systems?.includes(check.system)) return true;
  if (site && scope.sites?.includes(site.id)) return true;
  const tags = new Set([...(check.tags ?? []), ...(system?.tags ?? []), ...(site?.tags ?? [])]);
  return (scope.tags ?? []).some((tag) => tags.has(tag));
}

/** Everything the windows that cover a check at a vantage point cover in a period. */
export function maintenanceFor(
  windows: readonly MaintenanceWindow[],
  covered: Covered,
  from: number,
  to: number,
): Span[] {
  return normalise(windows.filter((w) => covers(w, covered)).flatMap((w) => windowSpans(w, from, to)));
}
