import type { EstateView } from '../../../server/estate/view.js';
import { staffGroups } from '../../../surveys/instruments.js';
import { ApiFailure, getJson } from '../api.js';
import { h } from '../dom.js';
import { count } from '../format.js';
import { compareSection } from './survey-compare.js';
import { breakdown, infrastructure, usability } from './survey-sections.js';
import { capitalised, demoNotice, type ResultsResponse } from './survey-shared.js';

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
