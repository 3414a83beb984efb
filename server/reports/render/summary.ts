import type { Report } from '../types.js';
import {
  figureText,
  nameOf,
  periodWords,
  type ReportNames,
  type ReportStatus,
  STATUS_WORDS,
  targetText,
  trendWords,
} from './format.js';
import { html, type Safe } from './html.js';
import { statusBadge, table } from './parts.js';

const ORDER: ReportStatus[] = ['met', 'at-risk', 'breached', 'no-data', 'not-evaluated'];

const ROLE_WORDS = { owner: "as the system's owner", host: "as the site's host" } as const;

function joinWords(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** "Of 5 principles, 2 were met, 1 was at risk…": every status with any, in the order a board reads them. */
function countsSentence(report: Report): string {
  const counts = report.content.summary.counts;
  const total = ORDER.reduce((n, s) => n + counts[s], 0);
  const verb = (n: number) => (n === 1 ? 'was' : 'were');
  const words: Record<ReportStatus, (n: number) => string> = {
    met: (n) => `${n} ${verb(n)} met`,
    'at-risk': (n) => `${n} ${verb(n)} at risk`,
    breached: (n) => `${n} ${verb(n)} breached`,
    'no-data': (n) => `${n} had no data`,
    'not-evaluated': (n) => `${n} ${verb(n)} not evaluated`,
  };
  const parts = ORDER.filter((s) => counts[s] > 0).map((s) => words[s](counts[s]));
  return `In ${periodWords(report.kind, report.period)}, of ${total} ${total === 1 ? 'principle' : 'principles'}, ${joinWords(parts)}.`;
}

function gapsList(report: Report, names: ReportNames): Safe {
  const gaps = report.content.summary.gaps;
  if (gaps.length === 0) return html`<p>No principle fell short: there are no gaps to report.</p>`;
  return html`<ol class="gaps" data-testid="gaps">${gaps.map((g) => {
    const where = [
      g.site ? nameOf(names.sites, g.site) : null,
      g.system ? nameOf(names.systems, g.system) : null,
    ]
      .filter(Boolean)
      .join(' × ');
    // A survey's gap is a figure, not time: who answers for it, without minutes.
    const share =
      g.minutes > 0 ? `${g.minutes.toLocaleString('en-GB', { maximumFractionDigits: 2 })} min of it` : 'it';
    const who = g.organisation
      ? `${nameOf(names.organisations, g.organisation)} answers for ${share}${g.role ? ` ${ROLE_WORDS[g.role]}` : ''}.`
      : 'No organisation answers for it: nobody in the estate is responsible for this part.';
    return html`<li><strong>${g.title}${where ? `, ${where}` : ''}</strong>: ${figureText(g.unit, g.value)} against a target of ${targetText(g.unit, g.target)}. ${who}</li>`;
  })}</ol>`;
}

/** The first page: the counts, the trend of each principle against the period before, the three biggest gaps. */
export function summaryPage(report: Report, names: ReportNames): Safe {
  const counts = report.content.summary.counts;
  const before = report.kind === 'month' ? 'month' : report.kind === 'quarter' ? 'quarter' : 'year';
  return html`<section class="summary" aria-labelledby="summary-title"><h2 id="summary-title">Summary for the board</h2>
<p class="lede" data-testid="counts-sentence">${countsSentence(report)}</p>
<ul class="counts" data-testid="counts">${ORDER.map(
    (s) => html`<li>${statusBadge(s)} <strong class="count">${counts[s]}</strong></li>`,
  )}</ul>
<h3>Against the ${before} before</h3>
${table(
  `Each principle this ${before} and the ${before} before`,
  ['Principle', 'Status', `This ${before}`, `The ${before} before`, 'Change'],
  report.content.principles.map((p) => [
    p.title,
    statusBadge(p.status),
    figureText(p.unit, p.value),
    html`${figureText(p.unit, p.previous.value)} (${STATUS_WORDS[p.previous.status].toLowerCase()})`,
    trendWords(p.unit, p.value, p.previous.value),
  ]),
  'trend',
)}
<h3>The three biggest gaps</h3>
${gapsList(report, names)}
</section>`;
}
