import { h, plural } from './dom.js';
import type { EstateNames } from './estate-names.js';
import { ago, londonTime } from './format.js';
import { agentAnchor } from './labels.js';
import { accountingDetails, minutes, periodText, ROLE_WORDS } from './principle-parts.js';
import { agentTag, stateTag } from './state-tags.js';
import { responsiveTable } from './table.js';
import type { AgentsResponse, CheckDetail, EstateView, OrganisationOutagesResponse } from './types.js';

type Organisation = EstateView['organisations'][number];

/** The worst state of a check now over the places it runs from: down before slow before unknown before up. */
function worstNow(check: CheckDetail | undefined): Node | string {
  if (!check || check.vantagePoints.length === 0) return '—';
  const rank = ['fail', 'degraded', 'unknown', 'skipped', 'ok'] as const;
  const states = new Map(check.latest.map((l) => [l.vantagePoint, l.result.state]));
  const now = check.vantagePoints.map((vp) =>
    vp.state === 'unknown' ? 'unknown' : (states.get(vp.vantagePoint) ?? vp.state),
  );
  const worst = rank.find((state) => now.includes(state)) ?? 'unknown';
  const count = now.filter((state) => state === worst).length;
  return h('span', {}, stateTag(worst), ` at ${count} of ${plural(now.length, 'place')}`);
}

/** The sites an organisation hosts, with the agent at each and its state. */
export function hostsSection(org: Organisation, names: EstateNames, agents: AgentsResponse): HTMLElement {
  const agentAt = new Map(agents.items.map((agent) => [agent.site, agent]));
  return h(
    'section',
    { 'aria-labelledby': 'hosts', 'data-testid': 'hosts' },
    h('h2', { id: 'hosts' }, 'Sites we host'),
    org.sites.length === 0
      ? h('p', { class: 'nhsuk-body' }, 'No sites.')
      : responsiveTable(
          'Each site, the checks its agent runs, and the agent now',
          ['Site', 'Checks run there', 'Agent', 'Last heard from'],
          org.sites.map((site) => {
            const agent = agentAt.get(site);
            return [
              names.site(site),
              agent?.checks ?? 0,
              agent ? h('a', { href: `/agents#${agentAnchor(site)}` }, agentTag(agent.state)) : '—',
              agent?.lastSeen ? `${londonTime(agent.lastSeen)} (${ago(agent.lastSeen)})` : 'never',
            ];
          }),
        ),
  );
}

/** The systems an organisation owns, each check of them and its worst state now. */
export function ownsSection(org: Organisation, names: EstateNames, checks: CheckDetail[]): HTMLElement {
  const ours = new Set(org.systems);
  const owned = checks.filter((check) => ours.has(check.system));
  return h(
    'section',
    { 'aria-labelledby': 'owns', 'data-testid': 'owns' },
    h('h2', { id: 'owns' }, 'Systems we own'),
    org.systems.length === 0
      ? h('p', { class: 'nhsuk-body' }, 'No systems.')
      : responsiveTable(
          'Each system and its checks, with the worst state now over the places each runs from',
          ['System', 'Check', 'Now'],
          [
            ...owned.map((check) => [
              names.systemLink(check.system),
              h('a', { href: `/checks/${encodeURIComponent(check.id)}` }, check.name ?? check.id),
              worstNow(check),
            ]),
            ...org.systems
              .filter((system) => !owned.some((check) => check.system === system))
              .map((system) => [names.systemLink(system), 'no checks', '—']),
          ],
        ),
  );
}

/** The outages in the period with minutes attributed to the organisation, newest first. */
export function outagesSection(answer: OrganisationOutagesResponse, names: EstateNames): HTMLElement {
  const newest = [...answer.outages].reverse();
  return h(
    'section',
    { 'aria-labelledby': 'org-outages', 'data-testid': 'organisation-outages' },
    h('h2', { id: 'org-outages' }, 'Outages attributed to us'),
    h(
      'p',
      { class: 'nhsuk-body', 'data-testid': 'organisation-outages-total' },
      `${plural(answer.outages.length, 'outage')}, ${minutes(answer.minutes)} ours, over ${periodText(answer.period)}. Time in maintenance is not an outage.`,
    ),
    answer.outages.length === 0
      ? ''
      : responsiveTable(
          'Each outage, newest first, and the minutes of it that are ours',
          ['Check', 'Where', 'From', 'To', 'Minutes', 'Ours'],
          newest.map((o) => [
            h('a', { href: `/checks/${encodeURIComponent(o.checkId)}` }, o.checkName ?? o.checkId),
            names.site(o.vantagePoint),
            londonTime(o.from),
            londonTime(o.to),
            minutes(o.minutes),
            o.attribution.map((a) => `${ROLE_WORDS[a.role]} ${minutes(a.minutes)}`).join('; '),
          ]),
        ),
    answer.outages.length === 0 ? '' : accountingDetails(answer.accounting),
  );
}
