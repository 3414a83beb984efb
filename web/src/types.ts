import type { EstateView } from '../../server/estate/view.js';

export type CheckView = EstateView['checks'][number];
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
};

export interface Summary {
  runs: number;
  counts: { ok: number; degraded: number; fail: number; skipped: number };
  availability: number | null;
  totalMs: { min: number | null; mean: number | null; max: number | null };
  phases: Record<keyof Phases, Percentiles>;
}

export interface SummaryResponse {
  overall: Summary;
  vantagePoints: (Summary & { vantagePoint: string })[];
}

export interface SeriesPoint {
  at: string;
  runs: number;
  counts: Summary['counts'];
  availability: number | null;
  phases: Record<keyof Phases, Percentiles>;
}

export interface SeriesResponse {
  source: 'hourly' | 'daily';
  items: SeriesPoint[];
}
