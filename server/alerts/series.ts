import type { RunRecord } from '../../runs/record.js';
import type { SeriesRow } from '../store/incidents.js';

/** What one run did to a series: nothing worth telling, met the failures rule, or recovered from it. */
export type SeriesChange = 'failing' | 'recovered' | undefined;

export interface Thresholds {
  after: number;
  recoverAfter: number;
}

export const seriesKey = (checkId: string, vantagePoint: string) => `${checkId}\u0000${vantagePoint}`;

/**
 * Counts one run into its series' streaks. A failure while not failing starts (or lengthens) a streak,
 * and the rule is met at `after` in a row; any up run breaks the streak, so fail, fail, up, fail never
 * meets it at 3. Once failing, `recoverAfter` up runs in a row recover it; a failure among them starts
 * the count again. Skipped runs say nothing of the target and count for neither.
 */
export function advance(
  before: SeriesRow | undefined,
  run: RunRecord,
  thresholds: Thresholds,
): { row: SeriesRow; change: SeriesChange } {
  const row: SeriesRow = before
    ? { ...before, lastStartedAt: run.startedAt }
    : {
        checkId: run.checkId,
        vantagePoint: run.vantagePoint,
        fails: 0,
        oks: 0,
        failing: false,
        lastStartedAt: run.startedAt,
        streak: null,
      };
  if (run.state === 'skipped') return { row, change: undefined };
  if (run.state === 'fail') {
    if (row.fails === 0 && !row.failing) row.streak = firstFailure(run);
    row.fails += 1;
    row.oks = 0;
    if (!row.failing && row.fails >= thresholds.after) {
      row.failing = true;
      return { row, change: 'failing' };
    }
    return { row, change: undefined };
  }
  row.oks += 1;
  row.fails = 0;
  if (!row.failing) {
    row.streak = null;
    return { row, change: undefined };
  }
  if (row.oks >= thresholds.recoverAfter) {
    row.failing = false;
    row.streak = null;
    return { row, change: 'recovered' };
  }
  return { row, change: undefined };
}

function firstFailure(run: RunRecord): NonNullable<SeriesRow['streak']> {
  return {
    checkId: run.checkId,
    vantagePoint: run.vantagePoint,
    startedAt: new Date(run.startedAt).toISOString(),
    ...(run.error ? { errorClass: run.error.class, message: run.error.message.slice(0, 300) } : {}),
    ...(run.phases ? { phases: { ...run.phases } } : {}),
  };
}
