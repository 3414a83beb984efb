import { createHash } from 'node:crypto';

/** The printed page: A4 with room in the bottom margin for the footer Chromium draws (page N of M). */
export const PAGE_MARGIN = { top: '14mm', right: '14mm', bottom: '18mm', left: '14mm' } as const;

/**
 * The report's only style, inline so the page stands alone: saved, mailed or printed, it fetches nothing.
 * Status colours pass 4.5:1 on white and always sit beside a word and a shape.
 */
export const REPORT_CSS = `
@page { size: A4; margin: ${PAGE_MARGIN.top} ${PAGE_MARGIN.right} ${PAGE_MARGIN.bottom} ${PAGE_MARGIN.left}; }
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: #212b32; background: #fff; font: 16px/1.45 "Liberation Sans", Arial, Helvetica, sans-serif; }
main { max-width: 62rem; margin: 0 auto; padding: 1em; }
h1 { font-size: 1.9em; line-height: 1.2; margin: 0.5em 0 1em; }
h2 { font-size: 1.45em; margin: 2em 0 0.75em; break-after: avoid; }
h3 { font-size: 1.15em; margin: 1.5em 0 0.5em; break-after: avoid; }
p, li, dd { overflow-wrap: break-word; }
code, .id { font-family: "Liberation Mono", "DejaVu Sans Mono", monospace; font-size: 0.85em; overflow-wrap: anywhere; word-break: break-all; }
.demo { border: 4px solid #212b32; background: #fff3bf; padding: 0.5em 0.75em; font-size: 1.1em; margin: 0 0 1em; }
.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.25em 1em; margin: 0 0 1em; }
.facts dt { font-weight: 700; }
.facts dd { margin: 0; min-width: 0; }
.facts ul, ul.plain { margin: 0; padding-left: 1.1em; }
ul.plain { padding: 0; list-style: none; }
.rules { white-space: pre-wrap; font-size: 0.9em; }
.lede { font-size: 1.2em; }
.counts { display: flex; flex-wrap: wrap; gap: 0.5em 1.5em; list-style: none; padding: 0; margin: 0 0 1em; }
.count { font-size: 1.5em; }
.gaps li { margin-bottom: 0.5em; }
.status { display: inline-flex; align-items: center; gap: 0.3em; font-weight: 700; white-space: nowrap; }
.shape { flex: none; fill: currentColor; stroke: currentColor; }
.status--met { color: #007f3b; }
.status--at-risk { color: #8a4600; }
.status--breached { color: #c4221a; }
.status--no-data, .status--not-evaluated { color: #4c6272; }
.bar { display: flex; flex-wrap: wrap; align-items: center; gap: 0.15em 0.5em; }
.bar-svg { flex: none; }
.bar-track { fill: #e8edee; }
.bar-fill--met { fill: #007f3b; }
.bar-fill--at-risk { fill: #b35c00; }
.bar-fill--breached { fill: #c4221a; }
.bar-fill--no-data, .bar-fill--not-evaluated { fill: #768692; }
.bar-target { fill: #212b32; }
.bar-scale { flex-basis: 100%; font-size: 0.75em; color: #4c6272; }
.against { color: #4c6272; }
.note { font-size: 0.9em; color: #4c6272; margin: 0.25em 0 0; }
table { width: 100%; border-collapse: collapse; margin: 0.75em 0 1.5em; font-size: 0.9em; }
caption { text-align: left; font-weight: 700; padding: 0.25em 0; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { text-align: left; vertical-align: top; padding: 0.35em 0.5em 0.35em 0; border-bottom: 1px solid #aeb7bd; overflow-wrap: break-word; }
th { border-bottom: 2px solid #212b32; }
.cell-label { display: none; }
.empty { color: #4c6272; }
@media screen and (max-width: 40em) {
  main { padding: 0.75em; }
  h1 { font-size: 1.5em; }
  .facts { grid-template-columns: minmax(0, 1fr); }
  .facts dd { margin-bottom: 0.5em; }
  table, tbody, tr, td, caption { display: block; width: 100%; }
  thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
  tr { border-bottom: 2px solid #212b32; padding: 0.5em 0; }
  td { border: 0; padding: 0.15em 0; }
  .cell-label { display: block; font-weight: 700; font-size: 0.8em; color: #4c6272; }
}
@media print {
  body { font-size: 9.5pt; }
  main { max-width: none; padding: 0; }
  h1 { font-size: 18pt; }
  .summary { break-after: page; }
  table { font-size: 8.5pt; }
}
`;

/**
 * The Content-Security-Policy to serve the page with: its one style block by hash, nothing else at all
 * (no script, no fetch), so the strict policy of the rest of Vantage still holds.
 */
export function reportContentSecurityPolicy(): string {
  const hash = createHash('sha256').update(REPORT_CSS).digest('base64');
  return `default-src 'none'; style-src 'sha256-${hash}'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
}
