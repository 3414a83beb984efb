import { accountCheck } from '../../principles/accounting.js';
import { coreHourSpans } from '../../principles/hours.js';
import { intersect, normalise, type Spans, subtract } from '../../principles/intervals.js';
import { type Stretch, spansIn } from '../../principles/timeline.js';
import type { Check, Estate, Principle } from '../config/schema.js';
import { type ComplianceSources, vantageOf } from './compliance.js';
import { coreHoursOf } from './core-hours.js';
import type { AttributedMinutes } from './figures.js';
import { type Pair, pairsOf } from './scope.js';
import { allWindows, type Window } from './windows.js';

export interface Outage {
  from: string;
  to: string;
  minutes: number;
  attribution: AttributedMinutes[];
}

export interface VantageOutages {
  vantagePoint: string;
  /** The site's host organisation; null for the central server. */
  host: string | null;
  outages: Outage[];
}

/**
 * A check's down stretches at each vantage point between two instants, less maintenance, each with
 * whose its minutes are (the accounting's attribution rule, moment by moment). With `hours: 'core'`
 * only their parts within core hours, as a core-hours principle counts them; otherwise all time.
 */
export async function outagesOf(
  estate: Estate,
  { results, maintenance }: ComplianceSources,
  check: Check,
  from: number,
  to: number,
  hours: Principle['hours'] = '24x7',
): Promise<VantageOutages[]> {
  const counted: Spans =
    hours === 'core' ? coreHourSpans(coreHoursOf(estate.settings), from, to) : [{ from, to }];
  const timeline = await results.timeline(check.id, from, to);
  const windows = await allWindows(estate, maintenance, from, to);
  return outagesIn(pairsOf(estate, check), timeline, windows, counted);
}

/**
 * A check's outages from its timeline already read, for reading many checks in one pass: their parts
 * within `counted` (sorted spans: the period, or its core hours).
 */
export function outagesIn(
  pairs: readonly Pair[],
  timeline: Map<string, Stretch[]>,
  windows: readonly Window[],
  counted: Spans,
): VantageOutages[] {
  const vantages = pairs.map((pair) => vantageOf(pair, timeline, windows));
  const owner = pairs[0]?.system?.owner ?? '';
  return vantages.map((vantage, index) => {
    const down = subtract(
      intersect(normalise(spansIn(vantage.stretches, 'down')), counted),
      vantage.maintenance,
    );
    return {
      vantagePoint: vantage.vantagePoint,
      host: vantage.host,
      outages: down.map((span) => {
        const account = accountCheck(owner, vantages, [span])[index];
        return {
          from: new Date(span.from).toISOString(),
          to: new Date(span.to).toISOString(),
          minutes: (span.to - span.from) / 60_000,
          attribution: (account?.attribution ?? []).map((a) => ({
            organisation: a.organisation,
            role: a.role,
            minutes: a.ms / 60_000,
          })),
        };
      }),
    };
  });
}
