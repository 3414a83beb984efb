import type { ErrorClass, Phases, ProbeDetails } from '../probes/result.js';

/** What became of one run: a probe's state, or skipped because the last run had not finished. */
export type RunState = 'ok' | 'degraded' | 'fail' | 'skipped';

/** The central server as a vantage point; agents' vantage points are their sites' ids. */
export const SERVER_VANTAGE_POINT = 'server';

/** One run of a check at a vantage point, as stored: a probe result, or a run skipped because the last was still going. */
export interface RunRecord {
  checkId: string;
  vantagePoint: string;
  /** UTC ms. */
  startedAt: number;
  state: RunState;
  phases: Phases | null;
  status?: number;
  error?: { class: ErrorClass | 'skipped'; message: string };
  details?: ProbeDetails;
}

/** The result object of the public contract (API, CLI --json, agent push). */
export function resultObject(record: RunRecord) {
  return {
    checkId: record.checkId,
    vantagePoint: record.vantagePoint,
    startedAt: new Date(record.startedAt).toISOString(),
    ok: record.state === 'ok' || record.state === 'degraded',
    state: record.state,
    ...(record.error ? { error: record.error } : {}),
    phases: record.phases,
    ...(record.status !== undefined ? { status: record.status } : {}),
    ...(record.details ? { details: record.details } : {}),
  };
}
