import { h } from '../dom.js';
import { metricValue, statusTag, targetText } from '../principle-parts.js';
import type { OverviewResponse } from '../types.js';
import { changeText } from './change.js';

type Scorecard = OverviewResponse['scorecard'];
type Counts = Scorecard['counts'];

const KINDS = [
  ['met', '✓', 'Met'],
  ['at-risk', '▲', 'At risk'],
  ['breached', '✕', 'Breached'],
  ['no-data', '○', 'No data'],
] as const;

/** Counts in short: "✓1 ▲0 ✕2 ○0" shown, "1 met, 0 at risk, 2 breached, 0 no data" read. */
function countsShort(counts: Counts): HTMLElement {
  return h(
    'span',
    { class: 'vantage-counts' },
    h('span', { 'aria-hidden': 'true' }, KINDS.map(([kind, shape]) => `${shape}${counts[kind]}`).join(' ')),
    h(
      'span',
      { class: 'nhsuk-u-visually-hidden' },
      KINDS.map(([kind, , words]) => `${counts[kind]} ${words.toLowerCase()}`).join(', '),
    ),
  );
}

/** "7 met, 2 at risk, 1 breached, 0 no data" with each status's shape. */
export function countsLine(counts: Counts): string {
  return KINDS.map(([kind, shape, words]) => `${shape} ${counts[kind]} ${words.toLowerCase()}`).join(', ');
}

const scrollBox = (label: string, child: HTMLElement, size: string) =>
  h(
    'div',
    { class: `vantage-overview__box ${size}`, role: 'region', 'aria-label': label, tabindex: 0 },
    child,
  );

/** The principles by status for the economy, by organisation, and each principle against the period before. */
export function scorecardSection(scorecard: Scorecard, previousWords: string): HTMLElement {
  const organisations = [...scorecard.organisations].sort(
    (a, b) =>
      b.counts.breached - a.counts.breached ||
      b.counts['at-risk'] - a.counts['at-risk'] ||
      a.name.localeCompare(b.name),
  );
  const byOrganisation = h(
    'table',
    { class: 'vantage-compact', 'data-testid': 'scorecard-organisations' },
    h(
      'caption',
      { class: 'nhsuk-u-visually-hidden' },
      'Principles by status for each organisation (what it hosts and owns)',
    ),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Organisation'),
        ...KINDS.map(([, shape, words]) =>
          h('th', { scope: 'col' }, h('span', { 'aria-hidden': 'true' }, `${shape} `), words),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      ...organisations.map((org) =>
        h(
          'tr',
          { 'data-organisation': org.id },
          h('th', { scope: 'row' }, h('a', { href: org.href }, org.name)),
          ...KINDS.map(([kind]) => h('td', { 'data-kind': kind }, String(org.counts[kind]))),
        ),
      ),
    ),
  );
  const byPrinciple = h(
    'table',
    { class: 'vantage-compact', 'data-testid': 'scorecard-principles' },
    h(
      'caption',
      { class: 'nhsuk-u-visually-hidden' },
      `Each principle for the whole economy, and its change from ${previousWords}`,
    ),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Principle'),
        h('th', { scope: 'col' }, 'Status'),
        h('th', { scope: 'col' }, 'Figure and target'),
        h('th', { scope: 'col' }, 'Change from before'),
        h('th', { scope: 'col' }, 'Organisations'),
      ),
    ),
    h(
      'tbody',
      {},
      ...scorecard.principles.map((p) =>
        h(
          'tr',
          { 'data-principle': p.id },
          h('th', { scope: 'row' }, h('a', { href: p.href }, p.title)),
          h('td', {}, statusTag(p.status)),
          h(
            'td',
            { 'data-testid': `value-${p.id}` },
            p.status === 'not-evaluated' ? '—' : metricValue(p.metric, p.value),
            h(
              'span',
              { class: 'vantage-overview__target' },
              ` ${targetText(p.metric, p.target, p.percentile)}`,
            ),
          ),
          h('td', { 'data-testid': `change-${p.id}` }, changeText(p.metric, p.change, p.better)),
          h('td', {}, countsShort(p.counts)),
        ),
      ),
    ),
  );
  return h(
    'section',
    { class: 'vantage-overview__scorecard', 'aria-labelledby': 'scorecard-heading' },
    h('h2', { class: 'nhsuk-heading-s', id: 'scorecard-heading' }, 'Principles scorecard'),
    h(
      'p',
      { class: 'nhsuk-body-s', 'data-testid': 'scorecard-counts' },
      `Whole economy: ${countsLine(scorecard.counts)}.`,
      h('span', { class: 'vantage-overview__before' }, ` Before: ${countsLine(scorecard.previousCounts)}.`),
    ),
    scrollBox('Scorecard by principle', byPrinciple, 'vantage-overview__box--principles'),
    scrollBox('Scorecard by organisation', byOrganisation, 'vantage-overview__box--organisations'),
  );
}
