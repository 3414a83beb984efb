import { ACCOUNTING_VERSION } from '../../principles/accounting.js';
import type { Estate, MaintenanceWindow } from '../config/schema.js';
import { ACCOUNTING_TEXT } from '../principles/accounting-text.js';
import { type ComplianceSources, complianceOf, headlinesThereOrHere } from '../principles/compliance.js';
import { parsePeriod } from '../principles/period.js';
import { allWindows } from '../principles/windows.js';
import { freshFigures } from '../survey/results-cache.js';
import { canonicalJson, sha256, withHash } from './canonical.js';
import { organisationsOf, reportPrinciple, summaryOf } from './content.js';
import { estatePass, MAX_OUTAGES } from './estate-pass.js';
import { previousPeriod, reportId, reportPeriod } from './periods.js';
import { surveySection } from './survey-section.js';
import type { Report, ReportChange, ReportContent, ReportKind } from './types.js';

export interface ReportRequest {
  kind: ReportKind;
  period: string;
  /** When it is made (UTC ms): the clock's now. */
  now: number;
  createdBy: string;
  demo?: boolean;
  /** For a reissue: the version it replaces. */
  version?: number;
  replaces?: string | null;
  /** Worked out from the content by whoever reissues; empty for a first issue. */
  changes?: (content: ReportContent) => ReportChange[];
}

/** The SHA-256 of the estate as loaded, in canonical JSON: which configuration a report was made from. */
export const estateVersionOf = (estate: Estate): string => `sha256:${sha256(canonicalJson(estate))}`;

/**
 * Makes a report of a month, quarter or year from the estate and what the stores hold now, with its
 * canonical JSON (the text stored and served). The same inputs give the same bytes: every list is in a
 * stated order and the JSON is canonical.
 */
export async function buildReport(
  estate: Estate,
  sources: ComplianceSources,
  request: ReportRequest,
): Promise<{ report: Report; text: string }> {
  const { kind, now } = request;
  const period = reportPeriod(kind, request.period, now);
  const before = parsePeriod(previousPeriod(kind, period.text), now);
  const windows = await allWindows(estate, sources.maintenance, period.from, period.to);
  const pass = estatePass(estate, windows, period.from, period.to);
  const surveyFigures = sources.surveyFigures ?? (sources.survey ? freshFigures(sources.survey) : undefined);
  const withFigures = { ...sources, ...(surveyFigures ? { surveyFigures } : {}) };
  // Both periods at once. With a compliance thread, the period before (only its headline figures make
  // the trend) is judged there whole, while both threads share this period's latency work.
  const [judged, earlier] = await Promise.all([
    complianceOf(estate, withFigures, estate.principles, period, [pass.pass]),
    headlinesThereOrHere(estate, withFigures, estate.principles, before),
  ]);
  const principles = judged.map((answer, i) => reportPrinciple(answer, earlier[i]));
  const outages = await pass.outages(sources.results);
  const content: ReportContent = {
    summary: summaryOf(principles),
    principles,
    organisations: organisationsOf(estate, principles),
    outages: outages.listed,
    outagesTotal: outages.total,
    maintenance: windows
      .filter((w) => w.spans.length > 0)
      .map((w) => ({
        id: w.id,
        title: w.title,
        from: new Date(w.spans[0]?.from ?? period.from).toISOString(),
        to: new Date(w.spans[w.spans.length - 1]?.to ?? period.to).toISOString(),
        scope: scopeInWords(w.scope),
      }))
      .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.id < b.id ? -1 : 1)),
    coverage: pass.coverage(),
    ...(kind === 'year' && surveyFigures
      ? { survey: await surveySection(estate, surveyFigures, period.to) }
      : {}),
  };
  const version = request.version ?? 1;
  const createdAt = new Date(now).toISOString();
  const report: Omit<Report, 'hash'> = {
    id: reportId(period.text, version),
    kind,
    period: period.text,
    from: new Date(period.from).toISOString(),
    to: new Date(period.to).toISOString(),
    version,
    replaces: request.replaces ?? null,
    createdAt,
    createdBy: request.createdBy,
    estateVersion: estateVersionOf(estate),
    accounting: { version: ACCOUNTING_VERSION, text: ACCOUNTING_TEXT },
    sources: sourcesInWords(estate, windows.length, outages.total, content.survey, createdAt),
    demo: request.demo ?? false,
    changes: request.changes?.(content) ?? [],
    content,
  };
  const { text, hash } = withHash(report);
  return { report: { ...report, hash }, text };
}

/** What a window covers, in words. */
function scopeInWords(scope: MaintenanceWindow['scope']): string {
  const parts = [
    scope.systems?.length ? `systems ${scope.systems.join(', ')}` : '',
    scope.sites?.length ? `sites ${scope.sites.join(', ')}` : '',
    scope.checks?.length ? `checks ${scope.checks.join(', ')}` : '',
    scope.tags?.length ? `tags ${scope.tags.join(', ')}` : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join('; ') : 'nothing listed';
}

function sourcesInWords(
  estate: Estate,
  windows: number,
  outages: number,
  survey: ReportContent['survey'],
  createdAt: string,
): string[] {
  return [
    `the state timeline of ${estate.checks.length} checks as stored at ${createdAt}`,
    `certificates seen by the tls checks, as stored at ${createdAt}`,
    `${windows} maintenance windows (the estate file's and those added while running)`,
    outages > MAX_OUTAGES
      ? `${outages} outages in the period, the ${MAX_OUTAGES} longest listed`
      : `${outages} outages in the period, all listed`,
    `${estate.principles.length} principles of the estate file, judged under accounting version ${ACCOUNTING_VERSION}`,
    ...(survey
      ? [
          survey.campaign
            ? `survey campaign ${survey.campaign}${survey.previousCampaign ? ` against ${survey.previousCampaign}` : ''}, through the survey's privacy rules`
            : 'no survey campaign had published results by the end of the year',
        ]
      : []),
  ];
}
