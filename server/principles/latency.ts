import { DAY_MS, HOUR_MS, hourOf, monthStartDay, nextMonthDay } from '../../common/calendar.js';
import { accountCheck, type VantageTimeline } from '../../principles/accounting.js';
import { coreHourSpans } from '../../principles/hours.js';
import { clip, intersect, normalise, type Span, type Spans, subtract } from '../../principles/intervals.js';
import {
  addWeighted,
  type HourHistogram,
  hourStretches,
  type LatencyTarget,
} from '../../principles/latency.js';
import type { Stretch } from '../../principles/timeline.js';
import type { Estate, Principle } from '../config/schema.js';
import type { KeptRow } from '../store/latency-kept.js';
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
import {
  addSparse,
  dayStart,
  daysOf,
  hoursByVantage,
  joinStretches,
  keptObjectiveOf,
  readBody,
  type Unit,
  unitsOf,
} from './latency-kept.js';
import type { Period } from './period.js';
import { indexOf, inScope, pairsOf } from './scope.js';
import { allWindows, maintenanceOf } from './windows.js';

/** Where latency is read from: the hourly rollups, and the ad hoc maintenance windows. */
export interface LatencySources {
  results: Pick<ResultsStore, 'hourlyPhases'> & Partial<Pick<ResultsStore, 'latencyKept'>>;
  maintenance: Pick<MaintenanceStore, 'overlapping'>;
}

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
  return rollUp(estate, judged, {
    merge: mergeLatency,
    judge: (tally) => latencyFigureOf(tally, objective, horizon),
  });
}

/** How long the check loop works before it lets the event loop take a turn. */
const TURN_MS = 20;

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
  // The last day's percentile only matters while the period still runs (the at-risk rule).
  const open = period.end > period.to || period.rollingMs !== undefined;
  const lastDayFrom = Math.max(from, to - DAY_MS);
  const windows = await allWindows(estate, maintenance, from, to);
  const tallies = new Map<string, ItemTally>();
  const mask = weekMaskOf(hours);
  const index = indexOf(estate);
  // The burn windows are the period's last days: only the stretches that reach into them are read again.
  const burnFrom = recent.reduce((earliest, [, spans]) => Math.min(earliest, spans[0]?.from ?? to), to);
  const kept = results.latencyKept ? keptObjectiveOf(estate, principle) : undefined;
  const plan = kept ? unitsOf(from, to, to) : { units: [], rest: [{ from, to }] };
  // Every check's kept months in one pass; days, needed only at a period's ends, check by check.
  const firstUnit = plan.units[0];
  const lastUnit = plan.units[plan.units.length - 1];
  const keptMonths =
    kept && results.latencyKept && firstUnit && lastUnit
      ? await results.latencyKept.months(kept.key, monthStartDay(firstUnit.day), lastUnit.day + 1)
      : undefined;
  let turnStarted = performance.now();
  for (const check of estate.checks) {
    const pairs = pairsOf(estate, check, index);
    if (!pairs.some((pair) => inScope(principle.scope, pair))) continue;
    // A period of every check takes seconds: probes and requests get a turn every few milliseconds.
    if (performance.now() - turnStarted > TURN_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      turnStarted = performance.now();
    }
    const maintained = new Map(
      pairs.map((pair) => [
        pair.vantagePoint,
        maintenanceOf(windows, { check: pair.check, system: pair.system, site: pair.site }),
      ]),
    );
    const read = await readCheck(
      results,
      kept?.key,
      plan,
      check.id,
      mask,
      keptMonths?.get(check.id),
      (keptSpans) => [
        ...(open ? [{ from: lastDayFrom, to }] : []),
        // Kept hours are counted whole: those under maintenance are read again to be taken away.
        ...intersect(intersect(hours, normalise([...maintained.values()].flat())), keptSpans),
      ],
    );
    // Most vantage points have no maintenance in a period: their counted hours are the principle's.
    const counted = (vantagePoint: string) => {
      const spans = maintained.get(vantagePoint) ?? [];
      return spans.length === 0 ? hours : subtract(hours, spans);
    };
    const vantages: VantageTimeline[] = pairs.map((pair) => ({
      vantagePoint: pair.vantagePoint,
      host: pair.site?.host ?? null,
      stretches: read.stretches(pair.vantagePoint, objective),
      maintenance: maintained.get(pair.vantagePoint) ?? [],
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
        item = { site: pair.vantagePoint, system: check.system, tally: emptyLatencyTally(open) };
        tallies.set(key, item);
      }
      const account = accounts[i];
      const burn = Object.fromEntries(burns.map(([window, of]) => [window, of[i]?.ms.down ?? 0])) as Burn;
      if (account) addTo(item.tally, account.ms, burn, account.attribution);
      const mine = counted(pair.vantagePoint);
      const inMaintenance = maintained.get(pair.vantagePoint) ?? [];
      read.addHistogram(
        item.tally.histogram,
        pair.vantagePoint,
        mine,
        inMaintenance.length === 0 ? inMaintenance : intersect(hours, inMaintenance),
      );
      if (item.tally.lastDay)
        addWeighted(item.tally.lastDay, read.hours(pair.vantagePoint), clip(mine, lastDayFrom, to));
    });
  }
  return tallies;
}

/** What one check's period reads: kept days and months where there are some, hourly rollups for the rest. */
interface CheckRead {
  /** A vantage point's hours judged against the objective, oldest first. */
  stretches(vantagePoint: string, objective: LatencyTarget): Stretch[];
  /** The hours read from the rollups (the period's rest, the last day, maintenance in kept days). */
  hours(vantagePoint: string): HourHistogram[];
  /**
   * Adds a vantage point's total times over its counted hours (the principle's hours less maintenance,
   * `maintained` being the maintenance within the principle's hours).
   */
  addHistogram(into: Float64Array, vantagePoint: string, counted: Spans, maintained: Spans): void;
}

async function readCheck(
  results: LatencySources['results'],
  objective: string | undefined,
  plan: { units: Unit[]; rest: Span[] },
  checkId: string,
  mask: string | undefined,
  keptMonths: readonly KeptRow[] | undefined,
  alsoRead: (keptSpans: Spans) => Span[],
): Promise<CheckRead> {
  const used: Use[] = [];
  const missing: Span[] = [...plan.rest];
  const first = plan.units[0];
  const last = plan.units[plan.units.length - 1];
  const store = results.latencyKept;
  if (objective && store && first && last) {
    const monthRows = new Map((keptMonths ?? []).map((row) => [row.day, row]));
    // A month's days at a period's end are its kept month less the days outside, when that is fewer rows.
    const partials = partialMonths(plan.units).map((partial) => ({
      ...partial,
      month: monthRows.get(partial.monthDay),
      outside: partial.all.filter((day) => day.to <= partial.from || day.from >= partial.to),
    }));
    const byLess = partials.filter((p) => p.month && p.outside.length < p.days.length);
    // The days wanted as ranges [first, end): a month not kept whole is asked for as all its days at once.
    const unkeptMonths = plan.units.filter((unit) => unit.unit === 'month' && !monthRows.has(unit.day));
    const wanted: [number, number][] = [
      ...unkeptMonths.map((unit): [number, number] => [unit.day, nextMonthDay(unit.day)]),
      ...partials
        .flatMap((p) => (byLess.includes(p) ? p.outside : p.days))
        .map((unit): [number, number] => [unit.day, unit.day + 1]),
    ].sort((a, b) => a[0] - b[0]);
    const dayRows = new Map<number, KeptRow>();
    for (const [firstDay, endDay] of dayRuns(wanted))
      for (const row of await store.read(objective, checkId, 'day', firstDay, endDay))
        dayRows.set(row.day, row);
    const useDays = (days: readonly Unit[]) => {
      for (const day of days) {
        const row = dayRows.get(day.day);
        if (row) {
          used.push({ row, sign: 1 });
          continue;
        }
        // Days not kept (often a whole month before the history began) are read from the hours as one span.
        const last = missing[missing.length - 1];
        if (last && last.to === day.from) missing[missing.length - 1] = { from: last.from, to: day.to };
        else missing.push({ from: day.from, to: day.to });
      }
    };
    for (const unit of plan.units.filter((u) => u.unit === 'month')) {
      const month = monthRows.get(unit.day);
      if (month) used.push({ row: month, sign: 1 });
      else if (hasDayIn(dayRows, unit.day, nextMonthDay(unit.day))) useDays(daysOf(unit));
      // A month with no day kept (before the history began, or not kept yet) is read from the hours.
      else missing.push({ from: unit.from, to: unit.to });
    }
    for (const partial of partials) {
      const outside = partial.outside.map((day) => dayRows.get(day.day));
      if (partial.month && byLess.includes(partial) && outside.every((row) => row !== undefined)) {
        used.push({ row: partial.month, sign: 1, within: { from: partial.from, to: partial.to } });
        for (const row of outside) used.push({ row, sign: -1 });
      } else useDays(partial.days);
    }
  }
  const direct = normalise(missing);
  const keptSpans = subtract(
    plan.units.length > 0 ? [{ from: (first as Unit).from, to: (last as Unit).to }] : [],
    direct,
  );
  const slices: PhaseSlice[] = [];
  for (const [fromHour, toHour] of hourRanges([...direct, ...alsoRead(keptSpans)]))
    slices.push(...(await results.hourlyPhases(checkId, fromHour, toHour, mask)));
  const byVp = hoursByVantage(slices);
  const kept = new Map<string, { stretches: Stretch[]; histogram: [number[], 1 | -1][] }>();
  for (const { row, sign, within } of used)
    for (const [vp, summary] of readBody(row)) {
      const mine = kept.get(vp) ?? { stretches: [], histogram: [] };
      kept.set(vp, mine);
      // A day taken away gives its time back; its stretches are outside the month's part used.
      if (sign === 1)
        mine.stretches.push(...(within ? clipStretches(summary.stretches, within) : summary.stretches));
      mine.histogram.push([summary.histogram, sign]);
    }
  const own = (vantagePoint: string) => byVp.get(vantagePoint) ?? [];
  return {
    hours: own,
    stretches(vantagePoint, target) {
      const inDirect = own(vantagePoint).filter((hour) => touches(direct, hour.from, hour.from + HOUR_MS));
      const all = [...(kept.get(vantagePoint)?.stretches ?? []), ...hourStretches(inDirect, target)];
      all.sort((a, b) => a.from - b.from);
      const joined: Stretch[] = [];
      joinStretches(joined, all);
      return joined;
    },
    addHistogram(into, vantagePoint, counted, maintained) {
      for (const [flat, sign] of kept.get(vantagePoint)?.histogram ?? []) addSparse(into, flat, sign);
      if (direct.length > 0) addWeighted(into, own(vantagePoint), intersect(counted, direct));
      if (maintained.length > 0 && keptSpans.length > 0)
        addWeighted(into, own(vantagePoint), intersect(maintained, keptSpans), -1);
    },
  };
}

/** A kept row as used: added, or taken away (a month's day outside the period), and the part used. */
interface Use {
  row: KeptRow;
  sign: 1 | -1;
  within?: Span;
}

/** The plan's day units by the month they fall in (each a run of consecutive days), with all its days. */
function partialMonths(units: readonly Unit[]) {
  const out: { monthDay: number; days: Unit[]; from: number; to: number; all: readonly Unit[] }[] = [];
  for (const unit of units) {
    if (unit.unit !== 'day') continue;
    const monthDay = monthStartDay(unit.day);
    const last = out[out.length - 1];
    if (last && last.monthDay === monthDay) {
      last.days.push(unit);
      last.to = unit.to;
    } else {
      const month: Unit = {
        unit: 'month',
        day: monthDay,
        from: dayStart(monthDay),
        to: dayStart(nextMonthDay(monthDay)),
      };
      out.push({ monthDay, days: [unit], from: unit.from, to: unit.to, all: daysOf(month) });
    }
  }
  return out;
}

/** Stretches cut to a span. */
function clipStretches(stretches: readonly Stretch[], within: Span): Stretch[] {
  const out: Stretch[] = [];
  for (const s of stretches) {
    const from = Math.max(s.from, within.from);
    const to = Math.min(s.to, within.to);
    if (to > from) out.push({ from, to, state: s.state });
  }
  return out;
}

/** Ranges of days [first, end) (ascending) joined where they meet. */
function dayRuns(ranges: readonly [number, number][]): [number, number][] {
  const runs: [number, number][] = [];
  for (const [first, end] of ranges) {
    const last = runs[runs.length - 1];
    if (last && last[1] === first) last[1] = end;
    else runs.push([first, end]);
  }
  return runs;
}

/** Whether any of the rows read is of a day in [first, end). */
function hasDayIn(rows: ReadonlyMap<number, KeptRow>, first: number, end: number): boolean {
  for (const day of rows.keys()) if (day >= first && day < end) return true;
  return false;
}

/** Spans as ranges of whole hours [from, to), joined where they meet or share an hour, oldest first. */
function hourRanges(spans: readonly Span[]): [number, number][] {
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

/** Whether any of the sorted spans overlaps [from, to). */
function touches(spans: Spans, from: number, to: number): boolean {
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
