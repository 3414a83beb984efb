import { getJson } from '../api.js';
import { h, plural } from '../dom.js';
import { ago, londonTime } from '../format.js';
import type { IncidentView, OverviewNowResponse } from '../types.js';

/** The open incidents, for those who may read them; none for a visitor of a public overview. */
export type OpenIncidents = () => Promise<IncidentView[]>;

const clockTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  minute: '2-digit',
});
const londonDay = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'short' });

/** "09:42" today, "2 Dec, 09:42" before: when something began, as staff read it. */
function sinceText(at: string, now: string): string {
  return londonDay.format(new Date(at)) === londonDay.format(new Date(now))
    ? clockTime.format(new Date(at))
    : londonTime(at);
}

const ROLE = { host: 'site host', owner: 'system owner' } as const;

function failingList(now: OverviewNowResponse, incidents: IncidentView[]): HTMLElement {
  if (now.failing.length === 0)
    return h(
      'p',
      { class: 'nhsuk-body-s', 'data-testid': 'failing-none' },
      h('span', { 'aria-hidden': 'true' }, '✓ '),
      'Nothing is failing now.',
    );
  return h(
    'ul',
    { class: 'nhsuk-list vantage-failing', 'data-testid': 'failing' },
    ...now.failing.map((line) => {
      // The same attribution decides both, so a site's line is its host's incident, a system's its owner's.
      const incident = incidents.find((i) => i.subject.kind === line.kind && i.subject.id === line.id);
      return h(
        'li',
        { 'data-kind': line.kind, 'data-id': line.id },
        h('span', { 'aria-hidden': 'true', class: 'vantage-failing__shape' }, '✕ '),
        h('a', { href: line.href }, h('strong', {}, line.name)),
        `: ${line.what} since ${sinceText(line.since, now.at)}`,
        h(
          'span',
          { class: 'vantage-note' },
          ` ${line.responsible.name} (${ROLE[line.responsible.role]})`,
          // On the note's line, so a linked incident never pushes the rest of the overview down.
          incident
            ? [
                ' · ',
                h(
                  'a',
                  { href: `/alerts/${encodeURIComponent(incident.id)}`, 'data-testid': 'failing-incident' },
                  incident.acknowledgedBy
                    ? `Alert ${incident.id}, acknowledged`
                    : `Open alert ${incident.id}`,
                ),
              ]
            : '',
        ),
      );
    }),
  );
}

function silentList(now: OverviewNowResponse): HTMLElement {
  if (now.silentAgents.length === 0)
    return h(
      'p',
      { class: 'nhsuk-body-s', 'data-testid': 'silent-none' },
      `Every agent that has spoken was heard in the last ${now.silentAfterSeconds} seconds.`,
    );
  return h(
    'ul',
    { class: 'nhsuk-list', 'data-testid': 'silent-agents' },
    ...now.silentAgents.map((agent) =>
      h(
        'li',
        {},
        h('span', { 'aria-hidden': 'true' }, '○ '),
        h('strong', {}, agent.name),
        `: last heard ${ago(agent.lastSeen, Date.parse(now.at))} (${londonTime(agent.lastSeen)})`,
        h('span', { class: 'vantage-note' }, ` ${agent.hostName} (site host)`),
      ),
    ),
  );
}

/** The parts of the overview that change by the minute: failing now and silent agents, and when. */
export function liveParts(
  first: OverviewNowResponse,
  firstIncidents: IncidentView[],
  openIncidents?: OpenIncidents,
): { element: HTMLElement; start: () => void } {
  const failing = h('div', {}, failingList(first, firstIncidents));
  const silent = h('div', {}, silentList(first));
  const updated = h('p', {
    class: 'nhsuk-body-s vantage-note',
    'data-testid': 'updated',
    'aria-live': 'polite',
  });
  const show = (now: OverviewNowResponse, incidents: IncidentView[]) => {
    failing.replaceChildren(failingList(now, incidents));
    silent.replaceChildren(silentList(now));
    updated.textContent = `Updated at ${londonTime(now.at)} (London time); checked again every ${plural(now.refreshSeconds, 'second')}.`;
  };
  show(first, firstIncidents);
  const element = h(
    'section',
    { class: 'vantage-overview__live', 'aria-labelledby': 'failing-heading' },
    h('h2', { class: 'nhsuk-heading-s', id: 'failing-heading' }, 'Failing now'),
    failing,
    h('h2', { class: 'nhsuk-heading-s', id: 'silent-heading' }, 'Silent agents'),
    silent,
    updated,
  );
  let every = first.refreshSeconds;
  // Asked again one interval after the last answer came, so slow answers never pile up; stops with the page.
  const start = () => {
    const next = () =>
      setTimeout(async () => {
        if (!element.isConnected) return;
        try {
          const [now, incidents] = await Promise.all([
            getJson<OverviewNowResponse>('/api/v1/overview/now'),
            openIncidents ? openIncidents() : [],
          ]);
          every = now.refreshSeconds;
          show(now, incidents);
        } catch (error) {
          updated.textContent = `Could not update: ${(error as Error).message} Trying again in ${plural(every, 'second')}.`;
        }
        next();
      }, every * 1000);
    next();
  };
  return { element, start };
}
