import type { AttributedMinutes, Figure } from '../../principles/figures.js';
import type { ReportPrinciple } from '../types.js';
import { minutesText, nameOf, type ReportNames } from './format.js';
import { html, type Safe } from './html.js';
import { figureBar, MOST_ROWS, statusBadge, table, worstRows } from './parts.js';

const ROLE = { owner: 'owner', host: 'host' } as const;

function whose(attribution: AttributedMinutes[], names: ReportNames): Safe | string {
  if (attribution.length === 0) return 'nobody';
  return html`<ul class="plain">${attribution.map(
    (a) =>
      html`<li>${a.organisation === null ? 'nobody in the estate' : nameOf(names.organisations, a.organisation)} (${ROLE[a.role]}): ${minutesText(a.minutes)}</li>`,
  )}</ul>`;
}

/** Availability is counted in minutes, with a budget of down time; other metrics are a single figure. */
const counted = (p: ReportPrinciple) => p.metric === 'availability';

const RANK: Record<string, number> = { breached: 0, 'at-risk': 1, 'no-data': 2, met: 3, 'not-evaluated': 4 };

/** Worst first: by status, then by the figure (the slowest for a latency, the lowest otherwise). */
function worstFirst<T extends { status: string; value: number | null }>(
  p: ReportPrinciple,
  rows: readonly T[],
): T[] {
  const sign = p.unit === 'ms' ? -1 : 1;
  return [...rows].sort(
    (a, b) =>
      (RANK[a.status] ?? 5) - (RANK[b.status] ?? 5) ||
      sign * ((a.value ?? Number.POSITIVE_INFINITY) - (b.value ?? Number.POSITIVE_INFINITY)),
  );
}

/** The rows to show, in their own order when all fit, otherwise the worst, with a note. */
function shownRows<T extends { status: string; value: number | null }>(
  p: ReportPrinciple,
  rows: readonly T[],
  what: string,
  rest: string,
): { rows: T[]; note: string } {
  return worstRows(rows.length > MOST_ROWS ? worstFirst(p, rows) : rows, what, rest);
}

const notePart = (note: string) => (note ? html`<p class="note">${note}</p>` : '');

function itemsTable(p: ReportPrinciple, names: ReportNames): Safe {
  const shown = shownRows(
    p,
    p.items,
    'sites and systems',
    "every one is in the report's CSV (the items table) and its JSON",
  );
  return html`${notePart(shown.note)}${table(
    `${p.title}: each site and system`,
    ['Site', 'System', 'Status', 'Figure', ...(counted(p) ? ['Minutes'] : []), 'Who answers'],
    shown.rows.map((i) => [
      i.site === null ? 'every site' : nameOf(names.sites, i.site),
      i.system === null ? 'every system' : nameOf(names.systems, i.system),
      statusBadge(i.status),
      html`${figureBar(p.unit, i.value, i.target, i.status)}${i.message ? html`<p class="note">${i.message}</p>` : ''}`,
      ...(counted(p) ? [minutesList(i)] : []),
      whose(i.attribution, names),
    ]),
  )}`;
}

/** Down, maintenance and unknown time, and the down time still allowed by the target. */
function minutesList(f: Figure): Safe {
  return html`<ul class="plain"><li>down ${minutesText(f.minutes.down)}</li><li>maintenance ${minutesText(f.minutes.maintenance)}</li><li>unknown ${minutesText(f.minutes.unknown)}</li><li>${f.budget.left < 0 ? `budget overspent by ${minutesText(-f.budget.left)}` : `budget left ${minutesText(f.budget.left)}`}</li></ul>`;
}

function groupTable(
  p: ReportPrinciple,
  caption: string,
  heading: string,
  rows: { name: string; figure: Figure; extra?: string }[],
  extraHeading?: string,
): Safe {
  const shown = shownRows(
    p,
    rows.map((r) => ({ ...r, status: r.figure.status, value: r.figure.value })),
    `${caption.replace(/^by /, '')}s`,
    "every one is in the report's JSON",
  );
  return html`${notePart(shown.note)}${table(
    `${p.title}: ${caption}`,
    [heading, 'Status', 'Figure', ...(extraHeading ? [extraHeading] : [])],
    shown.rows.map((r) => [
      r.name,
      statusBadge(r.figure.status),
      figureBar(p.unit, r.figure.value, r.figure.target, r.figure.status),
      ...(extraHeading ? [r.extra ?? ''] : []),
    ]),
  )}`;
}

function principleSection(p: ReportPrinciple, names: ReportNames): Safe {
  return html`<section class="principle" id="principle-${p.id}" aria-labelledby="principle-${p.id}-title">
<h3 id="principle-${p.id}-title">${p.title}</h3>
<p class="headline">${statusBadge(p.status)} <code class="id">${p.id}</code>, ${p.metric}</p>
${figureBar(p.unit, p.value, p.target, p.status === 'not-evaluated' ? 'no-data' : p.status)}
${p.message ? html`<p class="note">${p.message}</p>` : ''}
${p.items.length > 0 ? itemsTable(p, names) : ''}
${
  p.bySystem.length > 1
    ? groupTable(
        p,
        'by system',
        'System',
        p.bySystem.map((f) => ({ name: nameOf(names.systems, f.system), figure: f })),
      )
    : ''
}
${
  p.bySite.length > 1
    ? groupTable(
        p,
        'by site',
        'Site',
        p.bySite.map((f) => ({ name: nameOf(names.sites, f.site), figure: f })),
      )
    : ''
}
${
  p.byOrganisation.length > 0
    ? groupTable(
        p,
        'by organisation',
        'Organisation',
        p.byOrganisation.map((f) => ({
          name: nameOf(names.organisations, f.organisation),
          figure: f,
          extra: minutesText(f.attributed),
        })),
        'Minutes it answers for',
      )
    : ''
}
</section>`;
}

/** Each principle: its figure against target, then each item and group, with who answers for what. */
export function principlesPart(principles: ReportPrinciple[], names: ReportNames): Safe {
  return html`<section class="part" aria-labelledby="principles-title"><h2 id="principles-title">Principles</h2>${principles.map(
    (p) => principleSection(p, names),
  )}</section>`;
}
