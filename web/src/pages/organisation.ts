import { ApiFailure, getJson } from '../api.js';
import { h, plural } from '../dom.js';
import { type EstateNames, estateNames } from '../estate-names.js';
import { organisationKind } from '../labels.js';
import { hostsSection, outagesSection, ownsSection } from '../organisation-parts.js';
import {
  accountingDetails,
  metricValue,
  minutes,
  periodPicker,
  periodText,
  query,
  ROLE_WORDS,
  statusTag,
  targetText,
} from '../principle-parts.js';
import { simulatedNotice } from '../simulated.js';
import { responsiveTable } from '../table.js';
import type {
  AgentsResponse,
  ChecksResponse,
  EstateView,
  OrganisationComplianceResponse,
  OrganisationOutagesResponse,
} from '../types.js';
import { notForYou } from './not-for-you.js';

type Scored = OrganisationComplianceResponse['principles'][number];

/** One principle's gaps attributed to the organisation: where, and as host or owner. */
function gapsSection(scored: Scored, names: EstateNames, evidence: string): HTMLElement {
  // A survey figure has no minutes: the gap is the figure itself, answered for as owner or host.
  const survey = scored.metric.startsWith('survey-');
  return h(
    'section',
    { 'aria-labelledby': `gaps-${scored.id}` },
    h('h3', { id: `gaps-${scored.id}` }, scored.title),
    h(
      'p',
      { class: 'nhsuk-body' },
      survey
        ? `Below target in the latest survey published by the end of the period (${periodText(scored.period)}). `
        : `${minutes(scored.responsibleMinutes)} down, over ${periodText(scored.period)}. `,
      h('a', { href: evidence }, `See the evidence for ${scored.title}`),
    ),
    responsiveTable(
      survey
        ? `${scored.title}: the systems and sites this organisation answers for that are below target`
        : `${scored.title}: the sites and systems with down minutes attributed to this organisation`,
      survey
        ? ['Site', 'System', 'Status there', 'Value there', 'As']
        : ['Site', 'System', 'Status there', 'Value there', 'Minutes ours', 'As'],
      scored.gaps.map((gap) => [
        names.site(gap.site),
        names.systemLink(gap.system),
        statusTag(gap.status),
        metricValue(scored.metric, gap.value),
        ...(survey ? [] : [minutes(gap.minutes)]),
        gap.roles
          .map((r) => (survey ? ROLE_WORDS[r.role] : `${ROLE_WORDS[r.role]} ${minutes(r.minutes)}`))
          .join('; '),
      ]),
    ),
  );
}

/** One organisation: what it hosts and owns, its scorecard, and only the gaps it answers for. */
export async function organisationPage(main: HTMLElement, id: string): Promise<string> {
  const period = new URLSearchParams(location.search).get('period') ?? '';
  const base = `/api/v1/organisations/${encodeURIComponent(id)}`;
  let estate: EstateView;
  let card: OrganisationComplianceResponse;
  let outages: OrganisationOutagesResponse;
  let agents: AgentsResponse;
  let checks: ChecksResponse;
  try {
    [estate, card, outages, agents, checks] = await Promise.all([
      getJson<EstateView>('/api/v1/estate'),
      getJson<OrganisationComplianceResponse>(`${base}/compliance${query({ period })}`),
      getJson<OrganisationOutagesResponse>(`${base}/outages${query({ period })}`),
      getJson<AgentsResponse>('/api/v1/agents'),
      getJson<ChecksResponse>('/api/v1/checks'),
    ]);
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 403)
      return notForYou(main, 'Organisation', error.message);
    throw error;
  }
  const names = estateNames(estate);
  const org = estate.organisations.find((o) => o.id === id);
  const title = card.organisation.name;
  const evidence = (principle: string) =>
    `/principles/${encodeURIComponent(principle)}${query({ period, organisation: id })}`;
  const withGaps = card.principles.filter((p) => p.gaps.length > 0);

  main.replaceChildren(
    h('span', { class: 'nhsuk-caption-l' }, 'Organisation'),
    h('h1', {}, title),
    simulatedNotice(card.principles.find((p) => p.simulated)?.simulated),
    org
      ? h(
          'p',
          { class: 'nhsuk-lede-text' },
          `${organisationKind(org.kind)}${org.ods ? ` · ODS ${org.ods}` : ''}. Hosts ${plural(org.sites.length, 'site')}, owns ${plural(org.systems.length, 'system')}.`,
        )
      : '',
    org ? hostsSection(org, names, agents) : '',
    org ? ownsSection(org, names, checks.items) : '',
    h('h2', {}, 'What we are responsible for'),
    periodPicker(period, (p) => `${location.pathname}${query({ period: p })}`),
    card.principles.length === 0
      ? h('p', { class: 'nhsuk-body' }, 'The estate file lists no principles yet.')
      : responsiveTable(
          `Each principle over what ${title} hosts and owns, and the down minutes attributed to it`,
          ['Principle', 'Status', 'Value', 'Target', 'Down minutes ours'],
          card.principles.map((p) => [
            h('a', { href: evidence(p.id) }, p.title),
            statusTag(p.status),
            p.status === 'not-evaluated' ? (p.message ?? 'not evaluated') : metricValue(p.metric, p.value),
            targetText(p.metric, p.target),
            p.status === 'not-evaluated' ? '—' : minutes(p.responsibleMinutes),
          ]),
          card.principles.map((p) => `principle-${p.id}`),
        ),
    accountingDetails(card.accounting),
    h('h2', {}, 'Gaps attributed to us'),
    ...(withGaps.length === 0
      ? [
          h(
            'p',
            { class: 'nhsuk-body', 'data-testid': 'no-gaps' },
            `No down minutes are attributed to ${title} in this period.`,
          ),
        ]
      : withGaps.map((p) => gapsSection(p, names, evidence(p.id)))),
    withGaps.length > 0 ? accountingDetails(card.accounting) : '',
    outagesSection(outages, names),
  );
  return title;
}
