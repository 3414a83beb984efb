import type { ReportKind } from '../reports/types.js';

/** What a listing shows of a stored report: everything but its body. */
export interface ReportRow {
  id: string;
  kind: ReportKind;
  period: string;
  version: number;
  replaces: string | null;
  /** UTC ms. */
  createdAt: number;
  createdBy: string;
  demo: boolean;
  hash: string;
}

/** A stored report with its body: the canonical JSON exactly as it was made. */
export interface StoredReport extends ReportRow {
  body: string;
}

/**
 * Frozen reports, kept for ever and never changed: a reissue is a new version beside the old one.
 * `add` refuses (false) an id or a (kind, period, version) already stored.
 */
export interface ReportsStore {
  add(report: StoredReport): Promise<boolean>;
  report(id: string): Promise<StoredReport | undefined>;
  /** Every version: by period as written, newest first (a year's quarters, then its months, then the year), then by version. */
  list(): Promise<ReportRow[]>;
  /** The newest version of a period's report, if any. */
  latest(kind: ReportKind, period: string): Promise<ReportRow | undefined>;
}
