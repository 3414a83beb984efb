import type { RunRecord } from '../../runs/record.js';
import { allWindows } from '../principles/windows.js';
import type { SeriesRow } from '../store/incidents.js';
import { certificateFindings, checkCertificates } from './certificates.js';
import type { EngineState } from './engine-state.js';
import { lookupOf } from './estate-lookup.js';
import { groupFailures, type SeriesEvent } from './failures.js';
import { keyOf, type Note } from './incidents.js';
import { judgeLatency } from './latency.js';
import { send } from './sending.js';
import { advance } from './series.js';

/**
 * A run received this long after it started came from a backlog (an agent replaying its outbox after
 * an outage): longer than the longest timeout a run may take, and the few minutes a batch may wait.
 */
export const BACKLOG_AFTER_MS = 15 * 60_000;

/** Runs read back per check at a start: more than a stop cut short, far fewer than a day of them. */
const CATCH_UP_LIMIT = 1_000;

/**
 * Counts a batch of stored runs, each series in the order its runs started, and opens, groups and
 * resolves the failures', certificate and latency rules' incidents; then hands their messages over.
 */
export async function evaluateRuns(
  state: EngineState,
  runs: readonly RunRecord[],
  options: { catchingUp?: boolean } = {},
): Promise<void> {
  const estate = state.estate;
  if (!estate || runs.length === 0) return;
  const now = state.deps.clock.now();
  const settings = state.settings;
  const known = new Set(estate.checks.map((c) => c.id));
  // Each series in the order its runs started: a backlog arrives late and in bulk, perhaps out of order.
  const ordered = runs.filter((r) => known.has(r.checkId)).sort((a, b) => a.startedAt - b.startedAt);
  // Runs from a site are its agent heard again (a backlog arriving): its series count from now on.
  for (const run of ordered) state.silent.delete(run.vantagePoint);
  if (ordered.length === 0) return;
  const findings = settings.certificate.enabled ? certificateFindings(ordered) : new Map();
  const failures = settings.failures.enabled;
  const burns = state.latencyBurn.reads(ordered);
  const slower = new Set<string>();
  for (const run of ordered) if (state.latency.add(run)) slower.add(run.checkId);
  // One reading of the maintenance windows serves the failures rule and the latency burn.
  const windows = failures || burns ? await state.windowsFor(estate, ordered, now, burns) : [];
  const scene = state.scene(estate, now, windows);
  if (burns) state.latencyBurn.add(ordered, { scene, silent: state.silent }, now);
  if (!failures && findings.size === 0 && slower.size === 0) return;
  const notes: Note[] = [];
  await state.write((tx) => {
    const changed = new Map<string, SeriesRow>();
    let pending: SeriesEvent[] = [];
    let moment: number | undefined;
    // Grouped at each moment something changed, as it then stood: a backlog showing an outage already
    // over opens its incident and resolves it, in the order it happened.
    const group = (force = false) => {
      if (pending.length > 0 || force)
        groupFailures(
          tx,
          state.open,
          {
            scene,
            settings,
            events: pending,
            series: state.series,
            silent: state.silent,
            ...state.roundsFor(options.catchingUp === true),
          },
          notes,
        );
      pending = [];
    };
    for (const run of failures ? ordered : []) {
      if (run.startedAt !== moment) group();
      moment = run.startedAt;
      const key = keyOf(run);
      const before = state.series.get(key);
      // Older than what was already counted: a run the series has gone past cannot be counted in order.
      if (before && run.startedAt <= before.lastStartedAt) continue;
      const { row, change } = advance(before, run, settings.failures);
      state.series.set(key, row);
      changed.set(key, row);
      if (change)
        pending.push({
          series: row,
          change,
          at: run.startedAt,
          backlogReceivedAt: !options.catchingUp && now - run.startedAt > BACKLOG_AFTER_MS ? now : null,
        });
    }
    // Runs of a check with a series waiting for the rest of its round: the wait may be over.
    const checks = new Set(ordered.map((run) => run.checkId));
    group([...state.rounds.keys()].some((key) => checks.has(state.series.get(key)?.checkId ?? '')));
    tx.saveSeries([...changed.values()]);
    checkCertificates(tx, state.open, { scene, settings, findings }, notes);
    if (slower.size > 0) {
      const at = (ordered[ordered.length - 1] as RunRecord).startedAt;
      const fresh = !options.catchingUp && now - at <= BACKLOG_AFTER_MS;
      const input = { scene, settings: settings.latency, windows: state.latency, silent: state.silent, at };
      judgeLatency(
        tx,
        state.open,
        { ...input, checks: slower, rounds: state.latencyRoundsFor(fresh) },
        notes,
      );
    }
  });
  await send(state, notes);
}

/**
 * Runs stored just before a stop (even kill -9) whose evaluation the stop cut short: read back for each
 * series since the last run it counted, and evaluated now, as they would have been.
 */
export async function catchUp(state: EngineState): Promise<void> {
  const { results, clock } = state.deps;
  if (!results || !state.estate) return;
  const since = new Map<string, number>();
  for (const row of state.series.values())
    since.set(row.checkId, Math.min(since.get(row.checkId) ?? row.lastStartedAt, row.lastStartedAt));
  const missed: RunRecord[] = [];
  for (const [checkId, from] of since) {
    const page = await results.listResults(checkId, {
      from: from + 1,
      to: clock.now() + 1,
      limit: CATCH_UP_LIMIT,
    });
    missed.push(...page.items);
  }
  if (missed.length > 0) await evaluateRuns(state, missed, { catchingUp: true });
}

/**
 * Places the failing series whose wait for the rest of their round has run out with no more runs
 * arriving: the other vantage points stayed up (or silent), so it is their host's. On the follow-up timer.
 */
export async function placeWaited(state: EngineState): Promise<void> {
  const estate = state.estate;
  const now = state.deps.clock.now();
  if (estate && state.latencyRounds.due(now)) await placeWaitedSlow(state, now);
  if (!estate || !state.settings.failures.enabled || !state.rounds.due(now)) return;
  // The maintenance windows over the waiting streaks, to mark an incident opened inside one.
  let from = now;
  for (const key of state.rounds.keys()) {
    const streak = state.series.get(key)?.streak;
    if (streak) from = Math.min(from, Date.parse(streak.startedAt));
  }
  const scene = state.scene(estate, now, await allWindows(estate, state.deps.maintenance, from, now + 1));
  const notes: Note[] = [];
  await state.write((tx) => {
    groupFailures(
      tx,
      state.open,
      {
        scene,
        settings: state.settings,
        events: [],
        series: state.series,
        silent: state.silent,
        ...state.roundsFor(false),
      },
      notes,
    );
  });
  await send(state, notes);
}

/** Places the slow series whose wait for the rest of their round has run out, as `placeWaited` does. */
async function placeWaitedSlow(state: EngineState, now: number): Promise<void> {
  const estate = state.estate;
  if (!estate) return;
  const checks = new Set<string>();
  for (const key of [...state.latencyRounds.keys()]) {
    const checkId = key.slice(0, key.indexOf('\u0000'));
    // A check the estate no longer runs has nothing to place.
    if (lookupOf(estate).check(checkId)) checks.add(checkId);
    else state.latencyRounds.forget(key);
  }
  const scene = state.scene(estate, now, await allWindows(estate, state.deps.maintenance, now - 1, now + 1));
  const notes: Note[] = [];
  const input = { scene, settings: state.settings.latency, windows: state.latency, silent: state.silent };
  await state.write((tx) => {
    judgeLatency(tx, state.open, { ...input, checks, at: now, rounds: state.latencyRoundsFor(false) }, notes);
  });
  await send(state, notes);
}
