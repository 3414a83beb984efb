import { ApiFailure, getJson } from '../api.js';
import { h } from '../dom.js';
import { type EstateNames, estateNames } from '../estate-names.js';
import {
  attributionFigure,
  budgetList,
  type Figure,
  figureSummary,
  minutesList,
  sumAttribution,
  whoseList,
} from '../figures.js';
import { outagesSection } from '../outages.js';
import {
  accountingDetails,
  metricValue,
  periodPicker,
  periodText,
  query,
  ROLE_WORDS,
  statusTag,
  targetText,
} from '../principle-parts.js';
import { simulatedNotice } from '../simulated.js';
import { responsiveTable } from '../table.js';
import type { ComplianceItem, ComplianceResponse, EstateView } from '../types.js';
import { notForYou } from './not-for-you.js';

/** Figures of a group (system, site, organisation) as table rows: name, status, value, minutes, budget, whose. */
function groupTable(
  caption: string,
  heading: string,
  groups: { name: Node | string; figure: Figure }[],
  metric: string,
  names: EstateNames,
): HTMLElement {
  return responsiveTable(
    caption,
    [heading, 'Status', 'Value', 'Minutes', 'Error budget', 'Whose down minutes'],
    groups.map(({ name, figure }) => [
      name,
      statusTag(figure.status),
      metricValue(metric, figure.value),
      minutesList(figure.minutes),
      budgetList(figure.budget),
      whoseList(figure.attribution, names),
    ]),
  );
}

function itemsTable(items: ComplianceItem[], metric: string, names: EstateNames): HTMLElement {
  return groupTable(
    'Each site and system in scope',
    'Site and system',
    items.map((item) => ({
      name: h(
        'span',
        {},
        h('strong', {}, names.site(item.site)),
        h('span', { class: 'vantage-note' }, names.systemLink(item.system)),
      ),
      figure: item,
    })),
    metric,
    names,
  );
}

/** Who answers for a survey figure: the system's owner for a system's, the site's host for a site's. */
function accountable(item: ComplianceItem, names: EstateNames): Node | string {
  const owner = item.system !== null ? names.ownerOf(item.system) : undefined;
  const host = item.system === null ? names.hostOf(item.site) : undefined;
  const organisation = owner ?? host;
  if (!organisation) return '—';
  return h(
    'span',
    {},
    names.organisationLink(organisation),
    h('span', { class: 'vantage-note' }, owner ? ROLE_WORDS.owner : ROLE_WORDS.host),
  );
}

/** A survey principle's items: the figure each group's answers give, or why there is none. */
function surveyTable(items: ComplianceItem[], metric: string, names: EstateNames): HTMLElement {
  return responsiveTable(
    'Each system and site the survey asked about',
    ['System or site', 'Status', 'Value', 'Responses', 'Answers for it', 'Why no figure'],
    items.map((item) => [
      item.system !== null ? names.systemLink(item.system) : names.site(item.site),
      statusTag(item.status),
      metricValue(metric, item.value),
      item.responses === null || item.responses === undefined ? '—' : item.responses.toLocaleString('en-GB'),
      accountable(item, names),
      item.value === null ? (item.message ?? 'no data') : '',
    ]),
  );
}

/** The evidence behind one principle (or one organisation's part of it) over a period. */
export async function principlePage(main: HTMLElement, id: string): Promise<string> {
  const params = new URLSearchParams(location.search);
  const period = params.get('period') ?? '';
  const organisation = params.get('organisation') ?? undefined;
  let estate: EstateView;
  let answer: ComplianceResponse;
  try {
    [estate, answer] = await Promise.all([
      getJson<EstateView>('/api/v1/estate'),
      getJson<ComplianceResponse>(
        `/api/v1/principles/${encodeURIComponent(id)}/compliance${query({ period })}`,
      ),
    ]);
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 403)
      return notForYou(main, 'Principle', error.message);
    throw error;
  }
  const names = estateNames(estate);
  const principle = answer.principle;
  const metric = principle.metric;
  if (organisation && !estate.organisations.some((o) => o.id === organisation))
    throw new Error(`no organisation with id '${organisation}'`);
  const own = organisation ? answer.byOrganisation.find((o) => o.organisation === organisation) : undefined;
  const items = organisation
    ? answer.items.filter(
        (i) => names.hostOf(i.site) === organisation || names.ownerOf(i.system) === organisation,
      )
    : answer.items;
  const title = organisation ? `${principle.title}: ${names.organisation(organisation)}` : principle.title;
  const target = answer.items[0]?.target ?? Number.parseFloat(String(principle.target));
  const survey = metric.startsWith('survey-');
  const hours = survey ? '' : principle.hours === '24x7' ? ' at all hours' : ' in core hours';

  const head = [
    h(
      'span',
      { class: 'nhsuk-caption-l' },
      h('a', { href: `/principles${query({ period })}` }, 'Principles'),
      organisation ? ' · ' : '',
      organisation ? names.organisationLink(organisation) : '',
    ),
    h('h1', {}, title),
    simulatedNotice(answer.simulated),
    h(
      'p',
      { class: 'nhsuk-lede-text' },
      `${principle.metric}: ${targetText(metric, target, principle.percentile)}${hours}, over ${periodText(answer.period)}.`,
    ),
    principle.description ? h('p', { class: 'nhsuk-body' }, principle.description) : '',
    periodPicker(
      period,
      (p) => `${location.pathname}${query({ period: p, organisation })}`,
      principle.window ?? '30d',
    ),
  ];
  if (answer.status === 'not-evaluated') {
    main.replaceChildren(
      ...head,
      h('p', { class: 'nhsuk-body', 'data-testid': 'headline' }, statusTag('not-evaluated')),
      h('p', { class: 'nhsuk-body' }, `${answer.message ?? 'This principle is not evaluated yet'}.`),
      accountingDetails(answer.accounting),
    );
    return title;
  }

  if (survey) {
    main.replaceChildren(
      ...head,
      h(
        'p',
        { class: 'nhsuk-body-l', 'data-testid': 'headline' },
        statusTag(answer.status),
        ` ${metricValue(metric, answer.value)} (target ${targetText(metric, target)})`,
      ),
      answer.message
        ? h(
            'p',
            { class: 'nhsuk-body' },
            `${answer.message.charAt(0).toUpperCase()}${answer.message.slice(1)}.`,
          )
        : '',
      h(
        'p',
        { class: 'nhsuk-body' },
        'From the latest survey campaign published by the end of the period, through the same privacy rules as its results: a group too small to show is no data (withheld), never a number.',
      ),
      h('h2', {}, 'Which systems and sites'),
      items.length === 0
        ? h('p', { class: 'nhsuk-body' }, 'No system or site in scope.')
        : surveyTable(items, metric, names),
      accountingDetails(answer.accounting),
    );
    return title;
  }

  // Whose the down minutes of the items shown are, every organisation's: a host sees the owner's too.
  const attribution = sumAttribution(items.map((i) => i.attribution));
  main.replaceChildren(
    ...head,
    organisation
      ? own
        ? h(
            'p',
            { class: 'nhsuk-body' },
            `Over the sites ${names.organisation(organisation)} hosts and the systems it owns; ${own.attributed.toLocaleString('en-GB', { maximumFractionDigits: 2 })} down minutes are attributed to it.`,
          )
        : h('p', { class: 'nhsuk-body' }, 'Nothing this organisation hosts or owns is in scope.')
      : '',
    own
      ? figureSummary(own, metric, 'headline')
      : organisation
        ? ''
        : h(
            'p',
            { class: 'nhsuk-body-l', 'data-testid': 'headline' },
            statusTag(answer.status),
            ` ${metricValue(metric, answer.value)} (target ${targetText(metric, target)})`,
          ),
    accountingDetails(answer.accounting),
    h('h2', {}, 'Whose down minutes'),
    attributionFigure('Down minutes by organisation and role', attribution, names),
    accountingDetails(answer.accounting),
    ...(organisation
      ? []
      : [
          h('h2', {}, 'By organisation'),
          groupTable(
            'What each organisation hosts and owns',
            'Organisation',
            answer.byOrganisation.map((o) => ({ name: names.organisationLink(o.organisation), figure: o })),
            metric,
            names,
          ),
          h('h2', {}, 'By system'),
          groupTable(
            'Each system',
            'System',
            answer.bySystem.map((s) => ({ name: names.systemLink(s.system), figure: s })),
            metric,
            names,
          ),
          h('h2', {}, 'By site'),
          groupTable(
            'Each site',
            'Site',
            answer.bySite.map((s) => ({ name: names.site(s.site), figure: s })),
            metric,
            names,
          ),
        ]),
    h('h2', {}, 'Which sites and systems'),
    items.length === 0
      ? h('p', { class: 'nhsuk-body' }, 'No site and system in scope.')
      : itemsTable(items, metric, names),
    accountingDetails(answer.accounting),
    await outagesSection(
      items,
      answer.period,
      estate,
      names,
      organisation,
      answer.principle.hours === '24x7' ? '24x7' : 'core',
    ),
  );
  return title;
}
