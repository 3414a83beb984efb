import { HOUR_MS, monthStartDay, nextMonthDay } from '../../common/calendar.js';
import { intersect, normalise, type Span, type Spans, subtract } from '../../principles/intervals.js';
import {
  addWeighted,
  type HourHistogram,
  hourStretches,
  type LatencyTarget,
} from '../../principles/latency.js';
import type { Stretch } from '../../principles/timeline.js';
import type { KeptRow } from '../store/latency-kept.js';
import type { PhaseSlice, ResultsStore } from '../store/results.js';
import { hourRanges, joinRanges, touches, unionMask, wants } from './hour-ranges.js';
import {
  addSparse,
  dayStart,
  daysOf,
  hourOfSlice,
  joinStretches,
  readBody,
  type Unit,
} from './latency-kept.js';

type Results = Pick<ResultsStore, 'hourlyPhases'>;

/**
 * What one check's period reads for one latency principle, once its kept rows are chosen: the rows
 * used, the spans read from the hours instead, and the ranges of hours to read (in the week mask).
 */
export interface CheckPlan {
  used: Use[];
  direct: Spans;
  keptSpans: Spans;
  ranges: [number, number][];
  mask: string | undefined;
}

/** What one check's period reads: kept days and months where there are some, hourly rollups for the rest. */
export interface CheckRead {
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

/**
 * The kept rows a check's period can use for a principle, as far as its kept months tell: the months, the
 * partial months at the period's ends, and the ranges of days [first, end) to read (ascending, joined).
 */
export interface KeptChoice {
  monthRows: Map<number, KeptRow>;
  partials: PartialMonth[];
  /** The partial months read as their kept month less the days outside. */
  byLess: PartialMonth[];
  days: [number, number][];
}

/** Chooses a check's kept months for a principle's period, and the days to read with them. */
export function chooseKept(
  plan: { units: Unit[]; rest: Span[] },
  keptMonths: readonly KeptRow[] | undefined,
): KeptChoice {
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
  return { monthRows, partials, byLess, days: dayRuns(wanted) };
}

/**
 * A check's kept rows for a principle's period, chosen (none without a choice: no kept objective), and
 * the hours to read besides; `keptDays` are the check's kept days read for the choice's ranges.
 */
export function planCheck(
  plan: { units: Unit[]; rest: Span[] },
  mask: string | undefined,
  choice: KeptChoice | undefined,
  keptDays: readonly KeptRow[],
  alsoRead: (keptSpans: Spans) => Span[],
): CheckPlan {
  const used: Use[] = [];
  const missing: Span[] = [...plan.rest];
  const first = plan.units[0];
  const last = plan.units[plan.units.length - 1];
  if (choice && first && last) {
    const { monthRows, partials, byLess } = choice;
    const dayRows = new Map<number, KeptRow>();
    for (const row of keptDays) dayRows.set(row.day, row);
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
  return { used, direct, keptSpans, ranges: hourRanges([...direct, ...alsoRead(keptSpans)]), mask };
}

/**
 * The hours each plan reads of a check, by vantage point. Several plans (a check's latency principles)
 * read their ranges together, once, and each keeps the hours in its own ranges and week mask: the rows
 * and their order are those each would have read alone.
 */
export async function readHours(
  results: Results,
  checkId: string,
  plans: readonly CheckPlan[],
): Promise<Map<string, HourHistogram[]>[]> {
  const [only] = plans;
  if (only && plans.length === 1) {
    const byVp = new Map<string, HourHistogram[]>();
    for (const [fromHour, toHour] of only.ranges)
      addHours(byVp, await results.hourlyPhases(checkId, fromHour, toHour, only.mask));
    return [byVp];
  }
  const ranges = joinRanges(plans.flatMap((plan) => plan.ranges));
  const mask = unionMask(plans.map((plan) => plan.mask));
  const slices: PhaseSlice[] = [];
  for (const [fromHour, toHour] of ranges)
    for (const slice of await results.hourlyPhases(checkId, fromHour, toHour, mask)) slices.push(slice);
  const decoded = slices.map(hourOfSlice);
  return plans.map((plan) => {
    const byVp = new Map<string, HourHistogram[]>();
    slices.forEach((slice, i) => {
      const hour = decoded[i];
      if (hour && wants(plan, slice.bucket)) add(byVp, slice.vantagePoint, hour);
    });
    return byVp;
  });
}

/** A check's period for one principle, from its plan and the hours read for it. */
export function checkRead(plan: CheckPlan, byVp: Map<string, HourHistogram[]>): CheckRead {
  const { used, direct, keptSpans } = plan;
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

/** Adds slices' hours (those with timed runs) to their vantage points' lists. */
function addHours(byVp: Map<string, HourHistogram[]>, slices: readonly PhaseSlice[]): void {
  for (const slice of slices) {
    const hour = hourOfSlice(slice);
    if (hour) add(byVp, slice.vantagePoint, hour);
  }
}

function add(byVp: Map<string, HourHistogram[]>, vantagePoint: string, hour: HourHistogram): void {
  const list = byVp.get(vantagePoint);
  if (list) list.push(hour);
  else byVp.set(vantagePoint, [hour]);
}

/** A kept row as used: added, or taken away (a month's day outside the period), and the part used. */
interface Use {
  row: KeptRow;
  sign: 1 | -1;
  within?: Span;
}

/** A month of which a period has some days (a run of consecutive days), with all its days. */
interface MonthPart {
  monthDay: number;
  days: Unit[];
  from: number;
  to: number;
  all: readonly Unit[];
}

/** A month partly in a period, with its kept row if any and its days outside the period. */
type PartialMonth = MonthPart & { month: KeptRow | undefined; outside: Unit[] };

/** The plan's day units by the month they fall in. */
function partialMonths(units: readonly Unit[]): MonthPart[] {
  const out: MonthPart[] = [];
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
