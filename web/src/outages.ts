import { getJson } from './api.js';
import { h } from './dom.js';
import type { EstateNames } from './estate-names.js';
import { londonTime } from './format.js';
import { accountingDetails, minutes, ROLE_WORDS } from './principle-parts.js';
import { responsiveTable } from './table.js';
import type { ComplianceItem, EstateView, OutagesResponse } from './types.js';

/** Outages are fetched for at most this many checks: those of the items with the most down time. */
const MAX_CHECKS = 10;
const MAX_ROWS = 50;

/**
 * The outages behind the items' down minutes: each check of an item's system run from its site, for
 * the items with the most down time, listed from the check's outages over the same period. With an
 * organisation, only the outages with minutes attributed to it.
 */
export async function outagesSection(
  items: ComplianceItem[],
  period: { from: string; to: string },
  estate: EstateView,
  names: EstateNames,
  organisation: string | undefined,
  hours: 'core' | '24x7',
): Promise<HTMLElement> {
  const downOf = (i: ComplianceItem) => i.minutes?.down ?? 0;
  const down = items.filter((i) => downOf(i) > 0).sort((a, b) => downOf(b) - downOf(a));
  const sitesOf = new Map<string, Set<string>>();
  for (const item of down) {
    // Survey figures have no minutes, and no one site and system: only timed items have outages.
    if (item.site === null || item.system === null) continue;
    for (const check of estate.checks) {
      if (check.system !== item.system || check.retiredAt) continue;
      const from = check.from.length === 0 ? ['server'] : check.from;
      if (!from.includes(item.site)) continue;
      const sites = sitesOf.get(check.id) ?? new Set();
      sites.add(item.site);
      sitesOf.set(check.id, sites);
    }
  }
  const checks = [...sitesOf.keys()].slice(0, MAX_CHECKS);
  const span = `from=${encodeURIComponent(period.from)}&to=${encodeURIComponent(period.to)}&hours=${hours}`;
  const answers = await Promise.all(
    checks.map((id) => getJson<OutagesResponse>(`/api/v1/checks/${encodeURIComponent(id)}/outages?${span}`)),
  );
  const checkName = new Map(estate.checks.map((c) => [c.id, c.name ?? c.id]));
  const rows = answers
    .flatMap((answer) =>
      answer.vantagePoints
        .filter((vp) => sitesOf.get(answer.checkId)?.has(vp.vantagePoint))
        .flatMap((vp) => vp.outages.map((outage) => ({ check: answer.checkId, vp, outage }))),
    )
    .filter(({ outage }) => !organisation || outage.attribution.some((a) => a.organisation === organisation))
    .sort((a, b) => b.outage.from.localeCompare(a.outage.from));
  const heading = h('h2', { id: 'outages' }, 'The outages behind them');
  const note = h(
    'p',
    { class: 'nhsuk-body' },
    hours === 'core'
      ? 'Each down stretch of the checks behind the items, outside maintenance, cut to core hours as the figures above count them.'
      : 'Each down stretch of the checks behind the items, outside maintenance, at any hour.',
    checks.length < sitesOf.size
      ? ` Shown for the ${MAX_CHECKS} checks with the most down time; open the others from their system’s page.`
      : '',
  );
  if (rows.length === 0)
    return h(
      'section',
      { 'aria-labelledby': 'outages' },
      heading,
      h('p', { class: 'nhsuk-body', 'data-testid': 'no-outages' }, 'No outages in this period.'),
    );
  return h(
    'section',
    { 'aria-labelledby': 'outages' },
    heading,
    note,
    responsiveTable(
      rows.length > MAX_ROWS ? `The newest ${MAX_ROWS} of ${rows.length} outages` : 'Outages, newest first',
      ['Check', 'Vantage point', 'From', 'To', 'Minutes', 'Whose'],
      rows
        .slice(0, MAX_ROWS)
        .map(({ check, vp, outage }) => [
          h('a', { href: `/checks/${encodeURIComponent(check)}` }, checkName.get(check) ?? check),
          names.site(vp.vantagePoint),
          londonTime(outage.from),
          londonTime(outage.to),
          minutes(outage.minutes),
          whose(outage.attribution, names),
        ]),
    ),
  );
}

/** One check's outages at each vantage point, newest first, with whose minutes they are. */
export function checkOutages(answer: OutagesResponse, names: EstateNames): HTMLElement {
  const rows = answer.vantagePoints
    .flatMap((vp) => vp.outages.map((outage) => ({ vp, outage })))
    .sort((a, b) => b.outage.from.localeCompare(a.outage.from));
  return h(
    'section',
    { 'aria-labelledby': 'check-outages' },
    h('h2', { id: 'check-outages' }, 'Outages in the last 30 days'),
    rows.length === 0
      ? h(
          'p',
          { class: 'nhsuk-body' },
          'No outages: no vantage point saw this check down outside maintenance.',
        )
      : responsiveTable(
          rows.length > MAX_ROWS
            ? `The newest ${MAX_ROWS} of ${rows.length} outages`
            : 'Outages, newest first',
          ['Vantage point', 'From', 'To', 'Minutes', 'Whose'],
          rows
            .slice(0, MAX_ROWS)
            .map(({ vp, outage }) => [
              names.site(vp.vantagePoint),
              londonTime(outage.from),
              londonTime(outage.to),
              minutes(outage.minutes),
              whose(outage.attribution, names),
            ]),
        ),
    accountingDetails(answer.accounting),
  );
}

/** Whose an outage's minutes are, each organisation linked to its page: "Riverside (system owner) 45 min; …". */
function whose(
  attribution: OutagesResponse['vantagePoints'][number]['outages'][number]['attribution'],
  names: EstateNames,
): HTMLElement {
  return h(
    'span',
    {},
    ...attribution.flatMap((a, i) => [
      i > 0 ? '; ' : '',
      names.organisationLink(a.organisation),
      ` (${ROLE_WORDS[a.role]}) ${minutes(a.minutes)}`,
    ]),
  );
}
