import { accountCheck } from '../../principles/accounting.js';
import { clip, length, normalise, subtract } from '../../principles/intervals.js';
import { type Stretch, spansIn } from '../../principles/timeline.js';
import type { Check, Estate } from '../config/schema.js';
import { type ComplianceSources, vantageOf } from '../principles/compliance.js';
import { indexOf, pairsOf } from '../principles/scope.js';
import { checkPass } from '../principles/timeline-pass.js';
import type { Window } from '../principles/windows.js';
import type { ReportContent } from './types.js';

/** Outages kept in a report, longest first: the rest are counted, not listed. */
export const MAX_OUTAGES = 500;

const MINUTE_MS = 60_000;

type Outage = ReportContent['outages'][number];
type Coverage = ReportContent['coverage'][number];

/** An outage as the pass finds it; whose it is is worked out only for those listed. */
export interface Found {
  check: Check;
  vantagePoint: string;
  from: number;
  to: number;
}

const compare = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);
const byLongest = (a: Found, b: Found) =>
  b.to - b.from - (a.to - a.from) ||
  a.from - b.from ||
  compare(a.check.id, b.check.id) ||
  compare(a.vantagePoint, b.vantagePoint);

/**
 * The first `count` of outages in byLongest order. Only those at least as long as the count-th longest
 * are sorted: a busy year has hundreds of thousands, and sorting them all took a good part of a second.
 */
export function longest(found: readonly Found[], count: number): Found[] {
  if (found.length <= count) return [...found].sort(byLongest);
  const lengths = Float64Array.from(found, (f) => f.to - f.from).sort();
  const shortest = lengths[lengths.length - count] as number;
  return found
    .filter((f) => f.to - f.from >= shortest)
    .sort(byLongest)
    .slice(0, count);
}

/**
 * The whole estate's outages and each vantage point's unknown time over a period, fed by the same pass
 * over the timeline as the principles' figures. An outage is a down stretch less maintenance; the
 * organisation most of its minutes are attributed to (the accounting's rule) is worked out for the
 * listed ones only, from their checks' timelines read again: a busy year has hundreds of thousands.
 * Unknown time is the period's time no stretch and no maintenance window covers, as the accounting has it.
 */
export function estatePass(estate: Estate, windows: readonly Window[], from: number, to: number) {
  const index = indexOf(estate);
  const found: Found[] = [];
  const silence = new Map<string, { unknownMs: number; totalMs: number }>();
  const account = (check: Check, timeline: Map<string, Stretch[]>) => {
    for (const pair of pairsOf(estate, check, index)) {
      const vantage = vantageOf(pair, timeline, windows);
      const known = normalise([
        ...clip(vantage.stretches, from, to).map((s) => ({ from: s.from, to: s.to })),
        ...clip(vantage.maintenance, from, to),
      ]);
      const seen = silence.get(pair.vantagePoint) ?? { unknownMs: 0, totalMs: 0 };
      seen.unknownMs += to - from - length(known);
      seen.totalMs += to - from;
      silence.set(pair.vantagePoint, seen);
      for (const span of subtract(clip(spansIn(vantage.stretches, 'down'), from, to), vantage.maintenance))
        found.push({ check, vantagePoint: pair.vantagePoint, from: span.from, to: span.to });
    }
  };
  const pass = checkPass(estate.checks, account);

  /** The longest outages, each with whose its minutes mostly are, and how many there were. */
  const outages = async (
    results: ComplianceSources['results'],
  ): Promise<{ listed: Outage[]; total: number }> => {
    const listed = longest(found, MAX_OUTAGES);
    const timelines = new Map<string, Map<string, Stretch[]>>();
    for (const outage of listed)
      if (!timelines.has(outage.check.id))
        timelines.set(outage.check.id, await results.timeline(outage.check.id, from, to));
    return {
      total: found.length,
      listed: listed.map((outage) => {
        const pairs = pairsOf(estate, outage.check, index);
        const vantages = pairs.map((pair) =>
          vantageOf(pair, timelines.get(outage.check.id) ?? new Map(), windows),
        );
        const at = pairs.findIndex((pair) => pair.vantagePoint === outage.vantagePoint);
        const owner = pairs[0]?.system?.owner ?? '';
        const attribution = accountCheck(owner, vantages, [outage])[at]?.attribution ?? [];
        const most = [...attribution].sort((a, b) => b.ms - a.ms)[0];
        return {
          check: outage.check.id,
          system: outage.check.system,
          site: outage.vantagePoint,
          from: new Date(outage.from).toISOString(),
          to: new Date(outage.to).toISOString(),
          minutes: (outage.to - outage.from) / MINUTE_MS,
          organisation: most?.organisation ?? null,
          role: most?.role ?? 'owner',
        };
      }),
    };
  };

  const coverage = (): Coverage[] =>
    [...silence.entries()]
      .sort(([a], [b]) => compare(a, b))
      .map(([site, { unknownMs, totalMs }]) => ({
        site,
        name: index.sites.get(site)?.name ?? 'Central server',
        unknownMinutes: unknownMs / MINUTE_MS,
        share: totalMs === 0 ? 0 : (unknownMs / totalMs) * 100,
      }));

  return { pass, outages, coverage };
}
