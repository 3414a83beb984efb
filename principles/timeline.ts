import { normalise, type Span } from './intervals.js';

export type RunState = 'up' | 'down';

/** A stretch of one state at one vantage point: the row the state timeline keeps. */
export interface Stretch extends Span {
  state: RunState;
}

/** A run as the timeline needs it: when it started and whether the check was up. */
export interface TimedRun {
  at: number;
  state: RunState;
}

/**
 * The stretches a vantage point's runs make: each run's state holds from its start until the next run,
 * and at most `holdMs` (the check's interval, or for a cron schedule the time to its next run); time no run covers is unknown and left out. Runs need not
 * be in order; a run with the same start as another replaces it. Neighbouring stretches of one state
 * are joined.
 */
export function stretchesOf(runs: Iterable<TimedRun>, holdMs: number | ((at: number) => number)): Stretch[] {
  const hold = typeof holdMs === 'number' ? () => holdMs : holdMs;
  const byStart = new Map<number, RunState>();
  for (const run of runs) byStart.set(run.at, run.state);
  const starts = [...byStart.keys()].sort((a, b) => a - b);
  const out: Stretch[] = [];
  starts.forEach((at, i) => {
    const next = starts[i + 1];
    const to = Math.min(at + hold(at), next ?? Number.POSITIVE_INFINITY);
    const state = byStart.get(at) as RunState;
    const last = out[out.length - 1];
    if (last && last.state === state && last.to === at) last.to = to;
    else out.push({ from: at, to, state });
  });
  return out;
}

/** The spans of one state. */
export function spansIn(stretches: readonly Stretch[], state: RunState): Span[] {
  return normalise(stretches.filter((s) => s.state === state));
}
