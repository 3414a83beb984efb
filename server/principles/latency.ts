import { DAY_MS, monthStartDay } from '../../common/calendar.js';
import { accountCheck, type VantageTimeline } from '../../principles/accounting.js';
import { coreHourSpans } from '../../principles/hours.js';
import { clip, intersect, lengthWithin, normalise, type Span, subtract } from '../../principles/intervals.js';
import { addWeighted, type LatencyTarget } from '../../principles/latency.js';
import type { Check, Estate, Principle } from '../config/schema.js';
import type { KeptRow } from '../store/latency-kept.js';
import type { MaintenanceStore } from '../store/maintenance.js';
import type { ResultsStore } from '../store/results.js';
import { coreHoursOf } from './core-hours.js';
import { addTo, BURN_WINDOWS, type BurnWindow, emptyBurn, type Horizon, itemKey } from './figures.js';
import { type Groups, type Judged, rollUp } from './groups.js';
import { weekMaskOf } from './hour-ranges.js';
import {
  emptyLatencyTally,
  type LatencyTally,
  latencyFigureOf,
  latencyTargetOf,
  mergeLatency,
} from './latency-figure.js';
import { type KeptObjective, keptObjectiveOf, type Unit, unitsOf } from './latency-kept.js';
import {
  type CheckPlan,
  type CheckRead,
  checkRead,
  chooseKept,
  type KeptChoice,
  planCheck,
  readHours,
} from './latency-read.js';
import type { Period } from './period.js';
import { indexOf, inScope, type Pair, pairsOf } from './scope.js';
import { allWindows, maintenanceOf, type Window } from './windows.js';

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
  return (await latencyCompliances(estate, sources, [principle], period)).get(principle.id);
}

/** How long the check loop works before it lets the event loop take a turn. */
const TURN_MS = 20;

/** Checks whose kept days are read together, a few statements for them all (some milliseconds' work). */
const CHECKS_A_READ = 250;

/**
 * Several latency principles judged over one period, by principle id (none for a target that is no
 * time): one loop over the checks, each check's kept rows chosen for each principle and its hours read
 * once for them all. Each principle's figures are those it has judged alone.
 */
export async function latencyCompliances(
  estate: Estate,
  sources: LatencySources,
  principles: readonly Principle[],
  period: Period,
): Promise<Map<string, Groups>> {
  let next = 0;
  return judgeLatency(
    estate,
    await latencyTallies(estate, sources, principles, period, () => next++),
    period,
  );
}

/**
 * The estate's checks by system, each system's in the estate's order, the systems in the order they
 * first appear. Every item (a site and a system) is made from one group's checks only, so groups can be
 * tallied anywhere, in any order, and give the same figures.
 */
export function checkGroups(estate: Estate): Check[][] {
  const bySystem = new Map<string, Check[]>();
  for (const check of estate.checks) {
    const group = bySystem.get(check.system);
    if (group) group.push(check);
    else bySystem.set(check.system, [check]);
  }
  return [...bySystem.values()];
}

/**
 * Hands out the index of a group of checks (checkGroups) to tally; past the last, there are none left.
 * A thread with other work to do first may keep its claim waiting.
 */
export type Claim = () => number | Promise<number>;

/** A latency principle's items tallied so far, by item key (`site|system`). */
export interface LatencyTallied {
  principle: Principle;
  tallies: Map<string, ItemTally>;
}

/**
 * Latency principles' items tallied over a period for the groups of checks claimed, one after another
 * until none is left: the figures' making but for their judging (judgeLatency). Two threads claiming
 * from one counter share the work; their tallies are of different items, and add up (addTallied).
 * With `handOver`, each group's items are handed over as soon as they are tallied, and are then not in
 * the answer: another thread sends them on while it tallies the next.
 */
export async function latencyTallies(
  estate: Estate,
  { results, maintenance }: LatencySources,
  principles: readonly Principle[],
  period: Period,
  claim: Claim,
  handOver?: (tallied: LatencyTallied[]) => void,
): Promise<LatencyTallied[]> {
  const { from, to } = period;
  const groups = checkGroups(estate);
  let group = await claim();
  const reads: PrincipleRead[] = [];
  // Nothing is read when every group was claimed before this thread came to it.
  const windows = group < groups.length ? await allWindows(estate, maintenance, from, to) : [];
  for (const principle of principles) {
    const objective = latencyTargetOf(principle);
    if (!objective) continue;
    reads.push(
      group < groups.length
        ? await principleRead(estate, results, principle, period, objective)
        : emptyRead(principle, objective),
    );
  }
  const index = indexOf(estate);
  let turnStarted = performance.now();
  // A period of every check takes seconds: probes and requests get a turn every few milliseconds.
  const takeTurn = async () => {
    if (performance.now() - turnStarted <= TURN_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    turnStarted = performance.now();
  };
  for (; group < groups.length; group = await claim()) {
    const checks = groups[group] ?? [];
    for (let start = 0; start < checks.length; start += CHECKS_A_READ) {
      const candidates: Omit<BatchCheck, 'choices'>[] = [];
      for (const check of checks.slice(start, start + CHECKS_A_READ)) {
        const pairs = pairsOf(estate, check, index);
        const mine = reads.filter((read) => pairs.some((pair) => inScope(read.principle.scope, pair)));
        if (mine.length > 0) candidates.push({ check, pairs, mine });
      }
      if (candidates.length === 0) continue;
      await takeTurn();
      const keptMonths = await keptMonthsOf(results, candidates);
      const batch: BatchCheck[] = candidates.map((c) => ({
        ...c,
        choices: c.mine.map((read) =>
          read.kept ? chooseKept(read.units, keptMonths.get(read)?.get(c.check.id)) : undefined,
        ),
      }));
      const keptDays = await keptDaysOf(results, batch);
      for (const { check, pairs, mine, choices } of batch) {
        await takeTurn();
        const maintained = maintainedOf(pairs, windows);
        const anyMaintained = normalise([...maintained.values()].flat());
        const plans = mine.map((read, i) =>
          planCheck(
            read.units,
            read.mask,
            choices[i],
            keptDays.get(read)?.get(check.id) ?? [],
            (keptSpans) => [
              ...(read.open ? [{ from: read.lastDayFrom, to }] : []),
              // Kept hours are counted whole: those under maintenance are read again to be taken away.
              ...intersect(intersect(read.hours, anyMaintained), keptSpans),
            ],
          ),
        );
        const hours = await readHours(results, check.id, plans);
        mine.forEach((read, i) => {
          const checkHours = checkRead(plans[i] as CheckPlan, hours[i] ?? new Map());
          tallyCheck(read, check, pairs, maintained, checkHours, to);
        });
      }
    }
    if (handOver && reads.some((read) => read.tallies.size > 0)) {
      handOver(reads.map(({ principle, tallies }) => ({ principle, tallies })));
      for (const read of reads) read.tallies = new Map();
    }
  }
  return reads.map(({ principle, tallies }) => ({ principle, tallies }));
}

/**
 * Another thread's tallies added to these (of the same principles): each item was tallied in one
 * thread only, so an item found in both is a mistake, not a sum.
 */
export function addTallied(into: readonly LatencyTallied[], other: readonly LatencyTallied[]): void {
  for (const mine of into) {
    const theirs = other.find((t) => t.principle.id === mine.principle.id);
    for (const [key, item] of theirs?.tallies ?? []) {
      if (mine.tallies.has(key)) throw new Error(`latency item ${key} was tallied twice`);
      mine.tallies.set(key, item);
    }
  }
}

/** Each principle's items judged and rolled up, by principle id. */
export function judgeLatency(
  estate: Estate,
  tallied: readonly LatencyTallied[],
  period: Period,
): Map<string, Groups> {
  const recentMs = Math.min(DAY_MS, period.to - period.from);
  const horizon: Horizon = { remainingMs: period.rollingMs ?? period.end - period.to, recentMs };
  return new Map(tallied.map((t) => [t.principle.id, judge(estate, t, horizon)]));
}

/** A check in the loop: its pairs, the principles it is in, and each one's choice of kept months. */
interface BatchCheck {
  check: Check;
  pairs: Pair[];
  mine: PrincipleRead[];
  choices: (KeptChoice | undefined)[];
}

/** A batch of checks' kept months over each principle's period, by principle and check id: a statement each. */
async function keptMonthsOf(
  results: LatencySources['results'],
  batch: readonly Omit<BatchCheck, 'choices'>[],
): Promise<Map<PrincipleRead, Map<string, KeptRow[]>>> {
  const out = new Map<PrincipleRead, Map<string, KeptRow[]>>();
  const store = results.latencyKept;
  if (!store) return out;
  const ids = new Map<PrincipleRead, string[]>();
  for (const { check, mine } of batch)
    for (const read of mine) {
      const list = ids.get(read);
      if (list) list.push(check.id);
      else ids.set(read, [check.id]);
    }
  for (const [read, checkIds] of ids)
    if (read.kept && read.months)
      out.set(read, await store.months(read.kept.key, checkIds, read.months[0], read.months[1]));
  return out;
}

/**
 * A batch of checks' kept days, by principle and check id. Checks wanting the same ranges of days (most
 * of them: a period's ends are the same for all) are read together, a statement for each range.
 */
async function keptDaysOf(
  results: LatencySources['results'],
  batch: readonly BatchCheck[],
): Promise<Map<PrincipleRead, Map<string, KeptRow[]>>> {
  const out = new Map<PrincipleRead, Map<string, KeptRow[]>>();
  const store = results.latencyKept;
  if (!store) return out;
  const alike = new Map<PrincipleRead, Map<string, { days: [number, number][]; ids: string[] }>>();
  for (const { check, mine, choices } of batch)
    mine.forEach((read, i) => {
      const days = choices[i]?.days ?? [];
      if (days.length === 0) return;
      const byDays = alike.get(read) ?? new Map<string, { days: [number, number][]; ids: string[] }>();
      alike.set(read, byDays);
      const key = days.join(';');
      const group = byDays.get(key) ?? { days, ids: [] };
      byDays.set(key, group);
      group.ids.push(check.id);
    });
  for (const [read, byDays] of alike) {
    const objective = read.kept?.key;
    if (objective === undefined) continue;
    const byCheck = new Map<string, KeptRow[]>();
    out.set(read, byCheck);
    for (const { days, ids } of byDays.values())
      for (const [firstDay, endDay] of days)
        for (const [id, rows] of await store.days(objective, ids, firstDay, endDay)) {
          const list = byCheck.get(id);
          if (list) list.push(...rows);
          else byCheck.set(id, rows);
        }
  }
  return out;
}

export interface ItemTally {
  site: string;
  system: string;
  tally: LatencyTally;
}

/** One principle's part of the loop: what it reads over the period, and its items' tallies so far. */
interface PrincipleRead {
  principle: Principle;
  objective: LatencyTarget;
  /** The principle's hours in the period. */
  hours: Span[];
  /** Where each burn window (the period's last hour, 6 hours, day and 3 days) begins. */
  recent: (readonly [BurnWindow, number])[];
  /** The last day's percentile only matters while the period still runs (the at-risk rule). */
  open: boolean;
  lastDayFrom: number;
  mask: string | undefined;
  kept: KeptObjective | undefined;
  units: { units: Unit[]; rest: Span[] };
  /** The days [first, end) of the kept months the period can use, when it can use any. */
  months: [number, number] | undefined;
  tallies: Map<string, ItemTally>;
}

async function principleRead(
  estate: Estate,
  results: LatencySources['results'],
  principle: Principle,
  period: Period,
  objective: LatencyTarget,
): Promise<PrincipleRead> {
  const { from, to } = period;
  const hours: Span[] =
    principle.hours === '24x7' ? [{ from, to }] : coreHourSpans(coreHoursOf(estate.settings), from, to);
  const recent = (Object.entries(BURN_WINDOWS) as [BurnWindow, number][]).map(
    ([window, ms]) => [window, Math.max(from, to - ms)] as const,
  );
  const kept = results.latencyKept ? keptObjectiveOf(estate, principle) : undefined;
  const units = kept ? unitsOf(from, to, to) : { units: [], rest: [{ from, to }] };
  // The kept months' days [first, end), read a batch of checks at a time in the loop.
  const firstUnit = units.units[0];
  const lastUnit = units.units[units.units.length - 1];
  const months: [number, number] | undefined =
    kept && firstUnit && lastUnit ? [monthStartDay(firstUnit.day), lastUnit.day + 1] : undefined;
  return {
    principle,
    objective,
    hours,
    recent,
    open: period.end > period.to || period.rollingMs !== undefined,
    lastDayFrom: Math.max(from, to - DAY_MS),
    mask: weekMaskOf(hours),
    kept,
    units,
    months,
    tallies: new Map(),
  };
}

/** A principle's part when this thread has no checks to tally: no reading, no items. */
function emptyRead(principle: Principle, objective: LatencyTarget): PrincipleRead {
  return {
    principle,
    objective,
    hours: [],
    recent: [],
    open: false,
    lastDayFrom: 0,
    mask: undefined,
    kept: undefined,
    units: { units: [], rest: [] },
    months: undefined,
    tallies: new Map(),
  };
}

/** Each vantage point's maintenance over the period. */
function maintainedOf(pairs: readonly Pair[], windows: readonly Window[]): Map<string, Span[]> {
  return new Map(
    pairs.map((pair) => [
      pair.vantagePoint,
      maintenanceOf(windows, { check: pair.check, system: pair.system, site: pair.site }),
    ]),
  );
}

/** A check's hours accounted at each of its vantage points, added to the principle's items. */
function tallyCheck(
  { principle, objective, hours, recent, open, lastDayFrom, tallies }: PrincipleRead,
  check: Check,
  pairs: readonly Pair[],
  maintained: Map<string, Span[]>,
  read: CheckRead,
  to: number,
): void {
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
  pairs.forEach((pair, i) => {
    if (!inScope(principle.scope, pair)) return;
    const key = itemKey(pair.vantagePoint, check.system);
    let item = tallies.get(key);
    if (!item) {
      item = { site: pair.vantagePoint, system: check.system, tally: emptyLatencyTally(open) };
      tallies.set(key, item);
    }
    const account = accounts[i];
    if (account) {
      // The down time within the hours, outside maintenance, in each burn window: whole milliseconds.
      const burn = emptyBurn();
      for (const [window, start] of recent) burn[window] = lengthWithin(account.down, start, to);
      addTo(item.tally, account.ms, burn, account.attribution);
    }
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

/** A principle's items judged and rolled up. */
function judge(estate: Estate, { principle, tallies }: LatencyTallied, horizon: Horizon): Groups {
  // Tallied only with one: a principle whose target is no time has no tallies.
  const objective = latencyTargetOf(principle) as LatencyTarget;
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
