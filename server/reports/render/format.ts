import type { Status } from '../../principles/figures.js';
import type { ReportKind } from '../types.js';

export type ReportStatus = Status | 'not-evaluated';

/** The names the report's ids stand for; an id the estate no longer has is shown as it is. */
export interface ReportNames {
  organisations: Map<string, string>;
  sites: Map<string, string>;
  systems: Map<string, string>;
}

type Named = { id: string; name: string };

/**
 * The names to show, from the estate as it is now: a report stores ids, and an id the estate no longer
 * has is shown as it is (a report outlives the configuration it was made against).
 */
export function reportNamesOf(estate: {
  organisations: Named[];
  sites: Named[];
  systems: Named[];
}): ReportNames {
  const map = (items: Named[]) => new Map(items.map((i) => [i.id, i.name]));
  return { organisations: map(estate.organisations), sites: map(estate.sites), systems: map(estate.systems) };
}

export const nameOf = (names: Map<string, string>, id: string | null): string =>
  id === null ? '—' : (names.get(id) ?? id);

export const STATUS_WORDS: Record<ReportStatus, string> = {
  met: 'Met',
  'at-risk': 'At risk',
  breached: 'Breached',
  'no-data': 'No data',
  'not-evaluated': 'Not evaluated',
};

/** Lower is better only for latency; every other figure is better higher. */
export const lowerIsBetter = (unit: string): boolean => unit === 'ms';

/** A figure in its unit: 99.412%, 2,840 ms, 41 days, score 71.5. */
export function figureText(unit: string, value: number | null | undefined): string {
  if (value === null || value === undefined) return 'no figure';
  if (unit === '%') return `${value.toFixed(3)}%`;
  if (unit === 'ms') return `${Math.round(value).toLocaleString('en-GB')} ms`;
  if (unit === 'days') return `${Math.floor(value)} days`;
  return `score ${value.toLocaleString('en-GB', { maximumFractionDigits: 1 })}`;
}

/** The target as a comparison: ≥ 99.9%, ≤ 3,000 ms. */
export function targetText(unit: string, target: number): string {
  const better = lowerIsBetter(unit) ? '≤' : '≥';
  if (unit === '%') return `${better} ${target}%`;
  if (unit === 'ms' || unit === 'days') return `${better} ${target.toLocaleString('en-GB')} ${unit}`;
  return `${better} score ${target}`;
}

/** Minutes as counted: whole where they are, to two places where they are not. */
export function minutesText(value: number): string {
  return `${value.toLocaleString('en-GB', { maximumFractionDigits: 2 })} min`;
}

const london = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** An instant as staff read it, in Europe/London: "12 Nov 2026, 09:14". */
export function londonTime(at: string): string {
  return london.format(new Date(at));
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** The period in words: "November 2026", "October to December 2026 (2026-Q4)", "2026". */
export function periodWords(kind: ReportKind, period: string): string {
  const [year, part] = period.split('-');
  if (kind === 'month' && part) return `${MONTHS[Number(part) - 1] ?? part} ${year}`;
  if (kind === 'quarter' && part) {
    const q = Number(part.replace('Q', ''));
    return `${MONTHS[(q - 1) * 3]} to ${MONTHS[(q - 1) * 3 + 2]} ${year} (${period})`;
  }
  return period;
}

/** How a figure moved from the period before, in words that say which way is better. */
export function trendWords(unit: string, value: number | null, previous: number | null): string {
  if (value === null || previous === null)
    return value === null ? 'no figure this period' : 'no figure before';
  const delta = value - previous;
  const size =
    unit === '%'
      ? `${Math.abs(delta).toFixed(3)} points`
      : figureText(unit, Math.abs(delta)).replace('score ', '');
  // Unchanged as far as the figures shown can tell: never "worse by 0.000 points".
  if (figureText(unit, value) === figureText(unit, previous)) return 'unchanged';
  const better = lowerIsBetter(unit) ? delta < 0 : delta > 0;
  return `${better ? 'better' : 'worse'} by ${size}`;
}
