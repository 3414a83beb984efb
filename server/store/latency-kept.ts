import type { KeptRow } from '../db/repos/latency-kept.js';
import type { PhaseSlice } from './results.js';

export type { KeptRow };

/** What building kept rows may read, inside the transaction that keeps them. */
export interface KeptReader {
  /** The check's hourly total-time histograms with from ≤ hour < to, oldest first (as hourlyPhases). */
  hours(fromHour: number, toHour: number): PhaseSlice[];
  /** The check's kept days for an objective with firstDay ≤ day < endDay, oldest first. */
  days(objective: string, firstDay: number, endDay: number): KeptRow[];
}

/**
 * Latency principles' kept summaries of closed London days and months, per objective and check (see
 * server/principles/latency-kept.ts). Days are numbered as the daily rollups' (London days since the epoch);
 * a month's row sits on its first day.
 */
export interface LatencyKeptStore {
  /**
   * Several checks' kept days with firstDay ≤ day < endDay, by check id (none for a check without any):
   * one pass for them all.
   */
  days(
    objective: string,
    checkIds: readonly string[],
    firstDay: number,
    endDay: number,
  ): Promise<Map<string, KeptRow[]>>;
  /** The given checks' kept months with firstDay ≤ day < endDay, by check id, oldest first: one statement. */
  months(
    objective: string,
    checkIds: readonly string[],
    firstDay: number,
    endDay: number,
  ): Promise<Map<string, KeptRow[]>>;
  /** Which of a check's days and months are kept, as `day:N` and `month:N`. */
  kept(objective: string, checkId: string, firstDay: number, endDay: number): Promise<Set<string>>;
  /**
   * Reads, builds and keeps rows (by objective) in one transaction, so no result can land on a day between its
   * hours being read and its row being kept (a result that lands later removes the row again).
   */
  build(checkId: string, work: (read: KeptReader) => Map<string, KeptRow[]>): Promise<number>;
  /** The first hour since the epoch a check has an hourly rollup for, or undefined. */
  firstHour(checkId: string): Promise<number | undefined>;
  /** Deletes the rows of objectives no principle has any more; returns how many. */
  dropOthers(objectives: readonly string[]): Promise<number>;
  /** Deletes up to `limit` of a check's day rows before a day (months stay); returns how many. */
  pruneDays(checkId: string, beforeDay: number, limit: number): Promise<number>;
}
