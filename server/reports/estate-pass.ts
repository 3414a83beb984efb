import { accountCheck } from '../../principles/accounting.js';
import { clip, subtract } from '../../principles/intervals.js';
import { type Stretch, spansIn } from '../../principles/timeline.js';
import type { Check, Estate } from '../config/schema.js';
import { vantageOf } from '../principles/compliance.js';
import { indexOf, pairsOf } from '../principles/scope.js';
import type { TimelinePass } from '../principles/timeline-pass.js';
import type { Window } from '../principles/windows.js';
import type { ReportContent } from './types.js';

/** Outages kept in a report, longest first: the rest are counted, not listed. */
export const MAX_OUTAGES = 500;

const MINUTE_MS = 60_000;

type Outage = ReportContent['outages'][number];
type Coverage = ReportContent['coverage'][number];

/** A vantage point's silent time against all the time its checks were to run in the period. */
interface Silence {
  unknownMs: number;
  totalMs: number;
}

/**
 * The whole estate's outages and each vantage point's unknown time over a period, fed by the same pass
 * over the timeline as the principles' figures: an outage is a down stretch less maintenance, whose
 * minutes are the organisation's the accounting attributes most of them to.
 */
export function estatePass(
  estate: Estate,
  windows: readonly Window[],
  from: number,
  to: number,
): { pass: TimelinePass; outages: () => { listed: Outage[]; total: number }; coverage: () => Coverage[] } {
  const index = indexOf(estate);
  const outages: Outage[] = [];
  const silence = new Map<string, Silence>();
  const whole = [{ from, to }];
  const account = (check: Check, timeline: Map<string, Stretch[]>) => {
    const pairs = pairsOf(estate, check, index);
    const vantages = pairs.map((pair) => vantageOf(pair, timeline, windows));
    const owner = pairs[0]?.system?.owner ?? '';
    const accounts = accountCheck(owner, vantages, whole);
    vantages.forEach((vantage, i) => {
      const ms = accounts[i]?.ms;
      if (!ms) return;
      const seen = silence.get(vantage.vantagePoint) ?? { unknownMs: 0, totalMs: 0 };
      seen.unknownMs += ms.unknown;
      seen.totalMs += ms.up + ms.down + ms.maintenance + ms.unknown;
      silence.set(vantage.vantagePoint, seen);
      const down = subtract(clip(spansIn(vantage.stretches, 'down'), from, to), vantage.maintenance);
      for (const span of down) {
        const attribution = accountCheck(owner, vantages, [span])[i]?.attribution ?? [];
        const most = [...attribution].sort((a, b) => b.ms - a.ms)[0];
        outages.push({
          check: check.id,
          system: check.system,
          site: vantage.vantagePoint,
          from: new Date(span.from).toISOString(),
          to: new Date(span.to).toISOString(),
          minutes: (span.to - span.from) / MINUTE_MS,
          organisation: most?.organisation ?? null,
          role: most?.role ?? 'owner',
        });
      }
    });
  };
  const checks = new Map(estate.checks.map((check) => [check.id, check]));
  const silent = new Set(checks.keys());
  const pass: TimelinePass = {
    visit(checkId, timeline) {
      const check = checks.get(checkId);
      if (!check) return;
      silent.delete(checkId);
      account(check, timeline);
    },
    finish() {
      for (const checkId of silent) account(checks.get(checkId) as Check, new Map());
    },
  };
  const byLongest = (a: Outage, b: Outage) =>
    b.minutes - a.minutes || compare(a.from, b.from) || compare(a.check, b.check) || compare(a.site, b.site);
  return {
    pass,
    outages: () => ({ listed: outages.sort(byLongest).slice(0, MAX_OUTAGES), total: outages.length }),
    coverage: () =>
      [...silence.entries()]
        .sort(([a], [b]) => compare(a, b))
        .map(([site, { unknownMs, totalMs }]) => ({
          site,
          name: index.sites.get(site)?.name ?? 'Central server',
          unknownMinutes: unknownMs / MINUTE_MS,
          share: totalMs === 0 ? 0 : (unknownMs / totalMs) * 100,
        })),
  };
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
