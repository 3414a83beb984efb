import { chartFigure } from '../charts.js';
import { h } from '../dom.js';
import { count } from '../format.js';
import { responsiveTable } from '../table.js';
import {
  barOptions,
  interval,
  itemText,
  lines,
  type Net,
  one,
  type ResultsResponse,
  rowHeight,
  type Score,
  signed,
  withheld,
} from './survey-shared.js';

/** Net agreement (% agree − % disagree) with each infrastructure statement, around 0. */
export function infrastructure(
  infra: Record<string, Net>,
  systemName: (id: string) => string,
  mark: string,
): HTMLElement {
  const keys = Object.keys(infra).sort((a, b) =>
    itemText(a, systemName).localeCompare(itemText(b, systemName)),
  );
  const shown = keys.flatMap((key) => {
    const net = infra[key];
    return net && !net.withheld ? [{ key, net }] : [];
  });
  const table = responsiveTable(
    `IT at your site: net agreement (% agree minus % disagree) with its 95% interval${mark}`,
    ['Statement', 'Responses', 'Net agreement', '95% interval', 'On balance'],
    keys.map((key) => {
      const net = infra[key] as Net;
      if (net.withheld) return [itemText(key, systemName), withheld(net.reason), '—', '—', '—'];
      return [
        itemText(key, systemName),
        count(net.n),
        signed(net.net),
        interval(net.ci95, true),
        net.ci95[0] > 0 ? 'More agree' : net.ci95[1] < 0 ? 'More disagree' : 'No clear balance',
      ];
    }),
  );
  return h(
    'section',
    { 'aria-labelledby': 'survey-infra' },
    h('h2', { id: 'survey-infra' }, 'IT at your site'),
    h(
      'p',
      { class: 'nhsuk-body' },
      'Net agreement is the percentage who agree minus the percentage who disagree, from −100 (everyone disagrees) to +100 (everyone agrees). “On balance” says more agree or disagree only when the 95% interval is wholly on one side of 0. The thin dark bar is the 95% interval.',
    ),
    keys.length === 0
      ? h('p', { class: 'nhsuk-body' }, 'No answers to these questions.')
      : shown.length === 0
        ? table
        : chartFigure(
            `Net agreement with each statement, with 95% intervals${mark}`,
            {
              type: 'bar',
              data: {
                labels: shown.map(({ key, net }) =>
                  lines(`${itemText(key, systemName)} (n\u00a0=\u00a0${count(net.n)})`),
                ),
                datasets: [
                  {
                    label: '95% interval',
                    data: shown.map(({ net }) => net.ci95),
                    backgroundColor: '#212b32',
                    grouped: false,
                    barPercentage: 0.15,
                  },
                  {
                    label: 'Net agreement',
                    data: shown.map(({ net }) => net.net),
                    backgroundColor: shown.map(({ net }) => (net.net >= 0 ? '#007f3b' : '#d5281b')),
                    grouped: false,
                  },
                ],
              },
              options: {
                ...barOptions(-100, 100, '% agree minus % disagree'),
                plugins: { legend: { display: false } },
              },
            },
            table,
            Math.max(240, shown.length * rowHeight() + 80),
          ),
  );
}

/** A breakdown's table: each group's responses and each system's mean; small groups withheld. */
export function breakdown(
  heading: string,
  anchor: string,
  results: ResultsResponse,
  groupName: (key: string) => string,
  systems: string[],
  systemName: (id: string) => string,
  mark: string,
): HTMLElement {
  const groups = [...results.items].sort((a, b) => groupName(a.key).localeCompare(groupName(b.key)));
  const cell = (score: Score | undefined): Node | string => {
    if (!score) return 'No answers';
    if (score.withheld) return withheld(score.reason);
    return h(
      'span',
      {},
      one(score.mean),
      h('span', { class: 'vantage-note' }, `${interval(score.ci95)}, n\u00a0=\u00a0${count(score.n)}`),
    );
  };
  return h(
    'section',
    { 'aria-labelledby': `survey-${anchor}` },
    h('h2', { id: `survey-${anchor}` }, heading),
    groups.length === 0
      ? h('p', { class: 'nhsuk-body' }, 'No responses yet.')
      : responsiveTable(
          `${heading}: mean score per system, with its 95% interval and number of responses${mark}`,
          [
            heading.replace(/^By /, '').replace(/^./, (c) => c.toUpperCase()),
            'Responses',
            ...systems.map(systemName),
          ],
          groups.map((group) =>
            group.withheld
              ? [groupName(group.key), withheld(group.reason), ...systems.map(() => 'Withheld')]
              : [
                  groupName(group.key),
                  count(group.n ?? 0),
                  ...systems.map((system) => cell(group.scores[system])),
                ],
          ),
          groups.map((group) => `${anchor}-${group.key}`),
        ),
  );
}
