import type { RunRecord } from '../../runs/record.js';
import type { Estate } from '../config/schema.js';
import type { AgentBeat, TokenRow } from '../db/repos/agents.js';
import type {
  AnswerCount,
  ScoreCell,
  ScoreSums,
  StoredResponse,
  SurveyCell,
  SurveyGrouping,
} from '../db/repos/survey.js';
import type { CheckRow, Retirable, StoredEstate } from '../estate/rows.js';
import type { RollupRow } from '../rollups/rollup.js';

export type EntityKind = 'organisations' | 'sites' | 'systems' | 'checks';

export interface KindReport {
  added: string[];
  changed: string[];
  restored: string[];
  retired: string[];
}

export type SyncReport = Record<EntityKind, KindReport>;

/**
 * Where Vantage keeps what it knows. SQLite is the implementation; a PostgreSQL one must pass the
 * same contract suite (test/store/contract.ts).
 */
export interface Store {
  /** Makes the stored estate match the configured one. Ids are stable; removed entities are retired, never deleted. */
  syncEstate(estate: Estate, at: number): Promise<SyncReport>;
  /**
   * A number that changes whenever syncEstate changes anything, so what is derived from the estate
   * (an agent's assignments, say) can be kept until it does.
   */
  estateGeneration(): number;
  /** The stored estate; retired entities only when asked for. */
  readEstate(options?: { includeRetired?: boolean }): Promise<StoredEstate>;
  /** The ids of the checks not retired, in order. */
  activeCheckIds(): Promise<string[]>;
  /** Stores runs in one transaction; a run already stored (same check, vantage point and start) is ignored. */
  recordRuns(runs: RunRecord[]): Promise<RecordReport>;
  /** One check of the estate as it is now (not retired), or undefined. */
  getCheck(checkId: string): Promise<Retirable<CheckRow> | undefined>;
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
  /** Rollups with from ≤ bucket < to (hours since the epoch, or London days since the epoch). */
  rollups(checkId: string, resolution: 'hourly' | 'daily', from: number, to: number): Promise<RollupSlice[]>;
  /**
   * Per vantage point, the daily rollups with firstDay ≤ day < endDay merged into one slice (its
   * bucket is the first of those days the vantage point has runs on). The merge is kept, so a year of a check is read as one row per vantage
   * point; a result that lands on a day of the span makes the next read merge it again.
   */
  spanRollups(checkId: string, firstDay: number, endDay: number): Promise<RollupSlice[]>;
  /** Merges and keeps the span for up to `limit` checks that lack it; returns how many it did. */
  refreshSpans(firstDay: number, endDay: number, limit: number): Promise<number>;
  /** Deletes one small batch of raw runs and hourly rollups older than the limits; call until it returns zeros. */
  pruneBatch(
    before: { raw: number; hourlyBucket: number },
    limit: number,
  ): Promise<{ raw: number; hourly: number }>;
  /** Keeps a new agent token (its secret already hashed). */
  addToken(token: Omit<TokenRow, 'revokedAt' | 'lastUsedAt'>): Promise<void>;
  token(id: string): Promise<TokenRow | undefined>;
  tokens(): Promise<TokenRow[]>;
  /** False when there is no such token or it was already revoked. */
  revokeToken(id: string, at: number): Promise<boolean>;
  /** What a site's agent last said of itself (kept only when newer than what is stored). */
  recordHeartbeat(beat: AgentBeat): Promise<void>;
  /** Every site's agent's last heartbeat. */
  agents(): Promise<AgentBeat[]>;
  /** Keeps survey responses, all or none. */
  addSurveyResponses(responses: StoredResponse[]): Promise<void>;
  /** Per group and system: count, sum and sum of squares of the scores. */
  surveyScoreSums(campaign: string, by: SurveyGrouping | 'all'): Promise<ScoreSums[]>;
  /** Per cell (organisation × site × staff group) and system: count, sum and sum of squares of the scores. */
  surveyScoreCells(campaign: string): Promise<ScoreCell[]>;
  /** Responses per cell (organisation × site × staff group) of a campaign. */
  surveyCells(campaign: string): Promise<SurveyCell[]>;
  /** Per cell, item and answer: how many gave it. */
  surveyAnswerCounts(campaign: string): Promise<AnswerCount[]>;
  /** Per item and answer over a whole campaign: how many gave it. */
  surveyItemCounts(campaign: string): Promise<{ item: string; value: string; n: number }[]>;
  /** A campaign's comments with their sites, ordered by site and text. */
  surveyComments(campaign: string): Promise<{ site: string; comment: string }[]>;
  /** How many of a campaign's responses are generated demo data. */
  surveyDemoCount(campaign: string): Promise<number>;
  /** How many responses a campaign has. */
  surveyResponseCount(campaign: string): Promise<number>;
  /** Resolves when the store can take writes; rejects with the reason when it cannot. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function countChanges(report: SyncReport): number {
  return Object.values(report).reduce(
    (sum, kind) => sum + kind.added.length + kind.changed.length + kind.restored.length + kind.retired.length,
    0,
  );
}

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
