import type { Figure, Status } from '../principles/figures.js';

/**
 * A frozen report: every figure for a calendar month, quarter or year, as it stood when it was made.
 * Stored as made and never recomputed: results that arrive later change nothing in it; a reissue is a
 * new version beside it that lists what changed. Types only: the store, the API, the page, the PDF and
 * the CSV all read this one shape.
 */
export type ReportKind = 'month' | 'quarter' | 'year';

export interface Report {
  /** Unique, stable, URL-safe: `2026-11`, `2026-Q4`, `2026`, with `-v2`… for reissues. */
  id: string;
  kind: ReportKind;
  /** The period as the API writes it: `2026-11`, `2026-Q4`, `2026`. */
  period: string;
  /** UTC instants of the period's bounds (Europe/London calendar). */
  from: string;
  to: string;
  /** 1 for the first issue; each reissue adds one. */
  version: number;
  /** The id of the version this one replaces, or null. */
  replaces: string | null;
  createdAt: string;
  /** Who made it: a user's email, `schedule` (the first-of-the-month run), or `demo`. */
  createdBy: string;
  /** SHA-256 of the estate as loaded (canonical JSON), so a reader can tell which configuration it used. */
  estateVersion: string;
  accounting: { version: number; text: string };
  /** What the figures were computed from, in words (the timeline to a moment, rollups, a campaign…). */
  sources: string[];
  /** True for the demo's generated history. */
  demo: boolean;
  /** For a reissue: every figure that differs from the version it replaces. */
  changes: ReportChange[];
  content: ReportContent;
  /** `sha256:<hex>` of the canonical JSON of everything above but this field. */
  hash: string;
}

export interface ReportChange {
  /** Where the figure is, e.g. `principles/available-core/value` or `principles/available-core/items/marsh-lane|epr/value`. */
  path: string;
  /** In words, for people: "Available in core hours, Marsh Lane Centre × EPR: value". */
  label: string;
  before: string | number | null;
  after: string | number | null;
}

/** A principle's figures for the period: the API's compliance answer, as it stood. */
export interface ReportPrinciple {
  id: string;
  title: string;
  metric: string;
  target: number;
  /** '%', 'ms', 'days' or 'score': how to read `value`. */
  unit: string;
  status: Status | 'not-evaluated';
  value: number | null;
  message?: string;
  items: (Figure & { site: string | null; system: string | null; message?: string })[];
  bySystem: (Figure & { system: string })[];
  bySite: (Figure & { site: string })[];
  byOrganisation: (Figure & { organisation: string; attributed: number })[];
  /** The same principle over the period before (the previous month, quarter or year), for the trend. */
  previous: { status: Status | 'not-evaluated'; value: number | null };
}

export interface ReportContent {
  summary: {
    counts: Record<Status | 'not-evaluated', number>;
    /** The three biggest gaps, worst first, each with who answers for it. */
    gaps: {
      principle: string;
      title: string;
      site: string | null;
      system: string | null;
      value: number | null;
      target: number;
      unit: string;
      organisation: string | null;
      role: 'owner' | 'host' | null;
      minutes: number;
    }[];
  };
  principles: ReportPrinciple[];
  organisations: {
    id: string;
    name: string;
    scorecard: {
      principle: string;
      status: Status | 'not-evaluated';
      value: number | null;
      /** Minutes attributed to the organisation, by role. */
      owner: number;
      host: number;
    }[];
  }[];
  outages: {
    check: string;
    system: string;
    site: string;
    from: string;
    to: string;
    minutes: number;
    organisation: string | null;
    role: 'owner' | 'host';
  }[];
  /** How many outages the period had: the list keeps the longest 500, so it may be fewer. */
  outagesTotal?: number;
  maintenance: { id: string; title: string; from: string; to: string; scope: string }[];
  /** Each vantage point's unknown (silent) time in the period: the agents' coverage. */
  coverage: { site: string; name: string; unknownMinutes: number; share: number }[];
  /** Annual reports: the latest published campaign against the one before. */
  survey?: {
    campaign: string | null;
    previousCampaign: string | null;
    systems: {
      system: string;
      instrument: string;
      score: number | null;
      previous: number | null;
      target: number | null;
      withheld: boolean;
    }[];
  };
}
