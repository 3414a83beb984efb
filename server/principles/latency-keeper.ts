import { DAY_MS, HOUR_MS, hourOf, londonDayOf, monthStartDay, nextMonthDay } from '../../common/calendar.js';
import type { Estate } from '../config/schema.js';
import { HOURLY_RETENTION_MS } from '../results/retention.js';
import type { KeptRow } from '../store/latency-kept.js';
import type { PhaseSlice, ResultsStore } from '../store/results.js';
import { dayRow, dayStart, type KeptObjective, keptObjectiveOf, monthRow } from './latency-kept.js';
import { indexOf, inScope, pairsOf } from './scope.js';

/** Day rows are kept a month longer than the hourly rollups, for a rolling period's first month; months for ever. */
const DAY_ROWS_KEPT_DAYS = HOURLY_RETENTION_MS / DAY_MS + 31;

export interface KeepReport {
  /** Rows built (days and months). */
  built: number;
  /** Rows of objectives no principle has any more, deleted. */
  dropped: number;
}

/**
 * Builds the latency principles' kept rows that are missing: every closed London day since a check's
 * first hourly rollup (within the rollups' retention) and every closed month whose days are all kept.
 * One month of one check at a time, yielding between them, so probing and requests keep time. Rows of
 * objectives no principle has any more are deleted. Reading falls back to the hourly rollups for
 * whatever is not kept yet, so this changes how fast figures are read, never what they are.
 */
export async function keepLatency(
  estate: Estate,
  results: Pick<ResultsStore, 'latencyKept'>,
  now: number,
  options: {
    signal?: AbortSignal;
    /**
     * Called after each month of a check is built, with how long it took: a running server rests a few
     * times as long, so a new server's first keeping (a whole history) never takes a core from probing.
     * Without it, each build only yields to the event loop.
     */
    rest?: (busyMs: number) => Promise<void>;
  } = {},
): Promise<KeepReport> {
  const store = results.latencyKept;
  const objectives = objectivesOf(estate);
  const dropped = await store.dropOthers([...objectives.keys()]);
  const today = londonDayOf(now);
  const oldest = londonDayOf(now - HOURLY_RETENTION_MS);
  let built = 0;
  for (const [checkId, wanted] of byCheck(objectives)) {
    if (options.signal?.aborted) break;
    const firstHour = await store.firstHour(checkId);
    if (firstHour === undefined) continue;
    const firstDay = monthStartDay(Math.max(londonDayOf(firstHour * HOUR_MS), oldest));
    const have = new Map<string, Set<string>>();
    for (const objective of wanted)
      have.set(objective.key, await store.kept(objective.key, checkId, firstDay, today));
    for (let month = firstDay; month < today; month = nextMonthDay(month)) {
      const end = nextMonthDay(month);
      const closed = end <= today;
      // What each objective lacks of this month: its days, and the month itself once it is over.
      const lacking = wanted
        .map((objective) => {
          const kept = have.get(objective.key) as Set<string>;
          if (kept.has(`month:${month}`)) return undefined;
          const days: number[] = [];
          for (let day = month; day < Math.min(end, today); day++)
            if (!kept.has(`day:${day}`)) days.push(day);
          return days.length > 0 || closed ? { objective, days } : undefined;
        })
        .filter((entry) => entry !== undefined);
      if (lacking.length === 0) continue;
      const started = performance.now();
      built += await store.build(checkId, (read) => {
        // One read of the hours of the days any objective lacks, shared by them all.
        const days = [...new Set(lacking.flatMap((entry) => entry.days))].sort((a, b) => a - b);
        const byDay = slicesByDay(days, read.hours.bind(read));
        const rows = new Map<string, KeptRow[]>();
        for (const { objective, days: missing } of lacking) {
          const made = missing.map((day) => dayRow(objective, day, byDay.get(day) ?? []));
          if (closed) {
            const all = [...read.days(objective.key, month, end), ...made].sort((a, b) => a.day - b.day);
            if (all.length === end - month) made.push(monthRow(month, all));
          }
          rows.set(objective.key, made);
        }
        return rows;
      });
      if (options.rest) await options.rest(performance.now() - started);
      else await new Promise<void>((resolve) => setImmediate(resolve));
      if (options.signal?.aborted) break;
    }
    await store.pruneDays(checkId, today - DAY_ROWS_KEPT_DAYS, 1_000);
  }
  return { built, dropped };
}

/** The objectives each check is judged by. */
function byCheck(objectives: Map<string, { objective: KeptObjective; checks: Set<string> }>) {
  const out = new Map<string, KeptObjective[]>();
  for (const { objective, checks } of objectives.values())
    for (const check of checks) out.set(check, [...(out.get(check) ?? []), objective]);
  return out;
}

/** Each latency objective of the estate's principles and the checks any of its principles covers. */
function objectivesOf(estate: Estate): Map<string, { objective: KeptObjective; checks: Set<string> }> {
  const found = new Map<string, { objective: KeptObjective; checks: Set<string> }>();
  const index = indexOf(estate);
  for (const principle of estate.principles) {
    if (principle.metric !== 'latency') continue;
    const objective = keptObjectiveOf(estate, principle);
    if (!objective) continue;
    const entry = found.get(objective.key) ?? { objective, checks: new Set<string>() };
    found.set(objective.key, entry);
    for (const check of estate.checks)
      if (pairsOf(estate, check, index).some((pair) => inScope(principle.scope, pair)))
        entry.checks.add(check.id);
  }
  return found;
}

/** The hours of the days given (ascending), from one read, by London day. */
function slicesByDay(
  days: readonly number[],
  hours: (fromHour: number, toHour: number) => PhaseSlice[],
): Map<number, PhaseSlice[]> {
  const byDay = new Map<number, PhaseSlice[]>();
  const first = days[0];
  const last = days[days.length - 1];
  if (first === undefined || last === undefined) return byDay;
  for (const slice of hours(hourOf(dayStart(first)), hourOf(dayStart(last + 1)))) {
    const day = londonDayOf(slice.bucket * HOUR_MS);
    const list = byDay.get(day);
    if (list) list.push(slice);
    else byDay.set(day, [slice]);
  }
  return byDay;
}
