import { londonOffsetMs } from '../../principles/london.js';
import type { Estate } from '../config/schema.js';
import type { ComplianceSources } from '../principles/compliance.js';
import { createReport } from '../reports/issue.js';
import type { ReportKind } from '../reports/types.js';
import type { ReportsStore } from '../store/reports.js';

/** Last month's and last year's periods at an instant, in London time. */
export function lastMonthAndYear(now: number): { kind: ReportKind; period: string }[] {
  const wall = new Date(now + londonOffsetMs(now));
  const month = wall.getUTCMonth(); // 0–11, the month now
  const year = wall.getUTCFullYear();
  const lastMonth = month === 0 ? `${year - 1}-12` : `${year}-${String(month).padStart(2, '0')}`;
  return [
    { kind: 'month', period: lastMonth },
    { kind: 'year', period: String(year - 1) },
  ];
}

/**
 * The demo's reports, made from its generated history once it is written: last month's and last
 * year's, marked as demo data, each only if absent. The demo's 13 months reach back into last year
 * only so far, so last year's report says how much of it was silent (its coverage).
 */
export async function makeDemoReports(
  estate: Estate,
  sources: ComplianceSources,
  store: ReportsStore,
  now: number,
): Promise<string[]> {
  const made: string[] = [];
  for (const { kind, period } of lastMonthAndYear(now)) {
    if (await store.latest(kind, period)) continue;
    const row = await createReport(
      { estate, sources, store },
      { kind, period, now, createdBy: 'demo', demo: true },
    );
    made.push(row.id);
  }
  return made;
}
