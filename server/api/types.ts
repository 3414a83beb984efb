import type { checkView, EstateView } from '../estate/view.js';
import type { CheckVerdict, SystemResponsibility } from '../responsibility/system.js';
import type { Problem } from '../responsibility/verdict.js';
import type { VantagePointState } from '../results/vantage.js';

/**
 * The bodies the API answers with: the routes are typed by them (`satisfies`), and the dashboard
 * imports them (types only), so the two cannot drift apart. Types only: nothing here runs.
 */
export type { CheckVerdict, EstateView, Problem, SystemResponsibility, VantagePointState };

/** A check as `/checks` lists it (the estate's own list adds `retiredAt` to retired ones). */
export type CheckView = ReturnType<typeof checkView>;
export type Phases = Record<
  'dnsMs' | 'connectMs' | 'tlsMs' | 'ttfbMs' | 'transferMs' | 'totalMs',
  number | null
>;
export type Percentiles = { p50: number | null; p95: number | null; p99: number | null };

export interface ResultObject {
  checkId: string;
  vantagePoint: string;
  startedAt: string;
  ok: boolean;
  state: 'ok' | 'degraded' | 'fail' | 'skipped';
  error?: { class: string; message: string };
  phases: Phases | null;
  status?: number;
  details?: { certificate?: { daysToExpiry: number; issuer: string } };
}

export type CheckDetail = CheckView & {
  latest: { vantagePoint: string; result: ResultObject }[];
  /** Every place the check should run from, including those with no recent result. */
  vantagePoints: VantagePointState[];
};

/** `GET /api/v1/checks`. */
export interface ChecksResponse {
  items: CheckDetail[];
}

/** `GET /api/v1/checks/:id/results`: newest first; `next` is the `to` of the next page. */
export interface ResultsResponse {
  items: ResultObject[];
  next?: string;
}

export type AgentState = 'online' | 'silent' | 'never-seen';

/** A site's agent as its heartbeats describe it. */
export interface Agent {
  site: string;
  siteName: string;
  host: string;
  hostName: string;
  /** How many checks are assigned to the site. */
  checks: number;
  /** How many unrevoked tokens the site has. */
  tokens: number;
  state: AgentState;
  lastSeen: string | null;
  version: string | null;
  /** The agent's clock minus the server's. */
  clockOffsetMs: number | null;
  clockSkewed: boolean;
  outbox: { depth: number; dropped: number; oldestAt: string | null } | null;
}

export interface AgentsResponse {
  heartbeatSeconds: number;
  silentAfterSeconds: number;
  skewLimitMs: number;
  items: Agent[];
}

export interface Summary {
  runs: number;
  counts: { ok: number; degraded: number; fail: number; skipped: number };
  availability: number | null;
  totalMs: { min: number | null; mean: number | null; max: number | null };
  phases: Record<keyof Phases, Percentiles>;
}

export interface SummaryResponse {
  checkId: string;
  window: string;
  from: string;
  to: string;
  /** What the figures were read from: a year of daily rollups has today's hours added. */
  source: 'hourly' | 'daily' | 'hourly+daily';
  overall: Summary;
  /** Runs expected by the schedule since the vantage point was first heard in the window, and those that never came. */
  vantagePoints: (Summary & { vantagePoint: string; expected?: number; unknown?: number })[];
  /** The state now at every place the check should run from, including those with no runs in the window. */
  states: VantagePointState[];
}

export interface SeriesPoint {
  at: string;
  runs: number;
  counts: Summary['counts'];
  availability: number | null;
  phases: Record<keyof Phases, Percentiles>;
}

export interface SeriesResponse {
  checkId: string;
  window: string;
  /** What the figures were read from: a year of daily rollups has today's hours added. */
  source: 'hourly' | 'daily' | 'hourly+daily';
  items: SeriesPoint[];
  vantagePoints: { vantagePoint: string; items: SeriesPoint[] }[];
}
