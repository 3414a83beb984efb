import { ApiFailure, getJson } from '../api.js';
import { h, listInWords } from '../dom.js';
import { londonTime } from '../format.js';
import type {
  CellState,
  MeResponse,
  StatusCell,
  StatusMaintenance,
  StatusPlace,
  StatusResponse,
} from '../types.js';

/** How often the page asks again: staff leave it open, and a problem shows within one interval. */
const REFRESH_MS = 30_000;

const clock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  minute: '2-digit',
});

/** Each state in words with a shape of its own, so it never rests on colour alone. */
const STATES: Record<CellState, { words: string; shape: string; modifier: string }> = {
  up: { words: 'Up', shape: '✓', modifier: 'nhsuk-tag--green' },
  slow: { words: 'Slow', shape: '▲', modifier: 'nhsuk-tag--yellow' },
  down: { words: 'Down', shape: '✕', modifier: 'nhsuk-tag--red' },
  unknown: { words: 'Unknown', shape: '?', modifier: 'nhsuk-tag--grey' },
  maintenance: { words: 'Maintenance', shape: '◆', modifier: 'nhsuk-tag--blue' },
};

function stateTag(state: CellState): HTMLElement {
  const { words, shape, modifier } = STATES[state];
  return h(
    'strong',
    { class: `nhsuk-tag ${modifier} vantage-status__tag` },
    h('span', { 'aria-hidden': 'true', class: 'vantage-status__shape' }, shape),
    words,
  );
}

function cell(item: StatusCell): HTMLElement {
  const name = item.systemId ? h('a', { href: `/systems/${item.systemId}` }, item.system) : item.system;
  return h(
    'li',
    { class: 'vantage-status__item', 'data-state': item.state },
    h('span', { class: 'vantage-status__system' }, name),
    h(
      'span',
      {},
      stateTag(item.state),
      item.since ? h('span', { class: 'vantage-note' }, `since ${londonTime(item.since)}`) : '',
    ),
  );
}

function place(where: StatusPlace, index: number): HTMLElement {
  const counts = (state: CellState) => where.systems.filter((item) => item.state === state).length;
  const down = counts('down');
  return h(
    'section',
    { class: 'vantage-status__place', 'aria-labelledby': `place-${index + 1}` },
    h('h3', { id: `place-${index + 1}` }, where.kind === 'server' ? 'From the Vantage server' : where.name),
    h(
      'p',
      { class: 'nhsuk-body-s' },
      down === 0 ? 'Nothing down here.' : `${down} of ${where.systems.length} systems down here.`,
    ),
    h('ul', { class: 'nhsuk-list vantage-status__list' }, where.systems.map(cell)),
  );
}

function when(item: StatusMaintenance): string {
  const sameDay = londonTime(item.from).split(',')[0] === londonTime(item.to).split(',')[0];
  return `${londonTime(item.from)} to ${sameDay ? clock.format(new Date(item.to)) : londonTime(item.to)}`;
}

function work(item: StatusMaintenance): HTMLElement {
  const covers = [
    ...(item.systems.length > 0 ? [listInWords(item.systems)] : []),
    ...(item.sites.length > 0 ? [`everything at ${listInWords(item.sites)}`] : []),
  ];
  return h(
    'li',
    {},
    h('strong', {}, item.title),
    h('span', { class: 'vantage-note' }, when(item)),
    covers.length > 0 ? h('span', { class: 'vantage-note' }, `Affects ${covers.join('; ')}.`) : '',
  );
}

function maintenance(status: StatusResponse): HTMLElement[] {
  const { now, next } = status.maintenance;
  return [
    h('h2', {}, 'Planned maintenance'),
    h('h3', {}, 'On now'),
    now.length === 0
      ? h('p', { class: 'nhsuk-body' }, 'None.')
      : h(
          'ul',
          { class: 'nhsuk-list vantage-maintenance-list', 'data-testid': 'maintenance-now' },
          now.map(work),
        ),
    h('h3', {}, 'In the next 7 days'),
    next.length === 0
      ? h('p', { class: 'nhsuk-body' }, 'None planned.')
      : h(
          'ul',
          { class: 'nhsuk-list vantage-maintenance-list', 'data-testid': 'maintenance-next' },
          next.map(work),
        ),
  ];
}

function problems(status: StatusResponse): HTMLElement[] {
  if (status.incidents.length === 0)
    return [
      h('h2', {}, 'Problems now'),
      h('p', { class: 'nhsuk-body', 'data-testid': 'no-incidents' }, 'Nothing is down now.'),
    ];
  return [
    h('h2', {}, 'Problems now'),
    h(
      'ul',
      { class: 'nhsuk-list vantage-incidents', 'data-testid': 'incidents' },
      status.incidents.map((incident) =>
        h(
          'li',
          { class: 'vantage-warning' },
          h('span', { 'aria-hidden': 'true', class: 'vantage-status__shape' }, STATES.down.shape),
          incident.text,
        ),
      ),
    ),
  ];
}

function content(status: StatusResponse): HTMLElement[] {
  return [
    h(
      'p',
      { class: 'nhsuk-body-s', 'data-testid': 'updated-at' },
      `Updated at ${clock.format(new Date(status.at))}. This page updates itself every 30 seconds.`,
    ),
    ...problems(status),
    h('h2', {}, 'Each system at each site'),
    status.places.length === 0
      ? h('p', { class: 'nhsuk-body' }, 'No system is checked from any site yet.')
      : h('div', { class: 'vantage-status__places' }, status.places.map(place)),
    ...maintenance(status),
  ];
}

/** "Is it down, or just me?": what works now at each site, what is down, and the planned work. */
export async function statusPage(
  main: HTMLElement,
  _id: string,
  _me: MeResponse | undefined,
): Promise<string> {
  const live = h('div', { 'data-testid': 'status' });
  live.replaceChildren(...content(await getJson<StatusResponse>('/api/v1/status')));
  main.replaceChildren(
    h('h1', {}, 'Status'),
    h(
      'p',
      { class: 'nhsuk-lede-text' },
      'Is it down, or just me? Each system as seen from each site now, what is not working, and planned maintenance.',
    ),
    live,
  );
  window.setInterval(() => void refresh(live), REFRESH_MS);
  return 'Status';
}

async function refresh(live: HTMLElement): Promise<void> {
  try {
    live.replaceChildren(...content(await getJson<StatusResponse>('/api/v1/status')));
  } catch (error) {
    // Keep what was shown, and say it may be out of date.
    const note = live.querySelector('[data-testid="updated-at"]');
    const reason = error instanceof ApiFailure ? error.message : 'the server could not be reached';
    if (note) note.textContent = `${note.textContent?.split('.')[0]}. Could not update: ${reason}`;
  }
}
