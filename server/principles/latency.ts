import { DAY_MS, HOUR_MS, hourOf } from '../../common/calendar.js';
import { accountCheck, type VantageTimeline } from '../../principles/accounting.js';
import { coreHourSpans } from '../../principles/hours.js';
import { clip, intersect, normalise, type Span, subtract } from '../../principles/intervals.js';
import {
  addWeighted,
  type HourHistogram,
  hourStretches,
  type LatencyTarget,
} from '../../principles/latency.js';
import type { Estate, Principle } from '../config/schema.js';
import { PHASES, phaseBuckets } from '../rollups/codec.js';
import type { MaintenanceStore } from '../store/maintenance.js';
import type { PhaseSlice, ResultsStore } from '../store/results.js';
import { coreHoursOf } from './core-hours.js';
import { addTo, BURN_WINDOWS, type Burn, type BurnWindow, type Horizon } from './figures.js';
import { type Groups, type Judged, rollUp } from './groups.js';
import {
  emptyLatencyTally,
  type LatencyTally,
  latencyFigureOf,
  latencyTargetOf,
  mergeLatency,
} from './latency-figure.js';
import type { Period } from './period.js';
import { indexOf, inScope, pairsOf } from './scope.js';
import { allWindows, maintenanceOf } from './windows.js';

/** Where latency is read from: the hourly rollups, and the ad hoc maintenance windows. */
export interface LatencySources {
  results: Pick<ResultsStore, 'hourlyPhases'>;
  maintenance: Pick<MaintenanceStore, 'overlapping'>;
}

/** The phase a latency principle judges: the run's total time, what a user waits for. */
const TOTAL = PHASES.indexOf('totalMs');

/**
 * A latency principle judged over a period from the hourly rollups' histograms of total time. Each
 * check's hours are read in one query; an hour at a vantage point is up when its own percentile is
 * within the target and down when over, and is then accounted as availability is (hours, maintenance,
 * unknown, attribution); the item's value is the percentile of its hours' histograms merged, each
 * weighted by the share of the hour counted. Undefined when the target is no time.
 */
export async function latencyCompliance(
  estate: Estate,
  sources: LatencySources,
  principle: Principle,
  period: Period,
): Promise<Groups | undefined> {
  const objective = latencyTargetOf(principle);
  if (!objective) return undefined;
  const tallies = await itemTallies(estate, sources, principle, period, objective);
  const recentMs = Math.min(DAY_MS, period.to - period.from);
  const horizon: Horizon = { remainingMs: period.rollingMs ?? period.end - period.to, recentMs };
  const judged: Judged<LatencyTally>[] = [...tallies.values()].map(({ site, system, tally }) => ({
    site,
    system,
    tally,
    figure: latencyFigureOf(tally, objective, horizon),
  }));
  return rollUp(estate, judged, (members) => latencyFigureOf(mergeLatency(members), objective, horizon));
}

interface ItemTally {
  site: string;
  system: string;
  tally: LatencyTally;
}

async function itemTallies(
  estate: Estate,
  { results, maintenance }: LatencySources,
  principle: Principle,
  period: Period,
  objective: LatencyTarget,
): Promise<Map<string, ItemTally>> {
  const { from, to } = period;
  const hours: Span[] =
    principle.hours === '24x7' ? [{ from, to }] : coreHourSpans(coreHoursOf(estate.settings), from, to);
  const recent = (Object.entries(BURN_WINDOWS) as [BurnWindow, number][]).map(
    ([window, ms]) => [window, intersect(hours, [{ from: Math.max(from, to - ms), to }])] as const,
  );
  const lastDayFrom = Math.max(from, to - DAY_MS);
  const windows = await allWindows(estate, maintenance, from, to);
  const tallies = new Map<string, ItemTally>();
  const mask = weekMaskOf(hours);
  const index = indexOf(estate);
  // The burn windows are the period's last days: only the stretches that reach into them are read again.
  const burnFrom = recent.reduce((earliest, [, spans]) => Math.min(earliest, spans[0]?.from ?? to), to);
  for (const check of estate.checks) {
    const pairs = pairsOf(estate, check, index);
    if (!pairs.some((pair) => inScope(principle.scope, pair))) continue;
    // The period's hours of every vantage point of the check, in one read of only the hours wanted.
    const slices = await results.hourlyPhases(check.id, hourOf(from), hourOf(to - 1) + 1, mask);
    const byVp = hourHistograms(slices, hours);
    const vantages: VantageTimeline[] = pairs.map((pair) => ({
      vantagePoint: pair.vantagePoint,
      host: pair.site?.host ?? null,
      stretches: hourStretches(byVp.get(pair.vantagePoint) ?? [], objective),
      maintenance: maintenanceOf(windows, { check: pair.check, system: pair.system, site: pair.site }),
    }));
    const owner = pairs[0]?.system?.owner ?? '';
    const accounts = accountCheck(owner, vantages, hours);
    const lately = vantages.map((v) => ({ ...v, stretches: v.stretches.filter((s) => s.to > burnFrom) }));
    const burns = recent.map(([window, spans]) => [window, accountCheck(owner, lately, spans)] as const);
    pairs.forEach((pair, i) => {
      if (!inScope(principle.scope, pair)) return;
      const key = `${pair.vantagePoint}|${check.system}`;
      let item = tallies.get(key);
      if (!item) {
        item = { site: pair.vantagePoint, system: check.system, tally: emptyLatencyTally() };
        tallies.set(key, item);
      }
      const account = accounts[i];
      const burn = Object.fromEntries(burns.map(([window, of]) => [window, of[i]?.ms.down ?? 0])) as Burn;
      if (account) addTo(item.tally, account.ms, burn, account.attribution);
      const counted = subtract(hours, normalise((vantages[i] as VantageTimeline).maintenance));
      const own = byVp.get(pair.vantagePoint) ?? [];
      addWeighted(item.tally.histogram, own, counted);
      addWeighted(item.tally.lastDay, own, clip(counted, lastDayFrom, to));
    });
  }
  return tallies;
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

/**
 * Hourly rollups as each vantage point's hours of total time, oldest first. Hours that no span of
 * `hours` touches are never decoded (two thirds of a year, for core hours); other phases are skipped.
 */
function hourHistograms(slices: readonly PhaseSlice[], hours: readonly Span[]): Map<string, HourHistogram[]> {
  const byVp = new Map<string, HourHistogram[]>();
  let j = 0;
  for (const { vantagePoint, bucket, phases } of slices) {
    const from = bucket * HOUR_MS;
    // Slices come oldest first (whatever their vantage point), so one cursor walks the hours.
    while (j < hours.length && (hours[j] as Span).to <= from) j++;
    const next = hours[j];
    if (!next || next.from >= from + HOUR_MS) continue;
    const buckets: number[] = [];
    const counts: number[] = [];
    phaseBuckets(phases, TOTAL, buckets, counts);
    if (buckets.length === 0) continue;
    const hour: HourHistogram = { from, buckets, counts };
    const list = byVp.get(vantagePoint);
    if (list) list.push(hour);
    else byVp.set(vantagePoint, [hour]);
  }
  return byVp;
}
