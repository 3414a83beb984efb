import { getJson } from '../api.js';
import { chartFigure } from '../charts.js';
import { h } from '../dom.js';
import { count } from '../format.js';
import { responsiveTable } from '../table.js';
import {
  barOptions,
  type CompareResponse,
  instrumentName,
  interval,
  lines,
  one,
  rowHeight,
  signed,
  withheld,
} from './survey-shared.js';

function yearOnYear(
  compared: CompareResponse,
  systemName: (id: string) => string,
  mark: string,
): HTMLElement {
  const systems = [...compared.systems].sort((a, b) =>
    systemName(a.system).localeCompare(systemName(b.system)),
  );
  const shown = systems.flatMap((s) =>
    s.withheld || !s.score ? [] : [{ system: s.system, score: s.score }],
  );
  const verdict = (changed: boolean) => (changed ? 'changed' : 'no clear change');
  const table = responsiveTable(
    `${compared.before} compared with ${compared.after}: mean score per system${mark}`,
    ['System', 'Instrument', compared.before, compared.after, 'Difference', '95% interval', 'Change'],
    systems.map((s) => {
      if (s.withheld || !s.score)
        return [systemName(s.system), instrumentName(s.instrument), withheld(s.reason), '—', '—', '—', '—'];
      const { before, after, difference, ci95, changed } = s.score;
      return [
        systemName(s.system),
        instrumentName(s.instrument),
        `${one(before.mean)} (n\u00a0=\u00a0${count(before.n)})`,
        `${one(after.mean)} (n\u00a0=\u00a0${count(after.n)})`,
        signed(difference),
        interval(ci95, true),
        h(
          'strong',
          { class: `nhsuk-tag ${changed ? 'nhsuk-tag--blue' : 'nhsuk-tag--grey'}` },
          verdict(changed),
        ),
      ];
    }),
    systems.map((s) => `compare-${s.system}`),
  );
  return h(
    'div',
    {},
    h(
      'p',
      { class: 'nhsuk-body' },
      `Each system’s mean score in ${compared.before} and ${compared.after}. A difference is called a change only when its 95% interval does not include 0; otherwise there is no clear change.`,
    ),
    shown.length === 0
      ? table
      : chartFigure(
          `Mean usability score by system, ${compared.before} and ${compared.after}${mark}`,
          {
            type: 'bar',
            data: {
              labels: shown.map(({ system, score }) =>
                lines(`${systemName(system)} (${signed(score.difference)}, ${verdict(score.changed)})`),
              ),
              datasets: [
                {
                  label: compared.before,
                  data: shown.map(({ score }) => score.before.mean),
                  backgroundColor: '#768692',
                },
                {
                  label: compared.after,
                  data: shown.map(({ score }) => score.after.mean),
                  backgroundColor: '#005eb8',
                },
              ],
            },
            options: barOptions(0, 100, 'Score out of 100'),
          },
          table,
          Math.max(200, shown.length * rowHeight() + 80),
        ),
  );
}

export async function compareSection(
  id: string,
  other: string,
  systemName: (id: string) => string,
  mark: string,
) {
  let body: HTMLElement;
  try {
    const compared = await getJson<CompareResponse>(
      `/api/v1/surveys/${encodeURIComponent(id)}/compare?with=${encodeURIComponent(other)}`,
    );
    body = yearOnYear(compared, systemName, mark);
  } catch (error) {
    body = h(
      'div',
      { class: 'nhsuk-inset-text', 'data-testid': 'compare-problem' },
      h(
        'p',
        {},
        `The comparison with ${other} cannot be shown: ${error instanceof Error ? error.message : 'the server gave no reason'}.`,
      ),
    );
  }
  return h(
    'section',
    { 'aria-labelledby': 'survey-compare' },
    h('h2', { id: 'survey-compare' }, `Year on year: compared with ${other}`),
    body,
  );
}

/**
 * A staff usability survey's results: each system's score, the same by organisation, site and staff
 * group (small groups withheld), staff views of IT at their site, and optionally year on year. The
 * campaign comes from the address only: the dashboard does not list surveys yet.
 */
