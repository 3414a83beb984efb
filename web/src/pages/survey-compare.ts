import { type InstrumentId, instruments } from '../../../surveys/instruments.js';
import { getJson } from '../api.js';
import { chartFigure } from '../charts.js';
import { h } from '../dom.js';
import { count } from '../format.js';
import { responsiveTable } from '../table.js';
import {
  barOptions,
  type ComparedItem,
  type CompareResponse,
  instrumentName,
  interval,
  itemText,
  labelledHeight,
  lines,
  type Mean,
  one,
  rowHeight,
  signed,
  withheld,
} from './survey-shared.js';

const meanOf = ({ n, mean }: Mean) => `${one(mean)} (n\u00a0=\u00a0${count(n)})`;

/** Each item's mean answer in both years, and its difference drawn with its interval around 0. */
function itemByItem(
  system: string,
  instrument: string,
  items: ComparedItem[],
  compared: CompareResponse,
  systemName: (id: string) => string,
  mark: string,
): HTMLElement {
  const text = (item: string) => itemText(`${system}/${item}`, systemName);
  const verdict = (changed: boolean | undefined) => (changed === true ? 'Changed' : 'No clear change');
  const table = responsiveTable(
    `${systemName(system)}: mean answer to each statement, ${compared.before} and ${compared.after}${mark}`,
    ['Statement', compared.before, compared.after, 'Difference', '95% interval', 'Change'],
    items.map(({ item, before, after, difference, ci95, changed }) => [
      text(item),
      before ? meanOf(before) : '—',
      after ? meanOf(after) : '—',
      difference === undefined ? '—' : signed(difference),
      ci95 ? interval(ci95, true) : '—',
      h(
        'strong',
        { class: `nhsuk-tag ${changed === true ? 'nhsuk-tag--blue' : 'nhsuk-tag--grey'}` },
        verdict(changed),
      ),
    ]),
    items.map(({ item }) => `compare-${system}-${item}`),
  );
  const shown = items.flatMap(({ item, difference, ci95, changed }) =>
    difference !== undefined && ci95 ? [{ item, difference, ci95, changed }] : [],
  );
  // Around 0 and the same either side, so a rise and a fall of the same size look the same size.
  const reach = Math.max(
    0.5,
    ...shown.flatMap(({ ci95 }) => ci95.map((end) => Math.ceil(Math.abs(end) * 2) / 2)),
  );
  const labels = shown.map(({ item, difference, changed }) =>
    lines(`${text(item)} (${signed(difference)}, ${verdict(changed).toLowerCase()})`),
  );
  const scale = instrument in instruments ? instruments[instrument as InstrumentId].scale : undefined;
  return h(
    'div',
    {},
    h('h3', {}, `${systemName(system)}: item by item`),
    h(
      'p',
      { class: 'nhsuk-body' },
      `The mean answer to each ${instrumentName(instrument)} statement${scale ? `, from ${scale[0]} (strongly disagree) to ${scale[1]} (strongly agree)` : ''}, each year.`,
      instrument === 'sus'
        ? ' The even-numbered SUS statements are worded negatively, so for them a fall is an improvement.'
        : '',
      ' The thin dark bar is the 95% interval of the difference.',
    ),
    shown.length === 0
      ? table
      : chartFigure(
          `${systemName(system)}: difference in the mean answer to each statement, ${compared.after} minus ${compared.before}, with 95% intervals${mark}`,
          {
            type: 'bar',
            data: {
              labels,
              datasets: [
                {
                  label: '95% interval',
                  data: shown.map(({ ci95 }) => ci95),
                  backgroundColor: '#212b32',
                  grouped: false,
                  barPercentage: 0.15,
                },
                {
                  label: 'Difference',
                  data: shown.map(({ difference }) => difference),
                  backgroundColor: '#005eb8',
                  grouped: false,
                },
              ],
            },
            options: {
              ...barOptions(-reach, reach, 'Difference in mean answer'),
              plugins: { legend: { display: false } },
            },
          },
          table,
          labelledHeight(labels),
        ),
  );
}

/** Year on year: each system's mean before and after, and whether the difference is a clear change. */
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
    ...systems.flatMap((s) =>
      !s.withheld && s.items && s.items.length > 0
        ? [itemByItem(s.system, s.instrument, s.items, compared, systemName, mark)]
        : [],
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
