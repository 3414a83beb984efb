import { getJson } from '../api.js';
import { h, plural } from '../dom.js';
import { type EstateNames, estateNames } from '../estate-names.js';
import { londonTime } from '../format.js';
import {
  acknowledgedText,
  incidentStateTag,
  marks,
  SEVERITY_RANK,
  severityTag,
  sinceText,
  whoseText,
  whyText,
} from '../incident-words.js';
import { responsiveTable } from '../table.js';
import type { EstateView, IncidentView } from '../types.js';

const TITLE = 'Alerts';
/** How often an open page asks again, as the overview's live parts do. */
export const REFRESH_SECONDS = 30;
/** Resolved incidents shown under the open ones. */
const RESOLVED_SHOWN = 50;

/** Open ones worst first, then the longest open; resolved ones newest first. */
export function ordered(items: IncidentView[]): { open: IncidentView[]; resolved: IncidentView[] } {
  const began = (i: IncidentView) => Date.parse(i.startedAt ?? i.openedAt ?? '');
  const open = items
    .filter((i) => i.state !== 'resolved')
    .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || began(a) - began(b));
  const resolved = items
    .filter((i) => i.state === 'resolved')
    .sort((a, b) => Date.parse(b.resolvedAt ?? '') - Date.parse(a.resolvedAt ?? ''))
    .slice(0, RESOLVED_SHOWN);
  return { open, resolved };
}

/**
 * Every incident: open ones first (worst, then oldest), then the recently resolved; filtered by
 * organisation and state in the address, so a filtered list can be bookmarked and works as a plain form.
 */
export async function alertsPage(main: HTMLElement): Promise<string> {
  const params = new URLSearchParams(location.search);
  const state = params.get('state') === 'open' ? 'open' : 'all';
  const estate = await getJson<EstateView>('/api/v1/estate');
  const names = estateNames(estate);
  const asked = params.get('organisation') ?? '';
  const organisation = estate.organisations.some((o) => o.id === asked) ? asked : '';
  const query = (s: 'open' | 'all', limit: number) =>
    `/api/v1/alerts?state=${s}&limit=${limit}${organisation ? `&organisation=${encodeURIComponent(organisation)}` : ''}`;
  const load = async () => {
    // Open ones in full; resolved ones from the newest of all.
    const [open, all] = await Promise.all([
      getJson<{ items: IncidentView[] }>(query('open', 500)),
      state === 'all' ? getJson<{ items: IncidentView[] }>(query('all', 200)) : { items: [] },
    ]);
    const seen = new Set(open.items.map((i) => i.id));
    return ordered([...open.items, ...all.items.filter((i) => !seen.has(i.id))]);
  };

  const lists = h('div', { 'data-testid': 'alert-lists' });
  const updated = h('p', {
    class: 'nhsuk-body-s vantage-note',
    'data-testid': 'updated',
    'aria-live': 'polite',
  });
  const show = (found: Awaited<ReturnType<typeof load>>) => {
    const now = Date.now();
    lists.replaceChildren(
      h('h2', { id: 'open' }, `Open (${found.open.length})`),
      found.open.length === 0
        ? h('p', { class: 'nhsuk-body', 'data-testid': 'open-none' }, 'Nothing is open.')
        : incidentsTable(
            'Open incidents, worst first, then the longest open',
            found.open,
            names,
            now,
            'open',
          ),
      state === 'all' ? h('h2', { id: 'resolved' }, 'Recently resolved') : '',
      state === 'all'
        ? found.resolved.length === 0
          ? h('p', { class: 'nhsuk-body', 'data-testid': 'resolved-none' }, 'None resolved yet.')
          : incidentsTable('Resolved incidents, newest first', found.resolved, names, now, 'resolved')
        : '',
    );
    updated.textContent = `Updated at ${londonTime(now)} (London time); checked again every ${plural(REFRESH_SECONDS, 'second')}.`;
  };
  show(await load());

  main.replaceChildren(
    h('h1', {}, TITLE),
    h(
      'p',
      { class: 'nhsuk-lede-text' },
      'Each incident is one cause, told to the organisation that must act: a system’s owner when it fails from at least half of the places it is checked from, a site’s host when the trouble is confined to the site.',
    ),
    filterForm(estate, organisation, state),
    lists,
    updated,
  );
  refreshWhileShown(lists, async () => show(await load()), updated);
  return TITLE;
}

/** Asks again an interval after the last answer, without reloading, until the page is left. */
export function refreshWhileShown(
  element: HTMLElement,
  again: () => Promise<void>,
  status: HTMLElement,
): void {
  const next = () =>
    setTimeout(async () => {
      if (!element.isConnected) return;
      try {
        await again();
      } catch (error) {
        status.textContent = `Could not update: ${(error as Error).message} Trying again in ${plural(REFRESH_SECONDS, 'second')}.`;
      }
      next();
    }, REFRESH_SECONDS * 1000);
  next();
}

/** A plain GET form: the filter is the address, with or without the page's script. */
function filterForm(estate: EstateView, organisation: string, state: 'open' | 'all'): HTMLElement {
  const option = (value: string, text: string, chosen: boolean) =>
    h('option', { value, selected: chosen }, text);
  return h(
    'form',
    { method: 'get', action: '/alerts', class: 'vantage-alert-filter', 'data-testid': 'alert-filter' },
    h(
      'div',
      { class: 'nhsuk-form-group' },
      h('label', { class: 'nhsuk-label', for: 'filter-organisation' }, 'Organisation'),
      h(
        'select',
        { class: 'nhsuk-select', id: 'filter-organisation', name: 'organisation' },
        option('', 'Every organisation', organisation === ''),
        ...estate.organisations.map((o) => option(o.id, o.name, o.id === organisation)),
      ),
    ),
    h(
      'div',
      { class: 'nhsuk-form-group' },
      h('label', { class: 'nhsuk-label', for: 'filter-state' }, 'Show'),
      h(
        'select',
        { class: 'nhsuk-select', id: 'filter-state', name: 'state' },
        option('all', 'Open and recently resolved', state === 'all'),
        option('open', 'Open only', state === 'open'),
      ),
    ),
    h('button', { class: 'nhsuk-button nhsuk-button--secondary', type: 'submit' }, 'Show alerts'),
  );
}

function incidentsTable(
  caption: string,
  items: IncidentView[],
  names: EstateNames,
  now: number,
  testid: string,
): HTMLElement {
  const table = responsiveTable(
    caption,
    ['Severity', 'Incident', 'Whose, and why', 'When (London time)', 'Acknowledged'],
    items.map((i) => [
      h('span', {}, severityTag(i.severity), ' ', incidentStateTag(i.state)),
      h(
        'span',
        {},
        h('a', { href: `/alerts/${encodeURIComponent(i.id)}` }, i.title),
        ...marks(i).flatMap((m) => [' ', m]),
      ),
      h('span', {}, h('strong', {}, whoseText(i, names)), h('span', { class: 'vantage-note' }, whyText(i))),
      sinceText(i, now),
      acknowledgedText(i),
    ]),
    items.map((i) => `incident-${i.id}`),
  );
  table.setAttribute('data-testid', testid);
  return table;
}
