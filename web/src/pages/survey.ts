import { staffGroups } from '../../../surveys/instruments.js';
import { ApiFailure, getJson } from '../api.js';
import { h } from '../dom.js';
import { count } from '../format.js';
import type { EstateView, MeResponse, SurveyTarget } from '../types.js';
import { commentsSection } from './survey-comments.js';
import { compareSection } from './survey-compare.js';
import { distributionsSection } from './survey-distributions.js';
import { breakdown, infrastructure } from './survey-sections.js';
import { capitalised, demoNotice, type ResultsResponse } from './survey-shared.js';
import { usability } from './survey-usability.js';
import { type CampaignListed, yearOnYearControl } from './survey-year.js';

/**
 * Before a campaign's results are published: its title, how many have responded so far, and when the
 * results will be shown. The campaign list is only for the title, so the page stands without it.
 */
async function notPublished(main: HTMLElement, id: string, message: string): Promise<void> {
  const campaign = await getJson<{ items: CampaignListed[] }>('/api/v1/surveys').then(
    ({ items }) => items.find((c) => c.id === id),
    () => undefined,
  );
  main.replaceChildren(
    h('span', { class: 'nhsuk-caption-l' }, 'Staff usability survey'),
    h('h1', {}, campaign?.title ?? id),
    h(
      'div',
      { class: 'nhsuk-inset-text', 'data-testid': 'survey-not-published' },
      h('p', {}, `${capitalised(message)}.`),
    ),
    campaign
      ? h(
          'p',
          { class: 'nhsuk-body', 'data-testid': 'survey-responses-so-far' },
          `${count(campaign.responses)} ${campaign.responses === 1 ? 'response' : 'responses'} so far.`,
        )
      : '',
  );
}

/**
 * A staff usability survey's results: each system's score, the same by organisation, site and staff
 * group (small groups withheld), staff views of IT at their site, how people answered each question,
 * the comments by site, and optionally year on year (`?compare=` another campaign).
 */
export async function surveyPage(main: HTMLElement, id: string, me?: MeResponse): Promise<string> {
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
    await notPublished(main, id, error.message);
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
  const [yearOnYearSection, comments, campaigns, targets] = await Promise.all([
    other ? compareSection(id, other, systemName, mark) : '',
    commentsSection(id, (site) => siteNames.get(site) ?? site, mark),
    getJson<{ items: CampaignListed[] }>('/api/v1/surveys'),
    // The principles' targets are for those who may read the principles: asked for only when signed in.
    me
      ? getJson<{ items: SurveyTarget[] }>(`/api/v1/surveys/${encodeURIComponent(id)}/targets`)
      : { items: [] },
  ]);
  const instrumentOf = Object.fromEntries(
    Object.entries(overall.scores).map(([system, score]) => [system, score.instrument]),
  );

  main.replaceChildren(
    h('span', { class: 'nhsuk-caption-l' }, 'Staff usability survey'),
    h('h1', {}, byOrganisation.title),
    overall.demo > 0 ? demoNotice(overall.demo) : '',
    h(
      'p',
      { class: 'nhsuk-lede-text', 'data-testid': 'survey-summary' },
      `${count(overall.n)} ${overall.n === 1 ? 'response' : 'responses'}. Responses are anonymous; any group or score from fewer than ${minGroupSize} people is withheld, and so is a group that would let a withheld one be worked out.`,
    ),
    yearOnYearControl(id, campaigns.items, other),
    usability(overall.scores, systemName, mark, targets.items),
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
    distributionsSection(overall.distributions, instrumentOf, systemName, minGroupSize, mark),
    comments,
    yearOnYearSection,
  );
  return `Survey ${id}`;
}
