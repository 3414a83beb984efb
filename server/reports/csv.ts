import type { Report } from './types.js';

type Cell = string | number | boolean | null | undefined;

/**
 * One cell as CSV: quoted when it holds a quote, comma or line break (quotes doubled), and text that a
 * spreadsheet would run as a formula (starting = + - @, or a tab or carriage return) prefixed with '.
 * Numbers are written as they are, so a negative figure stays a number.
 */
export function csvCell(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  let text = String(cell);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvOf = (header: readonly string[], rows: readonly Cell[][]): string =>
  `${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;

interface Table {
  header: string[];
  rows: Cell[][];
}

/** Every table of a report, by name: the CSV export's files, and what `?table=` chooses from. */
export function reportTables(report: Report): Record<string, Table> {
  const { content } = report;
  return {
    summary: {
      header: ['status', 'principles'],
      rows: Object.entries(content.summary.counts).map(([status, count]) => [status, count]),
    },
    gaps: {
      header: [
        'principle',
        'title',
        'site',
        'system',
        'value',
        'target',
        'unit',
        'organisation',
        'role',
        'minutes',
      ],
      rows: content.summary.gaps.map((g) => [
        g.principle,
        g.title,
        g.site,
        g.system,
        g.value,
        g.target,
        g.unit,
        g.organisation,
        g.role,
        g.minutes,
      ]),
    },
    principles: {
      header: [
        'principle',
        'title',
        'metric',
        'target',
        'unit',
        'status',
        'value',
        'previous_status',
        'previous_value',
        'message',
      ],
      rows: content.principles.map((p) => [
        p.id,
        p.title,
        p.metric,
        p.target,
        p.unit,
        p.status,
        p.value,
        p.previous.status,
        p.previous.value,
        p.message,
      ]),
    },
    items: {
      header: [
        'principle',
        'site',
        'system',
        'status',
        'value',
        'target',
        'up_minutes',
        'down_minutes',
        'maintenance_minutes',
        'unknown_minutes',
        'budget_allowed',
        'budget_spent',
        'budget_left',
        'message',
      ],
      rows: content.principles.flatMap((p) =>
        p.items.map((i) => [
          p.id,
          i.site,
          i.system,
          i.status,
          i.value,
          i.target,
          i.minutes.up,
          i.minutes.down,
          i.minutes.maintenance,
          i.minutes.unknown,
          i.budget.allowed,
          i.budget.spent,
          i.budget.left,
          i.message,
        ]),
      ),
    },
    attribution: {
      header: ['principle', 'site', 'system', 'organisation', 'role', 'minutes'],
      rows: content.principles.flatMap((p) =>
        p.items.flatMap((i) =>
          i.attribution.map((a) => [p.id, i.site, i.system, a.organisation, a.role, a.minutes]),
        ),
      ),
    },
    organisations: {
      header: ['organisation', 'name', 'principle', 'status', 'value', 'owner_minutes', 'host_minutes'],
      rows: content.organisations.flatMap((o) =>
        o.scorecard.map((s) => [o.id, o.name, s.principle, s.status, s.value, s.owner, s.host]),
      ),
    },
    outages: {
      header: ['check', 'system', 'site', 'from', 'to', 'minutes', 'organisation', 'role'],
      rows: content.outages.map((o) => [
        o.check,
        o.system,
        o.site,
        o.from,
        o.to,
        o.minutes,
        o.organisation,
        o.role,
      ]),
    },
    maintenance: {
      header: ['id', 'title', 'from', 'to', 'scope'],
      rows: content.maintenance.map((m) => [m.id, m.title, m.from, m.to, m.scope]),
    },
    coverage: {
      header: ['site', 'name', 'unknown_minutes', 'unknown_percent'],
      rows: content.coverage.map((c) => [c.site, c.name, c.unknownMinutes, c.share]),
    },
    survey: {
      header: [
        'campaign',
        'previous_campaign',
        'system',
        'instrument',
        'score',
        'previous',
        'target',
        'withheld',
      ],
      rows: (content.survey?.systems ?? []).map((s) => [
        content.survey?.campaign,
        content.survey?.previousCampaign,
        s.system,
        s.instrument,
        s.score,
        s.previous,
        s.target,
        s.withheld,
      ]),
    },
    changes: {
      header: ['path', 'label', 'before', 'after'],
      rows: report.changes.map((c) => [c.path, c.label, c.before, c.after]),
    },
  };
}
