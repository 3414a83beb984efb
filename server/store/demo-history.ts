import type { Stretch } from '../../principles/timeline.js';
import type { RollupRow } from '../rollups/rollup.js';

/** The span of simulated history a demo database holds (UTC ms, `to` exclusive). */
export interface HistorySpan {
  from: number;
  to: number;
  /** Seeds the generator: the same seed and estate give the same history. */
  seed: number;
  /** Everything from this instant to the end is written (the newest months are written first). */
  doneFrom: number;
  /** When the last of it was written; null while it is still being written. */
  generatedAt: number | null;
}

/** One part of the history, written all or nothing, with how far back the history then reaches. */
export interface HistoryChunk {
  stretches: { checkId: string; vantagePoint: string; stretches: Stretch[] }[];
  rollups: {
    checkId: string;
    vantagePoint: string;
    resolution: 'hourly' | 'daily';
    bucket: number;
    row: RollupRow;
    /** Added to a row already stored for the bucket (the hour or day the history ends in), not put over it. */
    merge: boolean;
  }[];
  doneFrom: number;
}

/**
 * The demo's generated history: the state timeline and rollups it writes directly (never millions of
 * raw runs), and the marker saying which span of time is simulated, so it is written once per database
 * and every answer over that span can say it is not measured.
 */
export interface DemoHistoryStore {
  history(): Promise<HistorySpan | undefined>;
  /** The first instant at or after `after` that anything is stored from (runs, stretches, rollups), if any. */
  firstStored(after: number): Promise<number | undefined>;
  /** Records the span about to be written (none of it done yet). */
  begin(span: { from: number; to: number; seed: number }): Promise<void>;
  /** Writes a chunk in one transaction, and how far back the history now reaches. */
  writeChunk(chunk: HistoryChunk): Promise<void>;
  /** Marks the history whole. */
  finish(at: number): Promise<void>;
}
