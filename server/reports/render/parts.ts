import { figureText, lowerIsBetter, type ReportStatus, STATUS_WORDS, targetText } from './format.js';
import { html, type Part, Safe } from './html.js';

/** Each status has a shape of its own beside its word, so it never rests on colour alone. */
const SHAPES: Record<ReportStatus, string> = {
  met: '<circle cx="6" cy="6" r="5"/>',
  'at-risk': '<path d="M6 1 L11 11 L1 11 Z"/>',
  breached: '<path d="M1 1 H11 V11 H1 Z"/>',
  'no-data': '<circle cx="6" cy="6" r="4" fill="none" stroke-width="2"/>',
  'not-evaluated': '<path d="M1 5 H11 V7 H1 Z"/>',
};

export function statusBadge(status: ReportStatus): Safe {
  // The shapes are fixed markup of this file, never data.
  const shape = html`<svg class="shape" viewBox="0 0 12 12" width="12" height="12" aria-hidden="true">${new Safe(SHAPES[status])}</svg>`;
  return html`<span class="status status--${status}" data-status="${status}">${shape} ${STATUS_WORDS[status]}</span>`;
}

const BAR_WIDTH = 160;

/**
 * A figure against its target as a bar, with the numbers in text beside it (the bar is a picture of
 * them, hidden from screen readers). Availability is drawn on a scale that starts below the lower of the
 * figure and the target, so a gap of a tenth of a point can be seen; the scale's ends are written under it.
 */
export function figureBar(unit: string, value: number | null, target: number, status: ReportStatus): Safe {
  const words = html`<span class="bar-text">${figureText(unit, value)} <span class="against">against ${targetText(unit, target)}</span></span>`;
  if (value === null) return html`<div class="bar">${words}</div>`;
  const [lo, hi] = scale(unit, value, target);
  const x = (v: number) => Math.max(0, Math.min(BAR_WIDTH, ((v - lo) / (hi - lo)) * BAR_WIDTH));
  const ends =
    unit === '%' ? `scale ${lo}% to ${hi}%` : `scale ${figureText(unit, lo)} to ${figureText(unit, hi)}`;
  const direction = lowerIsBetter(unit) ? 'lower is better' : 'higher is better';
  return html`<div class="bar"><svg class="bar-svg" viewBox="0 0 ${BAR_WIDTH} 16" width="${BAR_WIDTH}" height="16" aria-hidden="true"><rect class="bar-track" x="0" y="3" width="${BAR_WIDTH}" height="10"/><rect class="bar-fill bar-fill--${status}" x="0" y="3" width="${x(value).toFixed(1)}" height="10"/><rect class="bar-target" x="${(x(target) - 1).toFixed(1)}" y="0" width="2" height="16"/></svg>${words}<span class="bar-scale">${ends}, the mark is the target, ${direction}</span></div>`;
}

function scale(unit: string, value: number, target: number): [number, number] {
  if (unit === '%') {
    const worst = Math.min(value, target);
    const lo = Math.max(0, Math.floor((100 - 2 * (100 - worst)) * 10) / 10);
    return [lo, 100];
  }
  const top = Math.max(value, target) * 1.25;
  return [0, niceCeil(top)];
}

function niceCeil(v: number): number {
  if (v <= 0) return 1;
  const step = 10 ** Math.floor(Math.log10(v));
  return Math.ceil(v / step) * step;
}

/**
 * A table that repeats its header on every printed page and keeps each row whole. On a narrow screen
 * each row becomes a card, each cell labelled with its column (the label is hidden from screen readers,
 * which read the header).
 */
export function table(caption: string, headings: string[], rows: Part[][], className = ''): Safe {
  if (rows.length === 0) return html`<p class="empty">${caption}: none in this period.</p>`;
  return html`<table class="${className}"><caption>${caption}</caption><thead><tr>${headings.map(
    (h) => html`<th scope="col">${h}</th>`,
  )}</tr></thead><tbody>${rows.map(
    (row) =>
      html`<tr>${row.map((cell, i) => html`<td><span class="cell-label" aria-hidden="true">${headings[i] ?? ''}</span>${cell}</td>`)}</tr>`,
  )}</tbody></table>`;
}

/**
 * A page and a PDF are for reading: a table longer than this shows its worst rows and says where the
 * rest are. A large estate has tens of thousands of items, which no board reads and no printer takes.
 */
export const MOST_ROWS = 50;

/** The first `MOST_ROWS` of rows already worst first, and the words that say what was left out. */
export function worstRows<T>(rows: readonly T[], what: string, rest: string): { rows: T[]; note: string } {
  if (rows.length <= MOST_ROWS) return { rows: [...rows], note: '' };
  return {
    rows: rows.slice(0, MOST_ROWS),
    note: `The ${MOST_ROWS} worst of ${rows.length.toLocaleString('en-GB')} ${what} are shown; ${rest}.`,
  };
}
