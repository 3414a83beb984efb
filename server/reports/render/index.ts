import type { Report } from '../types.js';
import { coveragePart, organisationsPart, periodPart, surveyPart } from './estate-parts.js';
import type { ReportNames } from './format.js';
import { changesPart, provenancePart, reportTitle, titleBlock } from './header.js';
import { html, Safe } from './html.js';
import { principlesPart } from './principles.js';
import { REPORT_CSS } from './style.js';
import { summaryPage } from './summary.js';

export { type ReportNames, reportNamesOf } from './format.js';
export { reportContentSecurityPolicy } from './style.js';

/**
 * A frozen report as one standalone HTML document, for the screen and for A4 print: no script, its style
 * inline, nothing fetched, so it reads the same offline, saved, mailed or turned into a PDF.
 */
export function reportHtml(report: Report, names: ReportNames): string {
  const title = reportTitle(report);
  const page = html`<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${report.demo ? `${title} (demo data)` : title}</title>
<style>${new Safe(REPORT_CSS)}</style>
</head>
<body>
<main>
${titleBlock(report)}
${summaryPage(report, names)}
${changesPart(report)}
${provenancePart(report)}
${principlesPart(report.content.principles, names)}
${organisationsPart(report.content)}
${periodPart(report.content, names)}
${coveragePart(report.content)}
${report.kind === 'year' ? surveyPart(report.content, names) : ''}
<footer class="report-footer"><p>Made by Vantage. Report <code class="id">${report.id}</code>, content hash <code class="id">${report.hash}</code>.</p></footer>
</main>
</body>
</html>
`;
  return page.text;
}
