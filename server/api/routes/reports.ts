import { Router } from 'express';
import { z } from 'zod';
import type { Clock } from '../../../common/clock.js';
import { audit } from '../../access/audit.js';
import { actorOf, principalOf } from '../../access/principal.js';
import { adminOnly, allow, type Rule, read } from '../../access/rules.js';
import type { Estate } from '../../config/schema.js';
import type { ComplianceThread } from '../../principles/compliance-thread.js';
import { csvOf, reportTables } from '../../reports/csv.js';
import { createReport, reissueReport } from '../../reports/issue.js';
import { ChromiumUnavailable, reportPdf } from '../../reports/pdf.js';
import { REPORT_KINDS, ReportError } from '../../reports/periods.js';
import { reportContentSecurityPolicy, reportHtml, reportNamesOf } from '../../reports/render/index.js';
import type { Report } from '../../reports/types.js';
import { zipOf } from '../../reports/zip.js';
import type { Stores } from '../../store/stores.js';
import { keptFigures } from '../../survey/results-cache.js';
import { jsonBody } from '../body.js';
import { ApiError, parseInput } from '../errors.js';

const BODY = { bytes: 1024, depth: 2 };
const createBody = z.strictObject({
  kind: z.enum(REPORT_KINDS as ['month', 'quarter', 'year']),
  period: z.string().max(20),
});
const csvQuery = z.strictObject({ table: z.string().max(40).optional() });
/** The report's page and PDF are for people: one not signed in is sent to sign in, as for any page. */
const page: Rule = { kind: 'page' };

export interface ReportRouteDeps {
  stores: Pick<Stores, 'reports' | 'results' | 'maintenance' | 'survey' | 'access'>;
  clock: Clock;
  estate: () => Estate | undefined;
  /** The thread latency work is shared with; omitted, all of it is done in this one. */
  thread?: ComplianceThread | undefined;
}

/** A report mistake as the API says it. */
function asApiError(error: unknown): unknown {
  return error instanceof ReportError ? new ApiError(error.code, error.message) : error;
}

/**
 * Frozen reports: listed and read by every signed-in role and API token (a report is the economy's
 * figures, as the principles' routes show them to all); made and reissued by admins, and audited.
 * A report is served as the exact text it was stored as.
 */
export function reportRoutes({ stores, clock, estate, thread }: ReportRouteDeps): {
  api: Router;
  files: Router;
} {
  const api = Router();
  const files = Router();
  const sources = {
    results: stores.results,
    maintenance: stores.maintenance,
    survey: stores.survey,
    surveyFigures: keptFigures(stores.survey),
    ...(thread ? { thread } : {}),
  };
  const issuing = () => {
    const current = estate();
    if (!current) throw new ApiError('not_found', 'no estate is configured yet');
    return { estate: current, sources, store: stores.reports };
  };
  const stored = async (id: string) => {
    const report = await stores.reports.report(id);
    if (!report) throw new ApiError('not_found', `no report with id '${id}'`);
    return report;
  };

  api.get('/reports', allow(read), async (req, res) => {
    parseInput(z.strictObject({}), req.query, 'query');
    const items = (await stores.reports.list()).map((row) => ({
      ...row,
      createdAt: new Date(row.createdAt).toISOString(),
    }));
    res.json({ items });
  });

  api.get('/reports/:id', allow(read), async (req, res) => {
    parseInput(z.strictObject({}), req.query, 'query');
    const report = await stored(req.params.id as string);
    res.type('application/json').send(report.body);
  });

  api.post('/reports', allow(adminOnly('making a report')), jsonBody(BODY), async (req, res) => {
    const body = parseInput(createBody, req.body, 'body');
    const row = await createReport(issuing(), {
      ...body,
      now: clock.now(),
      createdBy: actorOf(principalOf(req)),
    }).catch((error: unknown) => {
      throw asApiError(error);
    });
    await audit(stores.access, clock, req, {
      action: 'report-created',
      subject: `report:${row.id}`,
      detail: { kind: row.kind, period: row.period },
    });
    res
      .status(201)
      .location(`/api/v1/reports/${row.id}`)
      .type('application/json')
      .send((await stored(row.id)).body);
  });

  api.post('/reports/:id/reissue', allow(adminOnly('reissuing a report')), async (req, res) => {
    parseInput(z.strictObject({}), req.query, 'query');
    const row = await reissueReport(issuing(), req.params.id as string, {
      now: clock.now(),
      createdBy: actorOf(principalOf(req)),
    }).catch((error: unknown) => {
      throw asApiError(error);
    });
    await audit(stores.access, clock, req, {
      action: 'report-reissued',
      subject: `report:${row.id}`,
      detail: { replaces: row.replaces },
    });
    res
      .status(201)
      .location(`/api/v1/reports/${row.id}`)
      .type('application/json')
      .send((await stored(row.id)).body);
  });

  /** A stored report read back, with the names it shows from the estate as it is now. */
  const readable = async (id: string) => {
    const report = JSON.parse((await stored(id)).body) as Report;
    const current = estate();
    const names = reportNamesOf(current ?? { organisations: [], sites: [], systems: [] });
    return { report, html: reportHtml(report, names) };
  };

  // The report as a PDF made by headless Chromium from the same HTML; a 503 saying why when it cannot be.
  files.get('/reports/:id.pdf', allow(page), async (req, res) => {
    parseInput(z.strictObject({}), req.query, 'query');
    const { report, html } = await readable(req.params.id as string);
    const pdf = await reportPdf(html, report).catch((error: unknown) => {
      throw error instanceof ChromiumUnavailable ? new ApiError('unavailable', error.message) : error;
    });
    res.type('application/pdf').attachment(`vantage-report-${report.id}.pdf`).send(pdf);
  });

  // Every table as one CSV in a zip, or one table's CSV with ?table=.
  files.get('/reports/:id.csv', allow(read), async (req, res) => {
    const query = parseInput(csvQuery, req.query, 'query');
    const report = JSON.parse((await stored(req.params.id as string)).body) as Report;
    const tables = reportTables(report);
    if (query.table !== undefined) {
      const table = tables[query.table];
      if (!table)
        throw new ApiError(
          'invalid',
          `query parameter 'table': no table '${query.table}': give one of ${Object.keys(tables).join(', ')}`,
          [{ path: 'table', message: 'no such table' }],
        );
      res
        .type('text/csv; charset=utf-8')
        .attachment(`vantage-report-${report.id}-${query.table}.csv`)
        .send(csvOf(table.header, table.rows));
      return;
    }
    const zip = zipOf(
      Object.entries(tables).map(([name, table]) => ({
        name: `${name}.csv`,
        text: csvOf(table.header, table.rows),
      })),
      new Date(report.createdAt),
    );
    res.type('application/zip').attachment(`vantage-report-${report.id}.zip`).send(zip);
  });

  // The report as a page of its own, for the screen and for print. Its one inline style is allowed by
  // its hash: the dashboard's policy allows none. After the .csv and .pdf routes, which this would match.
  files.get('/reports/:id', allow(page), async (req, res) => {
    parseInput(z.strictObject({}), req.query, 'query');
    const { html } = await readable(req.params.id as string);
    res.set('Content-Security-Policy', reportContentSecurityPolicy()).type('html').send(html);
  });

  return { api, files };
}
