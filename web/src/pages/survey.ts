import type { EstateView } from '../../../server/estate/view.js';
import { infrastructureItems, staffGroups } from '../../../surveys/instruments.js';
import { ApiFailure, getJson } from '../api.js';
import { chartFigure } from '../charts.js';
import { h, listInWords } from '../dom.js';
import { count } from '../format.js';
import { responsiveTable } from '../table.js';

type Interval = [number, number];
type Withheld = { n: null; withheld: true; reason: string };
type Score =
  | {
      instrument: string;
      n: number;
      mean: number;
      ci95: Interval;
      grade?: string;
      susEquivalent?: number;
      withheld?: false;
    }
  | (Withheld & { instrument: string });
type Net = { n: number; net: number; ci95: Interval; withheld?: false } | Withheld;

interface Group {
  key: string;
  n: number | null;
  withheld: boolean;
  reason?: string;
  scores: Record<string, Score>;
  infra: Record<string, Net>;
}

interface ResultsResponse {
  campaign: string;
  title: string;
  by: string;
  minGroupSize: number;
  overall: {
    n: number;
    demo: number;
    scores: Record<string, Score>;
    infra: Record<string, Net>;
  };
  items: Group[];
}

type Mean = { n: number; mean: number };
interface Compared {
  system: string;
  instrument: string;
  withheld: boolean;
  reason?: string;
  score?: { before: Mean; after: Mean; difference: number; ci95: Interval; changed: boolean } | null;
}

interface CompareResponse {
  before: string;
  after: string;
  minGroupSize: number;
  systems: Compared[];
}

const INSTRUMENTS: Record<string, string> = { sus: 'SUS', 'umux-lite': 'UMUX-Lite' };
const instrumentName = (id: string) => INSTRUMENTS[id] ?? id;

const one = (value: number) => value.toFixed(1);
const signed = (value: number) => (value > 0 ? `+${one(value)}` : one(value));
const interval = ([lo, hi]: Interval, sign = false) =>
  sign ? `${signed(lo)} to ${signed(hi)}` : `${one(lo)} to ${one(hi)}`;
const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function withheld(reason: string | undefined): HTMLElement {
  return h('span', { class: 'vantage-withheld' }, h('strong', {}, 'Withheld'), reason ? `: ${reason}` : '');
}

/** Room for a chart row's label of several lines: more on a phone, where labels wrap more. */
const rowHeight = () => (window.innerWidth < 480 ? 96 : 70);

/** A label broken into lines of about `width` characters, so it fits beside a chart on a phone. */
function lines(text: string, width = window.innerWidth < 480 ? 16 : 24): string[] {
  const out: string[] = [];
  for (const word of text.split(' ')) {
    const last = out.at(-1);
    if (last !== undefined && `${last} ${word}`.length <= width) out[out.length - 1] = `${last} ${word}`;
    else out.push(word);
  }
  return out;
}

function grade(score: Score): string {
  if (score.withheld) return '—';
  if (score.grade) return `Grade ${score.grade}`;
  if (score.susEquivalent !== undefined) return `SUS equivalent ${one(score.susEquivalent)}`;
  return '—';
}

/** The NHS warning that generated demo responses are in the figures. */
function demoNotice(demo: number): HTMLElement {
  return h(
    'div',
    { class: 'nhsuk-warning-callout', 'data-testid': 'survey-demo' },
    h(
      'h2',
      { class: 'nhsuk-warning-callout__label' },
      h(
        'span',
        { role: 'text' },
        h('span', { class: 'nhsuk-u-visually-hidden' }, 'Important: '),
        'Demo data',
      ),
    ),
    h(
      'p',
      {},
      `These results include ${count(demo)} generated demo ${demo === 1 ? 'response' : 'responses'}.`,
    ),
  );
}

/** Each system's mean with its 95% interval, drawn as a bar with a floating bar for the interval. */
function usability(
  scores: Record<string, Score>,
  systemName: (id: string) => string,
  mark: string,
): HTMLElement {
  const systems = Object.keys(scores).sort((a, b) => systemName(a).localeCompare(systemName(b)));
  const shown = systems.flatMap((system) => {
    const score = scores[system];
    return score && !score.withheld ? [{ system, score }] : [];
  });
  const hidden = systems.filter((system) => scores[system]?.withheld);
  const table = responsiveTable(
    `Usability by system: mean score out of 100 with its 95% interval${mark}`,
    ['System', 'Instrument', 'Responses', 'Mean', '95% interval', 'Grade or SUS equivalent'],
    systems.map((system) => {
      const score = scores[system] as Score;
      if (score.withheld) {
        return [systemName(system), instrumentName(score.instrument), withheld(score.reason), '—', '—', '—'];
      }
      return [
        systemName(system),
        instrumentName(score.instrument),
        count(score.n),
        one(score.mean),
        interval(score.ci95),
        grade(score),
      ];
    }),
    systems.map((system) => `usability-${system}`),
  );
  return h(
    'section',
    { 'aria-labelledby': 'survey-usability' },
    h('h2', { id: 'survey-usability' }, 'Usability by system'),
    h(
      'p',
      { class: 'nhsuk-body' },
      'Scores are out of 100; higher is easier to use. The EPR is rated on the System Usability Scale (SUS), graded on the Sauro–Lewis curve where C is about average (a SUS score of 68). Other systems are rated on the shorter UMUX-Lite, shown with its SUS equivalent. The thin dark bar is the 95% interval of the mean.',
    ),
    shown.length === 0 ? h('p', { class: 'nhsuk-body' }, 'No system had enough responses to show.') : '',
    hidden.length > 0
      ? h(
          'p',
          { class: 'nhsuk-body', 'data-testid': 'usability-withheld' },
          `Withheld: ${listInWords(hidden.map(systemName))}, rated by fewer than the minimum group size.`,
        )
      : '',
    shown.length === 0
      ? table
      : chartFigure(
          `Mean usability score by system, with 95% intervals${mark}`,
          {
            type: 'bar',
            data: {
              labels: shown.map(({ system, score }) =>
                lines(
                  `${systemName(system)} (${instrumentName(score.instrument)}, n\u00a0=\u00a0${count(score.n)}, ${grade(score)})`,
                ),
              ),
              datasets: [
                {
                  label: '95% interval',
                  data: shown.map(({ score }) => score.ci95),
                  backgroundColor: '#212b32',
                  grouped: false,
                  barPercentage: 0.15,
                },
                {
                  label: 'Mean score',
                  data: shown.map(({ score }) => score.mean),
                  backgroundColor: '#41b6e6',
                  grouped: false,
                },
              ],
            },
            options: {
              indexAxis: 'y',
              layout: { padding: { left: 8 } },
              scales: {
                y: { ticks: { autoSkip: false } },
                x: { min: 0, max: 100, title: { display: true, text: 'Score out of 100' } },
              },
            },
          },
          table,
          Math.max(200, shown.length * rowHeight() + 80),
        ),
  );
}

/** The words of an infrastructure item: `epr/infra.available` is "Riverside EPR is available…". */
function itemText(key: string, systemName: (id: string) => string): string {
  const [system, item] = key.includes('/') ? key.split('/') : [undefined, key];
  const found = infrastructureItems.find((i) => i.id === item);
  if (!found) return key;
  return found.text.replaceAll(/\{system\}/gi, () => (system ? systemName(system) : 'the system'));
}

/** Net agreement (% agree − % disagree) with each infrastructure statement, around 0. */
function infrastructure(
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
                indexAxis: 'y',
                layout: { padding: { left: 8 } },
                scales: {
                  y: { ticks: { autoSkip: false } },
                  x: {
                    min: -100,
                    max: 100,
                    title: { display: true, text: '% agree minus % disagree' },
                  },
                },
                plugins: { legend: { display: false } },
              },
            },
            table,
            Math.max(240, shown.length * rowHeight() + 80),
          ),
  );
}

/** A breakdown's table: each group's responses and each system's mean; small groups withheld. */
function breakdown(
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
            options: {
              indexAxis: 'y',
              layout: { padding: { left: 8 } },
              scales: {
                y: { ticks: { autoSkip: false } },
                x: { min: 0, max: 100, title: { display: true, text: 'Score out of 100' } },
              },
            },
          },
          table,
          Math.max(200, shown.length * rowHeight() + 80),
        ),
  );
}

async function compareSection(id: string, other: string, systemName: (id: string) => string, mark: string) {
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
export async function surveyPage(main: HTMLElement, id: string): Promise<string> {
  const other = new URLSearchParams(location.search).get('compare');
  const base = `/api/v1/surveys/${encodeURIComponent(id)}/results`;
  let results: [EstateView, ResultsResponse, ResultsResponse, ResultsResponse];
  try {
    results = await Promise.all([
      getJson<EstateView>('/api/v1/estate'),
      getJson<ResultsResponse>(`${base}?by=organisation`),
      getJson<ResultsResponse>(`${base}?by=site`),
      getJson<ResultsResponse>(`${base}?by=staffGroup`),
    ]);
  } catch (error) {
    // Results of a campaign published when it closes are not shown before then: say when.
    if (!(error instanceof ApiFailure) || error.status !== 403) throw error;
    main.replaceChildren(
      h('span', { class: 'nhsuk-caption-l' }, 'Staff usability survey'),
      h('h1', {}, id),
      h(
        'div',
        { class: 'nhsuk-inset-text', 'data-testid': 'survey-not-published' },
        h('p', {}, `${capitalised(error.message)}.`),
      ),
    );
    return `Survey ${id}`;
  }
  const [estate, byOrganisation, bySite, byStaffGroup] = results;
  const systemNames = new Map(estate.systems.map((s) => [s.id, s.name]));
  const systemName = (system: string) => systemNames.get(system) ?? system;
  const orgNames = new Map(estate.organisations.map((o) => [o.id, o.name]));
  const siteNames = new Map(estate.sites.map((s) => [s.id, s.name]));
  const groupNames = new Map<string, string>(staffGroups.map((g) => [g.id, g.label]));
  const { overall, minGroupSize } = byOrganisation;
  const mark = overall.demo > 0 ? ' (includes generated demo responses)' : '';
  const systems = Object.keys(overall.scores).sort((a, b) => systemName(a).localeCompare(systemName(b)));
  const yearOnYearSection = other ? await compareSection(id, other, systemName, mark) : '';

  main.replaceChildren(
    h('span', { class: 'nhsuk-caption-l' }, 'Staff usability survey'),
    h('h1', {}, byOrganisation.title),
    overall.demo > 0 ? demoNotice(overall.demo) : '',
    h(
      'p',
      { class: 'nhsuk-lede-text', 'data-testid': 'survey-summary' },
      `${count(overall.n)} ${overall.n === 1 ? 'response' : 'responses'}. Responses are anonymous; any group or score from fewer than ${minGroupSize} people is withheld, and so is a group that would let a withheld one be worked out.`,
    ),
    usability(overall.scores, systemName, mark),
    breakdown(
      'By organisation',
      'organisation',
      byOrganisation,
      (k) => orgNames.get(k) ?? k,
      systems,
      systemName,
      mark,
    ),
    breakdown('By site', 'site', bySite, (k) => siteNames.get(k) ?? k, systems, systemName, mark),
    breakdown(
      'By staff group',
      'staff-group',
      byStaffGroup,
      (k) => groupNames.get(k) ?? k,
      systems,
      systemName,
      mark,
    ),
    infrastructure(overall.infra, systemName, mark),
    yearOnYearSection,
  );
  return `Survey ${id}`;
}
