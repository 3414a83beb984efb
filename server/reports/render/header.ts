import type { Report } from '../types.js';
import { londonTime, periodWords } from './format.js';
import { html, type Safe } from './html.js';
import { table } from './parts.js';

const MADE_BY: Record<string, string> = {
  schedule: 'the first-of-the-month schedule',
  demo: 'the demo, from its generated history',
};

export function reportTitle(report: Report): string {
  return `Vantage report: ${periodWords(report.kind, report.period)}`;
}

/** Before and after of a changed figure, as stored: numbers to three places, nothing as "none". */
const changeValue = (v: string | number | null): string =>
  v === null ? 'none' : typeof v === 'number' ? v.toLocaleString('en-GB', { maximumFractionDigits: 3 }) : v;

/**
 * The top of the first page: demo or not, which report and version, when and by whom it was made, and
 * its hash; the rest of how it was made follows the summary, so the summary keeps to one page.
 */
export function titleBlock(report: Report): Safe {
  const changed = report.changes.length;
  const version = report.replaces
    ? `${report.version}, replaces v${report.version - 1} (report ${report.replaces}): ${changed} ${changed === 1 ? 'figure' : 'figures'} changed, listed after the summary`
    : `${report.version}`;
  const demo = report.demo
    ? html`<p class="demo" data-testid="demo-banner"><strong>DEMO DATA</strong>: every figure in this report comes from the demo's simulated history, not from a real estate.</p>`
    : '';
  return html`<header class="report-header">${demo}<h1>${reportTitle(report)}</h1>
<dl class="facts">
<dt>Period</dt><dd>${londonTime(report.from)} to ${londonTime(report.to)} (Europe/London)</dd>
<dt>Version</dt><dd data-testid="version">${version}</dd>
<dt>Made</dt><dd>${londonTime(report.createdAt)} by ${MADE_BY[report.createdBy] ?? report.createdBy}</dd>
<dt>Content hash</dt><dd><code class="id" data-testid="hash">${report.hash}</code></dd>
</dl></header>`;
}

/** For a reissue, every figure that differs from the version it replaces. */
export function changesPart(report: Report): Safe {
  if (!report.replaces) return html``;
  return html`<section class="part changes" aria-labelledby="changes-title"><h2 id="changes-title">What changed from v${report.version - 1}</h2>${
    report.changes.length === 0
      ? html`<p>No figure differs from the version this one replaces.</p>`
      : table(
          `${report.changes.length} ${report.changes.length === 1 ? 'figure differs' : 'figures differ'} from report ${report.replaces}`,
          ['Figure', 'Before', 'After'],
          report.changes.map((c) => [
            html`${c.label}<br><code class="id">${c.path}</code>`,
            changeValue(c.before),
            changeValue(c.after),
          ]),
        )
  }</section>`;
}

/** What the figures were computed against and from: the estate's version, the accounting rules, the sources. */
export function provenancePart(report: Report): Safe {
  return html`<section class="part" aria-labelledby="provenance-title"><h2 id="provenance-title">How this report was made</h2>
<dl class="facts">
<dt>Estate version</dt><dd><code class="id">${report.estateVersion}</code></dd>
<dt>Accounting</dt><dd>version ${report.accounting.version}<div class="rules">${report.accounting.text}</div></dd>
<dt>Sources</dt><dd><ul>${report.sources.map((s) => html`<li>${s}</li>`)}</ul></dd>
</dl>
<p>The figures were fixed when the report was made: results that arrived later change nothing in it. A reissue is a new version beside it.</p></section>`;
}
