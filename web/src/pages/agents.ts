import { getJson } from '../api.js';
import { h, plural } from '../dom.js';
import { organisationLink } from '../estate-names.js';
import { ago, count, londonTime } from '../format.js';
import { agentAnchor } from '../labels.js';
import { agentTag } from '../state-tags.js';
import { responsiveTable } from '../table.js';
import type { Agent, AgentsResponse } from '../types.js';

function warning(text: string): HTMLElement {
  return h('span', { class: 'vantage-warning' }, h('strong', {}, 'Warning: '), text);
}

function site(agent: Agent): Node {
  return h('span', {}, agent.siteName, h('br'), h('code', { class: 'nhsuk-body-s' }, agent.site));
}

function state(agent: Agent): Node {
  return h(
    'span',
    {},
    agentTag(agent.state),
    agent.state === 'never-seen' && agent.tokens === 0
      ? h('span', { class: 'vantage-note' }, 'No agent token made for this site yet.')
      : '',
  );
}

function lastSeen(agent: Agent, now: number): Node | string {
  if (agent.lastSeen === null) return 'Never';
  return h('span', {}, londonTime(agent.lastSeen), h('br'), ago(agent.lastSeen, now));
}

function clockOffset(agent: Agent, skewLimitMs: number): Node | string {
  const offset = agent.clockOffsetMs;
  if (offset === null) return '—';
  const words = offset === 0 ? '0 ms' : `${count(Math.abs(offset))} ms ${offset > 0 ? 'ahead' : 'behind'}`;
  return h(
    'span',
    {},
    words,
    agent.clockSkewed ? warning(`clock differs from the server by more than ${skewLimitMs / 1000} s`) : '',
  );
}

const results = (n: number) => `${count(n)} ${n === 1 ? 'result' : 'results'}`;

function backlog(agent: Agent): Node | string {
  const outbox = agent.outbox;
  if (outbox === null) return '—';
  return h(
    'span',
    {},
    outbox.depth === 0 ? 'None waiting' : `${results(outbox.depth)} waiting`,
    outbox.oldestAt ? h('span', { class: 'vantage-note' }, `oldest from ${londonTime(outbox.oldestAt)}`) : '',
    outbox.dropped > 0 ? warning(`${results(outbox.dropped)} dropped before they could be sent`) : '',
  );
}

function summary(items: Agent[]): string {
  const inState = (state: Agent['state']) => items.filter((a) => a.state === state).length;
  return `${inState('online')} of ${plural(items.length, 'agent')} online; ${inState('silent')} silent; ${inState('never-seen')} never seen.`;
}

/** Each partner site's agent: whether it is heard from, its clock, and what it still has to send. */
export async function agentsPage(main: HTMLElement): Promise<string> {
  const agents = await getJson<AgentsResponse>('/api/v1/agents');
  const now = Date.now();
  main.replaceChildren(
    h('h1', {}, 'Agents'),
    h(
      'p',
      { class: 'nhsuk-lede-text' },
      'Each partner site runs an agent that probes the checks assigned to it from there, so results show what staff at that site see.',
    ),
    ...(agents.items.length === 0
      ? [
          h(
            'p',
            { class: 'nhsuk-body', 'data-testid': 'agents-empty' },
            'No site has checks assigned to an agent yet. Add ',
            h('code', {}, 'from: [site]'),
            ' to a check in the estate file.',
          ),
        ]
      : [
          h('p', { class: 'nhsuk-body', 'data-testid': 'agents-summary' }, summary(agents.items)),
          h(
            'p',
            { class: 'nhsuk-body-s nhsuk-u-secondary-text-colour' },
            `An agent says it is alive every ${agents.heartbeatSeconds} seconds; one not heard from for ${agents.silentAfterSeconds} seconds is silent. While it is silent its site's results are unknown, not failures.`,
          ),
          responsiveTable(
            'Each site’s agent, and the host organisation responsible for the site’s IT',
            [
              'Site',
              'Host organisation',
              'State',
              'Last seen',
              'Version',
              'Clock offset',
              'Outbox backlog',
              'Checks assigned',
            ],
            agents.items.map((agent) => [
              site(agent),
              organisationLink(agent.host, agent.hostName),
              state(agent),
              lastSeen(agent, now),
              agent.version ?? '—',
              clockOffset(agent, agents.skewLimitMs),
              backlog(agent),
              agent.checks,
            ]),
            agents.items.map((agent) => agentAnchor(agent.site)),
          ),
        ]),
  );
  return 'Agents';
}
