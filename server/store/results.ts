import type { Stretch } from '../../principles/timeline.js';
import type { RunRecord } from '../../runs/record.js';
import type { CertificateSeen } from '../db/repos/certificates.js';
import type { RollupRow } from '../rollups/rollup.js';
import type { LatencyKeptStore } from './latency-kept.js';

/** Raw results, the latest result of each series, and hourly, daily and year-wide rollups. */
export interface ResultsStore {
  /** Stores runs in one transaction; a run already stored (same check, vantage point and start) is ignored. */
  recordRuns(runs: RunRecord[]): Promise<RecordReport>;
  /** The newest result of every check at each vantage point, by check id. */
  latestResultsAll(): Promise<Map<string, { vantagePoint: string; result: unknown }[]>>;
  /** The newest result of a check at each vantage point. */
  latestResults(checkId: string): Promise<{ vantagePoint: string; result: unknown }[]>;
  /**
   * When the first kept run at a vantage point with from ≤ start < to started, or undefined. Raw runs
   * are pruned, so bound `to` by the bucket the runs are known to begin in: unbounded, the answer
   * would be the oldest run kept, not the first.
   */
  firstRunAt(checkId: string, vantagePoint: string, from: number, to: number): Promise<number | undefined>;
  /** Raw runs, newest first. */
  listResults(checkId: string, query: ResultsQuery): Promise<ResultPage>;
  /** Only the total time of a check's timed runs from `from` up to (not including) `to`, oldest first. */
  totalTimes(checkId: string, from: number, to: number): Promise<TimedRun[]>;
  /** Rollups with from ≤ bucket < to (hours since the epoch, or London days since the epoch). */
  rollups(checkId: string, resolution: 'hourly' | 'daily', from: number, to: number): Promise<RollupSlice[]>;
  /**
   * Only the encoded phase histograms of the hourly rollups with from ≤ bucket < to, oldest first: the
   * lean read of a long span (a year of a check's hours) when counts and extremes are not wanted.
   * `weekMask`, when given, reads only the hours of the UTC week it marks: 168 characters, '1' for an
   * hour wanted, indexed by hours since the epoch modulo 168 (0 is Thursday 00:00Z).
   */
  hourlyPhases(checkId: string, from: number, to: number, weekMask?: string): Promise<PhaseSlice[]>;
  /**
   * Per vantage point, the daily rollups with firstDay ≤ day < endDay merged into one slice (its
   * bucket is the first of those days the vantage point has runs on). The merge is kept, so a year of
   * a check is read as one row per vantage point; a result that lands on a day of the span makes the
   * next read merge it again.
   */
  spanRollups(checkId: string, firstDay: number, endDay: number): Promise<RollupSlice[]>;
  /** Merges and keeps the span for up to `limit` checks that lack it; returns how many it did. */
  refreshSpans(firstDay: number, endDay: number, limit: number): Promise<number>;
  /** The state timeline's stretches of a check overlapping [from, to), by vantage point, oldest first. */
  timeline(checkId: string, from: number, to: number): Promise<Map<string, Stretch[]>>;
  /**
   * The certificate expiries runs were sent, by check then vantage point: a row per London month and
   * expiry with the first and last run that month, for the months with a run in [from, to).
   */
  certificates(from: number, to: number): Promise<Map<string, CertificatesSeen>>;
  /**
   * Every check's stretches overlapping [from, to), one check at a time (by vantage point, oldest first),
   * in one pass over the timeline: for reading the whole estate without holding it all in memory.
   */
  timelines(
    from: number,
    to: number,
    visit: (checkId: string, byVp: Map<string, Stretch[]>) => void,
  ): Promise<void>;
  /**
   * Fills in the timeline of up to `limit` series stored before it existed (a day of runs each);
   * resolves to whether more are waiting.
   */
  backfillTimeline(limit: number): Promise<boolean>;
  /** Latency principles' kept summaries of closed days and months, read instead of the hourly rollups. */
  readonly latencyKept: LatencyKeptStore;
  /** Deletes one small batch of raw runs and hourly rollups older than the limits; call until it returns zeros. */
  pruneBatch(
    before: { raw: number; hourlyBucket: number },
    limit: number,
  ): Promise<{ raw: number; hourly: number }>;
}

export type { CertificateSeen };
export type CertificatesSeen = Map<string, CertificateSeen[]>;

export interface RecordReport {
  stored: number;
  /** The runs newly stored, in the order given: not the duplicates or the unknown. */
  fresh: RunRecord[];
  duplicates: number;
  /** Runs of checks or vantage points the store does not know. */
  unknown: number;
}

export interface ResultsQuery {
  from: number;
  /** Exclusive. */
  to: number;
  vantagePoint?: string;
  limit: number;
}

/** A run's total time, and no more: what the latency principles' burn reads. */
export interface TimedRun {
  checkId: string;
  vantagePoint: string;
  startedAt: number;
  totalMs: number;
}

export interface ResultPage {
  items: RunRecord[];
  /** Pass as `to` for the next, older page. */
  next?: number;
}

/** A stored rollup as it is kept (histograms still encoded): readers decode only what they need. */
export interface RollupSlice {
  vantagePoint: string;
  bucket: number;
  row: RollupRow;
}

/** An hourly rollup's phase histograms, still encoded (see forEachBucket). */
export interface PhaseSlice {
  vantagePoint: string;
  /** Hours since the epoch. */
  bucket: number;
  phases: Uint8Array;
}
