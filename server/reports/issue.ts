import type { Estate } from '../config/schema.js';
import type { ComplianceSources } from '../principles/compliance.js';
import type { ReportRow, ReportsStore, StoredReport } from '../store/reports.js';
import { buildReport } from './build.js';
import { changesBetween } from './changes.js';
import { ReportError } from './periods.js';
import type { Report, ReportKind } from './types.js';

export interface Issuing {
  estate: Estate;
  sources: ComplianceSources;
  store: ReportsStore;
}

/** A report as stored: its body is the canonical JSON of the whole report, hash included. */
const storedOf = ({ report, text }: { report: Report; text: string }): StoredReport => ({
  id: report.id,
  kind: report.kind,
  period: report.period,
  version: report.version,
  replaces: report.replaces,
  createdAt: Date.parse(report.createdAt),
  createdBy: report.createdBy,
  demo: report.demo,
  hash: report.hash,
  body: text,
});

/** Makes and stores the first issue of a period's report; a conflict when one is already stored. */
export async function createReport(
  { estate, sources, store }: Issuing,
  request: { kind: ReportKind; period: string; now: number; createdBy: string; demo?: boolean },
): Promise<ReportRow> {
  const existing = await store.latest(request.kind, request.period);
  if (existing)
    throw new ReportError(
      'conflict',
      `a ${request.kind} report for ${request.period} already exists (${existing.id}): reissue it to make a new version`,
    );
  const stored = storedOf(await buildReport(estate, sources, request));
  if (!(await store.add(stored)))
    throw new ReportError(
      'conflict',
      `a report ${stored.id} was stored meanwhile: reissue it to make a new version`,
    );
  return stored;
}

/**
 * Makes the report of a stored report's period again, as the newest version, listing every figure that
 * differs from the version it replaces (the newest before it). Every version stays as it was.
 */
export async function reissueReport(
  { estate, sources, store }: Issuing,
  id: string,
  request: { now: number; createdBy: string },
): Promise<ReportRow> {
  const asked = await store.report(id);
  if (!asked) throw new ReportError('not_found', `no report with id '${id}'`);
  const newest = (await store.latest(asked.kind, asked.period)) ?? asked;
  const replaced = newest.id === asked.id ? asked : await store.report(newest.id);
  const before = JSON.parse((replaced ?? asked).body) as Report;
  const stored = storedOf(
    await buildReport(estate, sources, {
      kind: asked.kind,
      period: asked.period,
      now: request.now,
      createdBy: request.createdBy,
      demo: before.demo,
      version: newest.version + 1,
      replaces: newest.id,
      changes: (content) => changesBetween(estate, before.content, content),
    }),
  );
  if (!(await store.add(stored)))
    throw new ReportError('conflict', `a report ${stored.id} was stored meanwhile: reissue again`);
  return stored;
}
