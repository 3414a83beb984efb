import type { Estate } from '../config/schema.js';
import { type Compliance, type Headline, targetOf } from '../principles/compliance.js';
import type { Status } from '../principles/figures.js';

export type Counts = Record<Status, number>;
const noCounts = (): Counts => ({ met: 0, 'at-risk': 0, breached: 0, 'no-data': 0 });
/** A principle not evaluated yet has no figure: counted as no data. */
const counted = (status: Status | 'not-evaluated'): Status =>
  status === 'not-evaluated' ? 'no-data' : status;

/** A figure now and over the period before, and which way it moved. */
export interface Compared {
  status: Status | 'not-evaluated';
  value: number | null;
  previous: { status: Status | 'not-evaluated'; value: number | null };
  /** Now less before, in the metric's unit (points of a percentage); null when either is missing. */
  change: number | null;
  /** Whether the change is for the better (up for availability, down for latency); null with no change. */
  better: boolean | null;
}

export interface ScorecardPrinciple extends Compared {
  id: string;
  title: string;
  metric: string;
  target: number;
  percentile?: number;
  /** Organisations by the status of what they host and own under this principle. */
  counts: Counts;
  href: string;
}

export interface ScorecardOrganisation {
  id: string;
  name: string;
  /** Principles by this organisation's status under each, now and over the period before. */
  counts: Counts;
  previousCounts: Counts;
  principles: { id: string; status: Status; value: number | null }[];
  href: string;
}

export interface Scorecard {
  /** The whole economy's principles by status, now and before. */
  counts: Counts;
  previousCounts: Counts;
  principles: ScorecardPrinciple[];
  organisations: ScorecardOrganisation[];
}

/** The principles scorecard by principle and by organisation, compared with the period before. */
export function scorecardOf(
  estate: Estate,
  current: readonly Compliance[],
  previous: readonly Headline[],
  period: string,
): Scorecard {
  const before = new Map(previous.map((c) => [c.principle.id, c]));
  const counts = noCounts();
  const previousCounts = noCounts();
  const principles = current.map((judged): ScorecardPrinciple => {
    const { principle } = judged;
    const prior = before.get(principle.id);
    counts[counted(judged.status)] += 1;
    previousCounts[counted(prior?.status ?? 'no-data')] += 1;
    const byOrg = noCounts();
    for (const own of judged.byOrganisation) byOrg[own.status] += 1;
    return {
      id: principle.id,
      title: principle.title,
      metric: principle.metric,
      target: targetOf(principle),
      ...(principle.percentile !== undefined ? { percentile: principle.percentile } : {}),
      ...compared(principle.metric, judged, prior),
      counts: byOrg,
      href: `/principles/${encodeURIComponent(principle.id)}?period=${encodeURIComponent(period)}`,
    };
  });
  const organisations = estate.organisations.map((org): ScorecardOrganisation => {
    const now = noCounts();
    const then = noCounts();
    const own: ScorecardOrganisation['principles'] = [];
    for (const judged of current) {
      const figure = judged.byOrganisation.find((o) => o.organisation === org.id);
      if (!figure) continue;
      now[figure.status] += 1;
      own.push({ id: judged.principle.id, status: figure.status, value: figure.value });
      const prior = before.get(judged.principle.id)?.byOrganisation.find((o) => o.organisation === org.id);
      then[prior?.status ?? 'no-data'] += 1;
    }
    return {
      id: org.id,
      name: org.name,
      counts: now,
      previousCounts: then,
      principles: own,
      href: `/organisations/${encodeURIComponent(org.id)}?period=${encodeURIComponent(period)}`,
    };
  });
  return { counts, previousCounts, principles, organisations };
}

/** Latency is better lower; every other metric (availability, days, scores) higher. */
const LOWER_IS_BETTER = new Set(['latency']);

function compared(metric: string, judged: Compliance, prior: Headline | undefined): Compared {
  const value = judged.value;
  const previousValue = prior?.value ?? null;
  const change = value !== null && previousValue !== null ? round(value - previousValue) : null;
  return {
    status: judged.status,
    value,
    previous: { status: prior?.status ?? 'no-data', value: previousValue },
    change,
    better: change === null || change === 0 ? null : LOWER_IS_BETTER.has(metric) ? change < 0 : change > 0,
  };
}

/** To three places: the precision availability is shown at, so a change is never noise below it. */
const round = (value: number) => Math.round(value * 1000) / 1000;
