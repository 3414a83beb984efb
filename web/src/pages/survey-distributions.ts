import {
  type ChoiceItem,
  type InstrumentId,
  instrumentIds,
  instrumentItems,
  perSystemItems,
  type ScaleItem,
  siteItems,
} from '../../../surveys/instruments.js';
import { chartFigure } from '../charts.js';
import { h } from '../dom.js';
import { count } from '../format.js';
import { responsiveTable } from '../table.js';
import {
  barOptions,
  type Distribution,
  instrumentName,
  itemText,
  labelledHeight,
  lines,
  one,
  withheld,
} from './survey-shared.js';

/** How people answered each question, as the share giving each answer, in charts and tables. */

type Option = (ScaleItem | ChoiceItem)['options'][number];
type Asked = { key: string; item: ScaleItem | ChoiceItem };
interface Group {
  /** The system's name, or the site's part: what a chart's caption is about. */
  name: string;
  heading: string;
  asked: Asked[];
}

/** ColorBrewer's single-hue Blues, light to dark: ordered answers read in order, for any colour vision. */
const SEQUENTIAL = ['#c6dbef', '#9ecae1', '#6baed6', '#4292c6', '#2171b5', '#08519c', '#08306b'];
const OPT_OUT = '#aeb7bd';
const WITHHELD = '#4c6272';
const WITHHELD_LABEL = 'Withheld (small numbers)';

const isInstrument = (id: string | undefined): id is InstrumentId =>
  instrumentIds.includes(id as InstrumentId);
const percentOf = (part: number, whole: number) => (whole > 0 ? (part / whole) * 100 : 0);
const rowId = (key: string) => `answers-${key.replaceAll(/[^A-Za-z0-9-]/g, '-')}`;

/** "1 Strongly disagree" and "2" for a scale, where the number is the answer; a choice's own words. */
function optionLabel(option: Option): string {
  if (typeof option.value === 'string') return option.label ?? option.value;
  return option.label ? `${option.value} ${option.label}` : String(option.value);
}

/** Ordered answers shade from light to dark; opt-outs are grey, apart from the scale. */
function colours(options: readonly Option[]): string[] {
  const ordered = options.filter((option) => !option.optOut).length;
  let step = 0;
  return options.map((option) => {
    if (option.optOut) return OPT_OUT;
    const at = ordered > 1 ? Math.round((step++ * (SEQUENTIAL.length - 1)) / (ordered - 1)) : 3;
    return SEQUENTIAL[at] ?? OPT_OUT;
  });
}

/**
 * One group per rated system (its instrument's items, then its availability and speed), then the
 * items about the respondent's site; only items the server sent.
 */
function groupsOf(
  distributions: Record<string, Distribution>,
  instrumentOf: Record<string, string>,
  systemName: (id: string) => string,
): Group[] {
  const keys = Object.keys(distributions);
  const systems = new Set([
    ...Object.keys(instrumentOf),
    ...keys.filter((key) => key.includes('/')).map((key) => key.slice(0, key.indexOf('/'))),
  ]);
  const groups: Group[] = [...systems]
    .sort((a, b) => systemName(a).localeCompare(systemName(b)))
    .map((system) => {
      const instrument = instrumentOf[system];
      const items = [...(isInstrument(instrument) ? instrumentItems(instrument) : []), ...perSystemItems];
      return {
        name: systemName(system),
        heading: isInstrument(instrument)
          ? `${systemName(system)} (${instrumentName(instrument)})`
          : systemName(system),
        asked: items.map((item) => ({ key: `${system}/${item.id}`, item })),
      };
    });
  groups.push({
    name: 'IT at your site',
    heading: 'IT at your site',
    asked: siteItems.map((item) => ({ key: item.id, item })),
  });
  return groups
    .map((group) => ({ ...group, asked: group.asked.filter(({ key }) => distributions[key]) }))
    .filter((group) => group.asked.length > 0);
}

/** A group's items split by their answers, in item order, so every bar of a chart has the same parts. */
function byOptions(asked: Asked[]): Asked[][] {
  const sets = new Map<string, Asked[]>();
  for (const question of asked) {
    const options = JSON.stringify(question.item.options);
    sets.set(options, [...(sets.get(options) ?? []), question]);
  }
  return [...sets.values()];
}

/** A 100% stacked bar per item, one part per answer, with the counts as a table. */
function answersFigure(
  name: string,
  asked: Asked[],
  distributions: Record<string, Distribution>,
  systemName: (id: string) => string,
  mark: string,
): HTMLElement {
  const options = asked[0]?.item.options ?? [];
  const rows = asked.map(({ key }) => ({
    key,
    text: itemText(key, systemName),
    answers: distributions[key],
  }));
  const ordered = options.filter((option) => !option.optOut);
  const [first, last] = [ordered[0], ordered.at(-1)];
  const kind = rows.every(({ text }) => text.endsWith('?')) ? 'questions' : 'statements';
  const about =
    rows.length === 1 || !first || !last
      ? `${name}: ${rows.map(({ text }) => text).join(' ')}`
      : `${name}: ${rows.length} ${kind}, from “${optionLabel(first)}” to “${optionLabel(last)}”`;
  const table = responsiveTable(
    `Number and percentage giving each answer. ${about}${mark}`,
    ['Question', 'Responses', ...options.map(optionLabel)],
    rows.map(({ text, answers }) => {
      if (!answers || answers.n === null) return [text, withheld(answers?.reason), ...options.map(() => '—')];
      const { n, counts } = answers;
      return [
        text,
        count(n),
        ...options.map((option) => {
          const found = counts[String(option.value)];
          if (found === null) return 'Withheld';
          return `${count(found ?? 0)} (${one(percentOf(found ?? 0, n))}%)`;
        }),
      ];
    }),
    rows.map(({ key }) => rowId(key)),
  );
  const shown = rows.flatMap(({ text, answers }) =>
    answers && answers.n !== null ? [{ text, n: answers.n, counts: answers.counts }] : [],
  );
  if (shown.length === 0) return table;

  const palette = colours(options);
  const datasets = options.map((option, i) => ({
    label: optionLabel(option),
    data: shown.map(({ n, counts }) => {
      const found = counts[String(option.value)];
      return found === null ? null : percentOf(found ?? 0, n);
    }),
    backgroundColor: palette[i],
  }));
  // The withheld answers together are n minus those shown: safe to draw, since n is shown.
  const unseen = shown.map(({ n, counts }) =>
    percentOf(n - Object.values(counts).reduce<number>((sum, c) => sum + (c ?? 0), 0), n),
  );
  if (unseen.some((share) => share > 0))
    datasets.push({ label: WITHHELD_LABEL, data: unseen, backgroundColor: WITHHELD });
  const labels = shown.map(({ text, n }) => lines(`${text} (n\u00a0=\u00a0${count(n)})`));
  const base = barOptions(0, 100, '% of responses');
  return chartFigure(
    `Percentage giving each answer. ${about}${mark}`,
    {
      type: 'bar',
      data: {
        labels,
        datasets: datasets.map((set) => ({ ...set, borderColor: '#ffffff', borderWidth: 1 })),
      },
      options: {
        ...base,
        scales: { y: { ...base.scales.y, stacked: true }, x: { ...base.scales.x, stacked: true } },
        plugins: {
          tooltip: {
            callbacks: {
              label: (context) => `${context.dataset.label}: ${one(Number(context.parsed.x))}%`,
            },
          },
        },
      },
    },
    table,
    // The legend wraps to a line or two per answer on a phone.
    labelledHeight(labels, 100 + datasets.length * (window.innerWidth < 480 ? 24 : 8)),
  );
}

/** "How people answered": a chart and table per system and for the site, by kind of answer. */
export function distributionsSection(
  distributions: Record<string, Distribution> | undefined,
  instrumentOf: Record<string, string>,
  systemName: (id: string) => string,
  minGroupSize: number,
  mark: string,
): HTMLElement | '' {
  if (!distributions) return '';
  const groups = groupsOf(distributions, instrumentOf, systemName);
  return h(
    'section',
    { 'aria-labelledby': 'survey-answers' },
    h('h2', { id: 'survey-answers' }, 'How people answered'),
    h(
      'p',
      { class: 'nhsuk-body' },
      `The percentage of people giving each answer to each question. Small counts are withheld together with the next smallest, so that none can be worked out; the charts show them together as “${WITHHELD_LABEL}”, in dark grey. A question answered by fewer than ${minGroupSize} people is withheld whole. Answers such as “I don't know” and “Not applicable” are in light grey.`,
    ),
    groups.length === 0 ? h('p', { class: 'nhsuk-body' }, 'No answers to show.') : '',
    ...groups.map((group) =>
      h(
        'div',
        {},
        h('h3', {}, group.heading),
        ...byOptions(group.asked).map((asked) =>
          answersFigure(group.name, asked, distributions, systemName, mark),
        ),
      ),
    ),
  );
}
