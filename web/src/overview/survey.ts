import { h } from '../dom.js';
import type { OverviewResponse } from '../types.js';
import { changeText } from './change.js';

type Headline = NonNullable<OverviewResponse['survey']>;

const score = (n: number) => n.toLocaleString('en-GB', { maximumFractionDigits: 1 });

/** The latest published campaign: each system's score against its target, and its change. */
export function surveySection(headline: Headline | null): HTMLElement {
  const heading = h('h2', { class: 'nhsuk-heading-s', id: 'survey-heading' }, 'What staff say');
  const section = (...children: (HTMLElement | string)[]) =>
    h(
      'section',
      {
        class: 'vantage-overview__survey',
        'aria-labelledby': 'survey-heading',
        'data-testid': 'survey-headline',
      },
      heading,
      ...children,
    );
  if (!headline)
    return section(h('p', { class: 'nhsuk-body-s' }, 'No survey campaign has published its results yet.'));
  const before = headline.previousSurvey ? headline.previousSurvey.title : 'the campaign before';
  return section(
    h(
      'p',
      { class: 'nhsuk-body-s' },
      h('a', { href: `/surveys/${headline.survey.id}` }, headline.survey.title),
      headline.previousSurvey ? `, compared with ${headline.previousSurvey.title}` : ', the first campaign',
      '.',
    ),
    h(
      'div',
      { class: 'vantage-overview__box', role: 'region', 'aria-label': 'Survey scores', tabindex: 0 },
      h(
        'table',
        { class: 'vantage-compact' },
        h(
          'caption',
          { class: 'nhsuk-u-visually-hidden' },
          'Each rated system’s score against its principle’s target',
        ),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'System'),
            h('th', { scope: 'col' }, 'Score'),
            h('th', { scope: 'col' }, 'Target'),
            h('th', { scope: 'col' }, `Change from ${before}`),
          ),
        ),
        h(
          'tbody',
          {},
          ...headline.systems.map((s) =>
            h(
              'tr',
              { 'data-system': s.system },
              h('th', { scope: 'row' }, s.name),
              h(
                'td',
                {},
                s.withheld
                  ? 'withheld (too few responses)'
                  : s.score === null
                    ? 'no responses'
                    : `${score(s.score)} (${s.instrument === 'sus' ? 'SUS' : 'UMUX-Lite'}, ${s.responses} responses)`,
              ),
              h(
                'td',
                {},
                s.principle === null
                  ? 'no principle'
                  : `${s.status === 'met' ? '✓ met' : s.status === 'breached' ? '✕ below' : '○ no figure'} (≥ ${s.principle.target})`,
              ),
              h('td', {}, changeText('survey-score', s.change, s.change === null ? null : s.change > 0)),
            ),
          ),
        ),
      ),
    ),
  );
}
