import { writeFileSync } from 'node:fs';
import { didYouMean } from '../../common/suggest.js';
import { complianceThread } from '../principles/compliance-thread.js';
import { csvOf, reportTables } from '../reports/csv.js';
import { createReport, reissueReport } from '../reports/issue.js';
import { isReportKind, ReportError } from '../reports/periods.js';
import type { Report } from '../reports/types.js';
import { zipOf } from '../reports/zip.js';
import type { SqliteStores } from '../store/sqlite/stores.js';
import { auditCli, cliActor } from './grant-options.js';
import { CommandError, loadEstate, WHERE_OPTIONS, whereOf, withStore } from './store.js';
import { iso, table } from './table.js';
import { parseCommand, UsageError } from './usage.js';

type Out = (line: string) => void;

const EXISTING = { create: false } as const;
const ACTIONS = ['create', 'list', 'show', 'reissue', 'export'];
const POSITIONALS: Record<string, number> = { create: 2, show: 1, reissue: 1, export: 1 };

/** A figure as the summary prints it: to two decimals at most, with its unit. */
function figure(value: number | null, unit: string): string {
  if (value === null) return 'no data';
  const text = String(Math.round(value * 100) / 100);
  if (unit === '%') return `${text}%`;
  return unit === 'score' ? text : `${text} ${unit}`;
}

/** A stored report read back, or a CommandError naming the id. */
async function storedReport(store: SqliteStores, id: string) {
  const row = await store.reports.report(id);
  if (!row) throw new CommandError(`no report with id '${id}' (see vantage report list)`);
  return row;
}

/** The board's summary of a report, as lines to read in a terminal. */
export function summaryLines(report: Report): string[] {
  const { content } = report;
  const counts = content.summary.counts;
  const lines = [
    `Report ${report.id}: ${report.kind} ${report.period}${report.demo ? ' (demo data)' : ''}`,
    `  period      ${report.from} to ${report.to}`,
    `  made        ${report.createdAt} by ${report.createdBy}`,
    `  version     ${report.version}${report.replaces ? `, replaces ${report.replaces}` : ''}`,
    `  hash        ${report.hash}`,
    `  estate      ${report.estateVersion}`,
    `  accounting  version ${report.accounting.version}`,
    '',
    `Principles: ${counts.met} met, ${counts['at-risk']} at risk, ${counts.breached} breached, ${counts['no-data']} no data, ${counts['not-evaluated']} not evaluated`,
    ...table(
      ['PRINCIPLE', 'STATUS', 'VALUE', 'TARGET', 'PERIOD BEFORE'],
      content.principles.map((p) => [
        p.id,
        p.status,
        figure(p.value, p.unit),
        figure(p.target, p.unit),
        `${p.previous.status}, ${figure(p.previous.value, p.unit)}`,
      ]),
    ).map((line) => `  ${line}`),
    '',
    `The biggest gaps:${content.summary.gaps.length === 0 ? ' none' : ''}`,
    ...content.summary.gaps.map(
      (g, i) =>
        `  ${i + 1}. ${g.title}: ${[g.site, g.system].filter(Boolean).join(' × ')} at ${figure(g.value, g.unit)} against ${figure(g.target, g.unit)}` +
        (g.organisation ? `; ${g.organisation} (${g.role})` : '') +
        // Survey figures carry no minutes: only time-based gaps say how many.
        (g.minutes > 0 ? `, ${Math.round(g.minutes * 10) / 10} minutes` : ''),
    ),
    '',
    `Outages: ${content.outagesTotal ?? content.outages.length}; maintenance windows: ${content.maintenance.length}`,
  ];
  if (report.changes.length > 0)
    lines.push(`Changed from ${report.replaces}: ${report.changes.length} figures`);
  return lines;
}

/**
 * `vantage report create KIND PERIOD | list | show ID | reissue ID | export ID`: frozen reports on
 * serve's database and estate file (serve may be running). Made and reissued as cli:<user>, audited.
 */
export async function reportCommand(args: string[], out: Out, err: Out): Promise<number> {
  const [action, ...rest] = args;
  const { values, positionals } = parseCommand(
    `report ${action ?? ''}`.trim(),
    rest,
    {
      format: { type: 'string' },
      out: { type: 'string' },
      table: { type: 'string' },
      ...WHERE_OPTIONS,
    },
    POSITIONALS[action ?? ''] ?? 0,
  );
  const { dbFile, configFile } = whereOf(values);
  const estate = () => loadEstate(configFile, err, 'reports are made from it');
  // A report's latency work is shared with a thread of its own.
  const thread = complianceThread(dbFile);
  const sourcesOf = (store: SqliteStores) => ({
    results: store.results,
    maintenance: store.maintenance,
    survey: store.survey,
    ...(thread ? { thread } : {}),
  });
  try {
    switch (action) {
      case 'create': {
        const [kind, period] = positionals;
        if (!kind || !period)
          throw new UsageError(
            'vantage report create: give the kind and period: month 2026-11, quarter 2026-Q4 or year 2026',
          );
        if (!isReportKind(kind))
          throw new UsageError(
            `vantage report create: unknown kind '${kind}'${didYouMean(kind, ['month', 'quarter', 'year'])}: give month, quarter or year`,
          );
        const current = estate();
        await withStore(
          dbFile,
          async (store) => {
            const row = await createReport(
              { estate: current, sources: sourcesOf(store), store: store.reports },
              { kind, period, now: Date.now(), createdBy: cliActor() },
            );
            await auditCli(store, {
              action: 'report-created',
              subject: `report:${row.id}`,
              detail: { kind, period },
            });
            out(row.id);
            err(`report ${row.id} made: ${row.hash}`);
          },
          EXISTING,
        );
        return 0;
      }
      case 'list':
        await withStore(
          dbFile,
          async (store) => {
            const rows = await store.reports.list();
            if (rows.length === 0) {
              out('no reports yet: make one with vantage report create month YYYY-MM');
              return;
            }
            for (const line of table(
              ['ID', 'KIND', 'PERIOD', 'VERSION', 'REPLACES', 'MADE (UTC)', 'BY', 'HASH'],
              rows.map((r) => [
                r.id,
                r.kind,
                r.period,
                String(r.version),
                r.replaces ?? '-',
                iso(r.createdAt),
                r.demo ? `${r.createdBy} (demo data)` : r.createdBy,
                r.hash,
              ]),
            ))
              out(line);
          },
          EXISTING,
        );
        return 0;
      case 'show':
        await withStore(
          dbFile,
          async (store) => {
            const row = await storedReport(store, idOf(positionals, 'show'));
            for (const line of summaryLines(JSON.parse(row.body) as Report)) out(line);
          },
          EXISTING,
        );
        return 0;
      case 'reissue': {
        const id = idOf(positionals, 'reissue');
        const current = estate();
        await withStore(
          dbFile,
          async (store) => {
            const row = await reissueReport(
              { estate: current, sources: sourcesOf(store), store: store.reports },
              id,
              { now: Date.now(), createdBy: cliActor() },
            );
            const made = JSON.parse((await storedReport(store, row.id)).body) as Report;
            await auditCli(store, {
              action: 'report-reissued',
              subject: `report:${row.id}`,
              detail: { replaces: row.replaces },
            });
            out(row.id);
            err(`report ${row.id} made, replacing ${row.replaces}: ${made.changes.length} figures changed`);
            for (const change of made.changes) err(`  ${change.label}: ${change.before} → ${change.after}`);
          },
          EXISTING,
        );
        return 0;
      }
      case 'export': {
        const id = idOf(positionals, 'export');
        const format = values.format ?? 'json';
        if (format !== 'json' && format !== 'csv')
          throw new UsageError(`vantage report export: --format '${format}' is not json or csv`);
        if (format === 'json' && values.table !== undefined)
          throw new UsageError('vantage report export: --table is for --format csv');
        if (format === 'csv' && values.table === undefined && values.out === undefined)
          throw new UsageError(
            'vantage report export: every table as CSV is a zip: give --out FILE.zip, or --table NAME for one table',
          );
        await withStore(
          dbFile,
          async (store) => {
            const row = await storedReport(store, id);
            const report = JSON.parse(row.body) as Report;
            const tables = reportTables(report);
            let bytes: string | Buffer = row.body;
            if (format === 'csv' && values.table !== undefined) {
              const chosen = tables[values.table];
              if (!chosen)
                throw new CommandError(
                  `--table '${values.table}' is no table: give one of ${Object.keys(tables).join(', ')}`,
                );
              bytes = csvOf(chosen.header, chosen.rows);
            } else if (format === 'csv')
              bytes = zipOf(
                Object.entries(tables).map(([name, t]) => ({
                  name: `${name}.csv`,
                  text: csvOf(t.header, t.rows),
                })),
                new Date(report.createdAt),
              );
            if (values.out === undefined) {
              process.stdout.write(bytes);
              return;
            }
            try {
              writeFileSync(values.out, bytes);
            } catch (error) {
              throw new CommandError(`cannot write ${values.out}: ${(error as Error).message}`);
            }
            err(`report ${row.id} written to ${values.out}`);
          },
          EXISTING,
        );
        return 0;
      }
      default:
        throw new UsageError(
          action === undefined
            ? 'vantage report: say create, list, show, reissue or export'
            : `vantage report: unknown action '${action}'${didYouMean(action, ACTIONS)}`,
        );
    }
  } catch (error) {
    if (error instanceof CommandError || error instanceof ReportError) {
      err(`vantage report ${action}: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await thread?.close();
  }
}

function idOf(positionals: string[], action: string): string {
  const id = positionals[0];
  if (!id)
    throw new UsageError(`vantage report ${action}: give the id of the report (see vantage report list)`);
  return id;
}
