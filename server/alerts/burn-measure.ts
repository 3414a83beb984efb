import { DEFAULT_INTERVAL } from '../../common/check-defaults.js';
import { durationMs } from '../../common/duration.js';
import { accountCheck } from '../../principles/accounting.js';
import { clip, intersect, lengthWithin, normalise, subtract } from '../../principles/intervals.js';
import type { Stretch } from '../../principles/timeline.js';
import type { Check, Estate, Principle } from '../config/schema.js';
import { hoursOf, vantageOf } from '../principles/compliance.js';
import { indexOf, inScope, pairsOf } from '../principles/scope.js';
import { checkPass, readTimelines, type TimelinePass } from '../principles/timeline-pass.js';
import { allWindows } from '../principles/windows.js';
import type { MaintenanceStore } from '../store/maintenance.js';
import type { ResultsStore } from '../store/results.js';

/** Whose burnt time, and the system or site most of it was at. */
export interface Burnt {
  organisation: string | null;
  role: 'owner' | 'host';
  ms: number;
  /** `system:ID` or `site:ID` → ms. */
  at: Map<string, number>;
}

/** A principle's time over the window from `from` to now, as the principles' accounting counts it. */
export interface WindowTally {
  /** Up and down time within the principle's hours, outside maintenance (unknown time counts for nothing). */
  countedMs: number;
  downMs: number;
  /** Failed runs at least: a down stretch of a check run every I is ⌈length / I⌉ runs or more. */
  badRuns: number;
  /** By `organisation|role`. */
  whose: Map<string, Burnt>;
}

export interface BurnSources {
  results: Pick<ResultsStore, 'timelines'>;
  maintenance: Pick<MaintenanceStore, 'overlapping'>;
}

/**
 * Reads the state timeline once over the longest window asked and tallies each principle's time over each
 * of its windows (ending now), by the principles' accounting: the same hours, maintenance, scope and
 * attribution the principle's own figure uses, so an alert never disagrees with the figure it warns of.
 * A check with no down time in the longest window adds its up time only; the accounting proper (whose
 * each down moment is) runs only for checks that had some.
 */
export async function measureBurn(
  estate: Estate,
  sources: BurnSources,
  asked: ReadonlyMap<Principle, readonly number[]>,
  now: number,
): Promise<Map<Principle, Map<number, WindowTally>>> {
  const answer = new Map<Principle, Map<number, WindowTally>>();
  let earliest = now;
  for (const starts of asked.values()) for (const start of starts) earliest = Math.min(earliest, start);
  const windows = await allWindows(estate, sources.maintenance, earliest, now);
  const index = indexOf(estate);
  const plans = [...asked].map(([principle, starts]) => {
    const from = Math.min(...starts);
    const tallies = new Map(starts.map((s) => [s, emptyWindow()]));
    answer.set(principle, tallies);
    return {
      principle,
      from,
      starts: [...new Set(starts)],
      hours: hoursOf(principle, estate, from, now),
      tallies,
    };
  });
  const account = (check: Check, timeline: Map<string, Stretch[]>) => {
    const pairs = pairsOf(estate, check, index);
    const owner = pairs[0]?.system?.owner ?? '';
    const intervalMs = check.cron === undefined ? durationMs(check.every ?? DEFAULT_INTERVAL) : undefined;
    const vantages = pairs.map((pair) => vantageOf(pair, timeline, windows));
    for (const plan of plans) {
      const taken = pairs.map((pair) => inScope(plan.principle.scope, pair));
      if (!taken.some(Boolean)) continue;
      const down = vantages.some((v) => v.stretches.some((s) => s.state === 'down' && s.to > plan.from));
      if (!down) {
        vantages.forEach((v, i) => {
          if (!taken[i]) return;
          const up = normalise(v.stretches.filter((s) => s.state === 'up'));
          let counted = intersect(plan.hours, up);
          if (v.maintenance.length > 0) counted = subtract(counted, normalise(v.maintenance));
          for (const start of plan.starts)
            (plan.tallies.get(start) as WindowTally).countedMs += lengthWithin(counted, start, now);
        });
        continue;
      }
      for (const start of plan.starts) {
        const tally = plan.tallies.get(start) as WindowTally;
        const accounts = accountCheck(owner, vantages, clip(plan.hours, start, now));
        accounts.forEach((a, i) => {
          if (!taken[i]) return;
          tally.countedMs += a.ms.up + a.ms.down;
          tally.downMs += a.ms.down;
          for (const span of a.down)
            tally.badRuns += intervalMs ? Math.ceil((span.to - span.from) / intervalMs) : 1;
          for (const share of a.attribution) {
            const key = `${share.organisation}|${share.role}`;
            let burnt = tally.whose.get(key);
            if (!burnt) {
              burnt = { organisation: share.organisation, role: share.role, ms: 0, at: new Map() };
              tally.whose.set(key, burnt);
            }
            burnt.ms += share.ms;
            const where = share.role === 'owner' ? `system:${check.system}` : `site:${a.vantagePoint}`;
            burnt.at.set(where, (burnt.at.get(where) ?? 0) + share.ms);
          }
        });
      }
    }
  };
  const pass: TimelinePass = checkPass(estate.checks, account);
  await readTimelines(sources.results, earliest, now, [pass]);
  return answer;
}

const emptyWindow = (): WindowTally => ({ countedMs: 0, downMs: 0, badRuns: 0, whose: new Map() });
