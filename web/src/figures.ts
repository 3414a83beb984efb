import { chartFigure } from './charts.js';
import { h } from './dom.js';
import type { EstateNames } from './estate-names.js';
import { metricValue, minutes, ROLE_WORDS, statusTag, targetText } from './principle-parts.js';
import { responsiveTable } from './table.js';
import type { ComplianceItem } from './types.js';

/** A figure as the server judged it: an item, a system, a site, an organisation. */
export type Figure = Omit<ComplianceItem, 'site' | 'system'>;
export type Attributed = Figure['attribution'][number];

function row(key: string, ...value: (Node | string)[]): HTMLElement {
  return h(
    'div',
    { class: 'nhsuk-summary-list__row' },
    h('dt', { class: 'nhsuk-summary-list__key' }, key),
    h('dd', { class: 'nhsuk-summary-list__value' }, ...value),
  );
}

/** Up, down, maintenance and unknown minutes in a line each. */
export function minutesList(m: Figure['minutes'] | undefined): HTMLElement | string {
  if (!m) return '—';
  return h(
    'ul',
    { class: 'nhsuk-list vantage-minutes' },
    h('li', {}, `Up ${minutes(m.up)}`),
    h('li', {}, `Down ${minutes(m.down)}`),
    h('li', {}, `Maintenance ${minutes(m.maintenance)}`),
    h('li', {}, `Unknown ${minutes(m.unknown)}`),
  );
}

export function budgetList(b: Figure['budget'] | undefined): HTMLElement | string {
  if (!b) return '—';
  return h(
    'ul',
    { class: 'nhsuk-list vantage-minutes' },
    h('li', {}, `Allowed ${minutes(b.allowed)}`),
    h('li', {}, `Spent ${minutes(b.spent)}`),
    h('li', {}, b.left < 0 ? `Overspent by ${minutes(-b.left)}` : `Left ${minutes(b.left)}`),
  );
}

/** Whose down minutes, in a line each: "Riverside (system owner) 45 min". */
export function whoseList(attribution: Attributed[] | undefined, names: EstateNames): HTMLElement | string {
  if (!attribution || attribution.length === 0) return 'No down minutes';
  return h(
    'ul',
    { class: 'nhsuk-list vantage-minutes' },
    ...attribution.map((a) =>
      h('li', {}, names.organisationLink(a.organisation), ` (${ROLE_WORDS[a.role]}) ${minutes(a.minutes)}`),
    ),
  );
}

/**
 * A figure in full: status, value against target, the minutes, the budget and its burn. A metric
 * counted otherwise than in minutes (a survey score) may come without them: only what it has is shown.
 */
export function figureSummary(figure: Figure, metric: string, testId: string): HTMLElement {
  const burn = figure.burn as Figure['burn'] | undefined;
  return h(
    'dl',
    { class: 'nhsuk-summary-list', 'data-testid': testId },
    row('Status', statusTag(figure.status)),
    row('Value', `${metricValue(metric, figure.value)} (target ${targetText(metric, figure.target)})`),
    figure.minutes ? row('Minutes', minutesList(figure.minutes)) : '',
    figure.budget ? row('Error budget', budgetList(figure.budget)) : '',
    burn
      ? row(
          'Burn (down minutes at the end of the period)',
          `last hour ${minutes(burn['1h'])}, 6 hours ${minutes(burn['6h'])}, day ${minutes(burn['1d'])}, 3 days ${minutes(burn['3d'])}`,
        )
      : '',
  );
}

/** Down minutes by organisation and role, summed: whose they are. */
export function sumAttribution(lists: (Attributed[] | undefined)[]): Attributed[] {
  const sums = new Map<string, Attributed>();
  for (const a of lists.flatMap((list) => list ?? [])) {
    const key = `${a.organisation ?? ''}|${a.role}`;
    const seen = sums.get(key);
    if (seen) seen.minutes += a.minutes;
    else sums.set(key, { ...a });
  }
  return [...sums.values()].sort((a, b) => b.minutes - a.minutes);
}

/** Whose down minutes as a bar chart, with the table as its alternative. */
export function attributionFigure(title: string, attribution: Attributed[], names: EstateNames): HTMLElement {
  // In lines of at most 20 characters, so a long name still fits beside the bars on a phone.
  const labels = attribution.map((a) => [
    ...wrap(names.organisation(a.organisation), 20),
    `(${ROLE_WORDS[a.role]})`,
  ]);
  const table = responsiveTable(
    'Down minutes by organisation and role',
    ['Organisation', 'Role', 'Down minutes'],
    attribution.map((a) => [names.organisationLink(a.organisation), ROLE_WORDS[a.role], minutes(a.minutes)]),
  );
  if (attribution.length === 0) return h('p', { class: 'nhsuk-body' }, 'No down minutes to attribute.');
  return chartFigure(
    title,
    {
      type: 'bar',
      data: {
        labels,
        datasets: [
          {
            label: 'Down minutes',
            data: attribution.map((a) => a.minutes),
            backgroundColor: attribution.map((a) => (a.role === 'owner' ? '#005eb8' : '#ffb81c')),
          },
        ],
      },
      options: {
        indexAxis: 'y',
        plugins: { legend: { display: false } },
        scales: { x: { title: { display: true, text: 'minutes' }, beginAtZero: true } },
      },
    },
    table,
    Math.max(160, 60 + attribution.length * 64),
  );
}

/** Words in lines of at most `width` characters (a longer word has a line of its own). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= width)
      lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}
