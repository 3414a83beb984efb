import '../overview/overview.css';
import { ApiFailure, getJson } from '../api.js';
import { h } from '../dom.js';
import { heatmapKey, heatmapTable } from '../overview/heatmap.js';
import { liveParts } from '../overview/live.js';
import { scorecardSection } from '../overview/scorecard.js';
import { surveySection } from '../overview/survey.js';
import { accountingDetails, calendarChoices, periodText, query } from '../principle-parts.js';
import { simulatedNotice } from '../simulated.js';
import type { IncidentView, MeResponse, OverviewResponse } from '../types.js';
import { notForYou } from './not-for-you.js';

/** The periods the overview offers: today, 7 and 30 days, this and last month, this quarter, this year. */
export function overviewPeriods(now = Date.now()): { value: string; label: string }[] {
  return [
    { value: 'today', label: 'Today' },
    { value: '7d', label: '7 days' },
    { value: '30d', label: '30 days' },
    ...calendarChoices(now),
  ];
}

function picker(current: string, principle: string | undefined): HTMLElement {
  const choices = overviewPeriods();
  if (!choices.some((c) => c.value === current)) choices.push({ value: current, label: current });
  return h(
    'nav',
    { 'aria-label': 'Period', class: 'nhsuk-body-s vantage-periods' },
    h('span', { class: 'vantage-periods__label' }, 'Period: '),
    h(
      'ul',
      { class: 'vantage-periods__list' },
      ...choices.map((c) =>
        h(
          'li',
          {},
          c.value === current
            ? h('strong', { 'aria-current': 'page' }, c.label)
            : h('a', { href: `/${query({ period: c.value, principle })}` }, c.label),
        ),
      ),
    ),
  );
}

/** The heatmap's principles: every availability one, or one principle measured at sites; the one shown marked. */
function principleChoice(
  answer: OverviewResponse,
  period: string,
  asked: string | undefined,
): HTMLElement | '' {
  if (answer.heatmapPrinciples.length < 2) return '';
  const choices = [
    { id: undefined, title: 'All availability principles' },
    ...answer.heatmapPrinciples.map((p) => ({ id: p.id as string | undefined, title: p.title })),
  ];
  return h(
    'nav',
    { 'aria-label': 'Heatmap principles', class: 'nhsuk-body-s vantage-periods' },
    h('span', { class: 'vantage-periods__label' }, 'Show: '),
    h(
      'ul',
      { class: 'vantage-periods__list' },
      ...choices.map((p) =>
        h(
          'li',
          {},
          p.id === asked
            ? h('strong', { 'aria-current': 'true' }, p.title)
            : h('a', { href: `/${query({ period, principle: p.id })}` }, p.title),
        ),
      ),
    ),
  );
}

/** The economy at a glance: the CIO's page, every figure linking to its evidence. */
export async function overviewPage(
  main: HTMLElement,
  _id: string,
  me: MeResponse | undefined,
): Promise<string> {
  const title = 'Overview';
  const params = new URLSearchParams(location.search);
  const period = params.get('period') || '30d';
  const principle = params.get('principle') || undefined;
  let answer: OverviewResponse;
  try {
    answer = await getJson<OverviewResponse>(`/api/v1/overview${query({ period, principle })}`);
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 403) return notForYou(main, title, error.message);
    throw error;
  }
  const periodWords = `over ${periodText(answer.period)}`;
  const previousWords = `the period before (${periodText(answer.previous)})`;
  // Only for someone who may read alerts: a visitor of a public overview is not sent to sign in for them.
  const openIncidents = me
    ? async () => (await getJson<{ items: IncidentView[] }>('/api/v1/alerts?state=open&limit=500')).items
    : undefined;
  const live = liveParts(answer.now, openIncidents ? await openIncidents() : [], openIncidents);
  const heatmap = answer.heatmap;
  main.replaceChildren(
    h(
      'div',
      { class: 'vantage-overview' },
      h('h1', { class: 'nhsuk-heading-m' }, 'The economy at a glance'),
      simulatedNotice(answer.simulated),
      picker(period, principle),
      h(
        'p',
        { class: 'nhsuk-body-s', 'data-testid': 'overview-period' },
        `Figures ${periodWords}, compared with ${previousWords}.`,
      ),
      h(
        'div',
        { class: 'vantage-overview__grid' },
        scorecardSection(answer.scorecard, 'the period before'),
        live.element,
        h(
          'section',
          { class: 'vantage-overview__heatmap', 'aria-labelledby': 'heatmap-heading' },
          h('h2', { class: 'nhsuk-heading-s', id: 'heatmap-heading' }, 'Sites and systems'),
          principleChoice(answer, period, principle),
          heatmap
            ? heatmapTable(heatmap, 'over the period')
            : h(
                'p',
                { class: 'nhsuk-body-s' },
                'The estate file lists no availability or latency principle to draw.',
              ),
          heatmap ? heatmapKey() : '',
        ),
        surveySection(answer.survey),
      ),
      h(
        'p',
        { class: 'nhsuk-body-s' },
        h('a', { href: '/estate' }, 'The estate and who is responsible for what'),
      ),
      accountingDetails(answer.accounting),
    ),
  );
  live.start();
  return title;
}
