import type { CheckRow } from '../estate/rows.js';
import type { ResultsStore } from '../store/results.js';
import { summariseSlices, type Window } from './summary.js';
import { runPlanOf, unknownRuns, vantagePointStates } from './vantage.js';
import { windowSlices } from './window.js';

/**
 * One check's figures over a window, overall and per vantage point, with the runs each place was
 * expected to make and its state now: what the summary route answers and responsibility is judged on.
 */
export async function checkSummary(store: ResultsStore, check: CheckRow, window: Window, now: number) {
  const [{ from, source, slices, firstRuns }, latest] = await Promise.all([
    windowSlices(store, check.id, window, now),
    store.latestResults(check.id),
  ]);
  const summary = summariseSlices(slices);
  const plan = runPlanOf(check.definition);
  // The first rollup says the hour or day a vantage point was first heard in the window; the raw
  // runs of that bucket, while kept, say the minute. Once pruned, the bucket's start will do.
  const firstRunOf = async (vantagePoint: string) => {
    const rough = firstRuns.get(vantagePoint);
    if (rough === undefined) return undefined;
    const exact = await store.firstRunAt(check.id, vantagePoint, Math.max(from, rough.start), rough.end);
    return exact ?? rough.start;
  };
  const unknowns = await Promise.all(
    summary.vantagePoints.map(async (point) =>
      unknownRuns(plan, await firstRunOf(point.vantagePoint), from, now, point.runs),
    ),
  );
  return {
    checkId: check.id,
    window,
    from: new Date(from).toISOString(),
    to: new Date(now).toISOString(),
    source,
    overall: summary.overall,
    // Runs that never arrived are counted apart from failures: the place was silent, not the system down.
    vantagePoints: summary.vantagePoints.map((point, i) => ({ ...point, ...unknowns[i] })),
    // The state now at every place the check should run from, those with no runs in the window too.
    states: vantagePointStates(check.definition, latest, now, plan),
  };
}

export type CheckSummary = Awaited<ReturnType<typeof checkSummary>>;
