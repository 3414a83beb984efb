import { ApiFailure, getJson } from '../api.js';
import { h } from '../dom.js';
import { type EstateNames, estateNames } from '../estate-names.js';
import {
  accountingDetails,
  metricValue,
  periodPicker,
  periodText,
  query,
  statusTag,
  targetText,
} from '../principle-parts.js';
import { simulatedNotice } from '../simulated.js';
import { responsiveTable } from '../table.js';
import type { ComplianceListResponse, ComplianceResponse, EstateView } from '../types.js';
import { notForYou } from './not-for-you.js';

/** A principle's name with what it asks for: "≥ 99.9% in core hours over 30d". */
export function principleLine(principle: ComplianceResponse['principle'], target: number): HTMLElement {
  const hours = principle.hours === '24x7' ? 'at all hours' : 'in core hours';
  return h(
    'span',
    { class: 'vantage-principle' },
    h('strong', {}, principle.title),
    h(
      'span',
      { class: 'vantage-note' },
      `${principle.metric}: ${targetText(principle.metric, target, principle.percentile)}`,
      principle.metric === 'availability' ? ` ${hours}` : '',
    ),
  );
}

/** One cell of the scorecard: the status in words and shape, the value, linking to the evidence. */
function cell(href: string, status: ComplianceResponse['status'], metric: string, value: number | null) {
  return h(
    'a',
    { href, class: 'vantage-cell' },
    statusTag(status),
    h('span', { class: 'vantage-cell__value' }, status === 'not-evaluated' ? '' : metricValue(metric, value)),
  );
}

function scorecard(
  judged: ComplianceListResponse['items'],
  estate: EstateView,
  names: EstateNames,
  period: string,
): HTMLElement {
  const organisations = estate.organisations;
  const evidence = (id: string, organisation?: string) =>
    `/principles/${encodeURIComponent(id)}${query({ period, organisation })}`;
  return responsiveTable(
    'Each principle, for the whole economy and for each organisation (what it hosts and what it owns)',
    ['Principle', 'Whole economy', ...organisations.map((o) => names.organisation(o.id))],
    judged.map((answer) => {
      const principle = answer.principle;
      const target = answer.target;
      return [
        principleLine(principle, target),
        cell(evidence(principle.id), answer.status, principle.metric, answer.value),
        ...organisations.map((org) => {
          const own = answer.byOrganisation.find((o) => o.organisation === org.id);
          if (answer.status === 'not-evaluated')
            return cell(evidence(principle.id, org.id), 'not-evaluated', principle.metric, null);
          if (!own) return h('span', { class: 'vantage-note' }, 'Nothing in scope');
          return cell(evidence(principle.id, org.id), own.status, principle.metric, own.value);
        }),
      ];
    }),
    judged.map((answer) => `principle-${answer.principle.id}`),
  );
}

/** The principles scorecard: every principle for the whole economy and for each organisation. */
export async function principlesPage(main: HTMLElement): Promise<string> {
  const title = 'Principles';
  const period = new URLSearchParams(location.search).get('period') ?? '';
  let estate: EstateView;
  let judged: ComplianceListResponse['items'];
  let accounting: ComplianceListResponse['accounting'];
  try {
    // Every principle in one answer: the server reads the timeline once for those sharing a period.
    let list: ComplianceListResponse;
    [estate, list] = await Promise.all([
      getJson<EstateView>('/api/v1/estate'),
      getJson<ComplianceListResponse>(`/api/v1/compliance${query({ period })}`),
    ]);
    judged = list.items;
    accounting = list.accounting;
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 403) return notForYou(main, title, error.message);
    throw error;
  }
  const names = estateNames(estate);
  const periods = [...new Set(judged.map((j) => periodText(j.period)))];
  main.replaceChildren(
    h('h1', {}, title),
    simulatedNotice(judged.find((j) => j.simulated)?.simulated),
    h(
      'p',
      { class: 'nhsuk-lede-text' },
      'Are the partners meeting the infrastructure principles they agreed, and where not, whose minutes are they? Open a cell for its evidence: which sites and systems, which minutes, whose, and the outages behind them.',
    ),
    periodPicker(period, (p) => `/principles${query({ period: p })}`),
    h(
      'p',
      { class: 'nhsuk-body', 'data-testid': 'principles-period' },
      periods.length === 1
        ? `Over ${periods[0]}.`
        : 'Each principle over its own window (shown on its page).',
    ),
    judged.length === 0
      ? h('p', { class: 'nhsuk-body' }, 'The estate file lists no principles yet.')
      : h(
          'div',
          { class: 'vantage-scroll', role: 'region', 'aria-label': 'Scorecard', tabindex: 0 },
          scorecard(judged, estate, names, period),
        ),
    notEvaluatedNote(judged),
    accountingDetails(accounting),
  );
  return title;
}

/** Which principles are not evaluated, and why, in the server's words. */
function notEvaluatedNote(judged: ComplianceResponse[]): HTMLElement | string {
  const waiting = judged.filter((j) => j.status === 'not-evaluated');
  if (waiting.length === 0) return '';
  return h(
    'div',
    { class: 'nhsuk-inset-text' },
    h('span', { class: 'nhsuk-u-visually-hidden' }, 'Information: '),
    h(
      'ul',
      { class: 'nhsuk-list' },
      ...waiting.map((j) => h('li', {}, `${j.principle.title}: ${j.message ?? 'not evaluated'}.`)),
    ),
  );
}
