import { accountCheck } from '../../principles/accounting.js';
import { clip, subtract } from '../../principles/intervals.js';
import { type Stretch, spansIn } from '../../principles/timeline.js';
import type { Check, Estate } from '../config/schema.js';
import { type ComplianceSources, vantageOf } from './compliance.js';
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
 * whose its minutes are (the accounting's attribution rule, moment by moment, over all time).
 */
export async function outagesOf(
  estate: Estate,
  { results, maintenance }: ComplianceSources,
  check: Check,
  from: number,
  to: number,
): Promise<VantageOutages[]> {
  const timeline = await results.timeline(check.id, from, to);
  const windows = await allWindows(estate, maintenance, from, to);
  return outagesIn(pairsOf(estate, check), timeline, windows, from, to);
}

/** A check's outages from its timeline already read, for reading many checks in one pass. */
export function outagesIn(
  pairs: readonly Pair[],
  timeline: Map<string, Stretch[]>,
  windows: readonly Window[],
  from: number,
  to: number,
): VantageOutages[] {
  const vantages = pairs.map((pair) => vantageOf(pair, timeline, windows));
  const owner = pairs[0]?.system?.owner ?? '';
  return vantages.map((vantage, index) => {
    const down = subtract(clip(spansIn(vantage.stretches, 'down'), from, to), vantage.maintenance);
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
