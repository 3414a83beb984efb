import { getJson } from '../api.js';
import { h, plural } from '../dom.js';
import { organisationLink } from '../estate-names.js';
import { organisationKind, schedule } from '../labels.js';
import { responsiveTable } from '../table.js';
import type { EstateView } from '../types.js';

type Check = EstateView['checks'][number];

/** The estate as configured, and who is responsible for what. */
export async function estatePage(main: HTMLElement): Promise<string> {
  const estate = await getJson<EstateView>('/api/v1/estate');
  const orgName = new Map(estate.organisations.map((o) => [o.id, o.name]));
  const siteName = new Map(estate.sites.map((s) => [s.id, s.name]));
  const systemName = new Map(estate.systems.map((s) => [s.id, s.name]));
  const checkById = new Map(estate.checks.map((c) => [c.id, c]));

  const checkLine = (check: Check) =>
    h(
      'li',
      {},
      h('a', { href: `/checks/${check.id}` }, h('strong', {}, check.name ?? check.id)),
      ` (${check.type}, ${schedule(check.schedule)}) `,
      check.from.length === 0 ? 'from the Vantage server' : `from ${plural(check.from.length, 'site')}`,
    );

  // A large estate has thousands of checks: each system's list is built only when it is opened.
  const checkList = (checks: Check[]) => {
    const details = h(
      'details',
      { class: 'nhsuk-details vantage-checks' },
      h(
        'summary',
        { class: 'nhsuk-details__summary' },
        h('span', { class: 'nhsuk-details__summary-text' }, plural(checks.length, 'check')),
      ),
    );
    details.addEventListener(
      'toggle',
      () =>
        details.append(
          h(
            'ul',
            { class: 'nhsuk-details__text nhsuk-list nhsuk-list--bullet nhsuk-body-s' },
            ...checks.map(checkLine),
          ),
        ),
      { once: true },
    );
    return details;
  };

  const organisationCard = (org: EstateView['organisations'][number]) =>
    h(
      'section',
      { class: 'nhsuk-card', 'aria-labelledby': `org-${org.id}` },
      h(
        'div',
        { class: 'nhsuk-card__content' },
        h(
          'h2',
          { class: 'nhsuk-card__heading nhsuk-heading-m', id: `org-${org.id}`, tabindex: -1 },
          organisationLink(org.id, org.name),
        ),
        h(
          'p',
          { class: 'nhsuk-body-s nhsuk-u-secondary-text-colour' },
          organisationKind(org.kind),
          org.ods ? ` · ODS ${org.ods}` : '',
        ),
        h('h3', { class: 'nhsuk-heading-s' }, `Hosts ${plural(org.sites.length, 'site')}`),
        org.sites.length === 0
          ? h('p', { class: 'nhsuk-body-s' }, 'No sites.')
          : h(
              'ul',
              { class: 'nhsuk-list nhsuk-list--bullet' },
              ...org.sites.map((id) => {
                const site = estate.sites.find((s) => s.id === id);
                return h(
                  'li',
                  {},
                  siteName.get(id) ?? id,
                  site ? ` (${plural(site.checks.length, 'check')} run from here)` : '',
                );
              }),
            ),
        h('h3', { class: 'nhsuk-heading-s' }, `Owns ${plural(org.systems.length, 'system')}`),
        org.systems.length === 0
          ? h('p', { class: 'nhsuk-body-s' }, 'No systems.')
          : h(
              'ul',
              { class: 'nhsuk-list' },
              ...org.systems.map((id) => {
                const system = estate.systems.find((s) => s.id === id);
                const checks = (system?.checks ?? []).flatMap((c) => checkById.get(c) ?? []);
                return h(
                  'li',
                  { class: 'vantage-system' },
                  h(
                    'a',
                    { class: 'nhsuk-body-m nhsuk-u-font-weight-bold', href: `/systems/${id}` },
                    systemName.get(id) ?? id,
                  ),
                  checks.length === 0
                    ? h('p', { class: 'nhsuk-body-s' }, 'No checks yet.')
                    : checkList(checks),
                );
              }),
            ),
      ),
    );

  main.replaceChildren(
    h('h1', {}, 'Estate and responsibilities'),
    h(
      'p',
      { class: 'nhsuk-lede-text' },
      'Who is responsible for what, as configured. The host organisation of a site is responsible for IT infrastructure there; the owner of a system is responsible for the system.',
    ),
    h(
      'p',
      { class: 'nhsuk-body', 'data-testid': 'estate-counts' },
      `${plural(estate.organisations.length, 'organisation')}, ${plural(estate.sites.length, 'site')}, ${plural(estate.systems.length, 'system')}, ${plural(estate.checks.length, 'check')}.`,
    ),
    h(
      'nav',
      { class: 'nhsuk-contents-list', 'aria-label': 'Organisations' },
      h('h2', { class: 'nhsuk-heading-s' }, 'Organisations'),
      h(
        'ol',
        { class: 'nhsuk-contents-list__list' },
        ...estate.organisations.map((org) =>
          h(
            'li',
            { class: 'nhsuk-contents-list__item' },
            h('a', { class: 'nhsuk-contents-list__link', href: `#org-${org.id}` }, org.name),
          ),
        ),
      ),
    ),
    ...estate.organisations.map(organisationCard),
    h('h2', {}, 'Sites and their host organisation'),
    h(
      'p',
      { class: 'nhsuk-body' },
      'Checks run from a site by its agent. ',
      h('a', { href: '/agents' }, 'See whether each site’s agent is online'),
      '.',
    ),
    responsiveTable(
      'Each site’s host organisation is responsible for its IT infrastructure',
      ['Site', 'Host organisation', 'Checks run from here'],
      estate.sites.map((s) => [
        s.name,
        organisationLink(s.host, orgName.get(s.host) ?? s.host),
        s.checks.length,
      ]),
    ),
    h('h2', {}, 'Systems and their owners'),
    responsiveTable(
      'Each system’s owner is responsible for the system',
      ['System', 'Owner', 'Supplier', 'Checks'],
      estate.systems.map((s) => [
        h('a', { href: `/systems/${s.id}` }, s.name),
        organisationLink(s.owner, orgName.get(s.owner) ?? s.owner),
        s.supplier ?? '—',
        s.checks.length,
      ]),
    ),
  );
  return 'Estate and responsibilities';
}
