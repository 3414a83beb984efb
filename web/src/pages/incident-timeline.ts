import { h } from '../dom.js';
import type { EstateNames } from '../estate-names.js';
import { londonTime } from '../format.js';
import { responsiveTable } from '../table.js';
import type { IncidentView } from '../types.js';

type Entry = IncidentView['timeline'][number];

const ROLE = { owner: 'system owner', host: 'site host' } as const;
const MESSAGE: Record<string, string> = {
  opened: 'opened',
  reminder: 'reminder',
  escalated: 'escalation',
  acknowledged: 'acknowledgement',
  resolved: 'resolved',
  'handed-over': 'hand-over',
};

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
const message = (detail: Record<string, unknown>) =>
  MESSAGE[String(detail.event)] ?? String(detail.event ?? '');

/** One line of the timeline in words: what happened, and where a message went. */
export function entryText(entry: Entry, names: EstateNames): [string, string] {
  const d = entry.detail;
  switch (entry.kind) {
    case 'opened':
      return [
        'Opened',
        d.fromBacklog
          ? 'Opened from results an agent sent late.'
          : d.inMaintenance
            ? 'Opened inside a maintenance window: nobody was told.'
            : (text(d.title) ?? ''),
      ];
    case 'notified':
      return [
        'Notified',
        d.handedOver === false
          ? `The ${message(d)} message could not be queued for ${text(d.channel) ?? 'a channel'}.`
          : `The ${message(d)} message queued for ${text(d.channel) ?? 'a channel'}.`,
      ];
    case 'delivered':
      return d.delivered
        ? ['Delivered', `The ${message(d)} message was accepted by ${text(d.channel) ?? 'a channel'}.`]
        : [
            'Not delivered',
            `The ${message(d)} message to ${text(d.channel) ?? 'a channel'} was given up after ${Number(d.attempts ?? 0)} tries${d.reason ? `: ${text(d.reason)}` : ''}.`,
          ];
    case 'acknowledged':
      return [
        'Acknowledged',
        `By ${text(d.by) ?? 'someone'}${d.via === 'link' ? ', from the link in a message' : d.via === 'api' ? ', from Vantage' : ''}.`,
      ];
    case 'escalated': {
      const to = d.to as { organisation?: string; role?: keyof typeof ROLE; incident?: string } | undefined;
      const whom = to?.organisation
        ? `${names.organisation(to.organisation)}${to.role ? ` (${ROLE[to.role]})` : ''}`
        : 'further channels';
      return ['Escalated', `${text(d.why) ?? 'Not acknowledged in time'}: now ${whom}.`];
    }
    case 'reminded':
      return ['Reminded', 'Still open: a reminder was sent.'];
    case 'resolved': {
      // A host's incident that became another organisation's ends handed over, not recovered.
      const to =
        (d.handedOver as { to?: { organisation?: string; incident?: string }[] } | undefined)?.to ?? [];
      if (to.length === 0) return ['Resolved', 'Every check it covered recovered.'];
      const whom = to.map((t) =>
        t.organisation ? names.organisation(t.organisation) : 'another organisation',
      );
      const incidents = to.map((t) => t.incident).join(', ');
      return [
        'Handed over',
        `No longer theirs: now ${[...new Set(whom)].join(' and ')}'s, as incident ${incidents}.`,
      ];
    }
    case 'changed':
      return ['Changed', text(d.why) ?? text(d.title) ?? 'What it covers changed.'];
    default:
      return [entry.kind, ''];
  }
}

/** The whole timeline, oldest first, as a table so it reads on any screen and in print. */
export function timelineTable(incident: IncidentView, names: EstateNames): HTMLElement {
  if (incident.timeline.length === 0) return h('p', { class: 'nhsuk-body' }, 'Nothing recorded yet.');
  const table = responsiveTable(
    'What happened, oldest first',
    ['When (London time)', 'What', 'Detail'],
    incident.timeline.map((entry) => {
      const [what, detail] = entryText(entry, names);
      return [londonTime(entry.at ?? ''), h('strong', {}, what), detail];
    }),
  );
  table.setAttribute('data-testid', 'incident-timeline');
  return table;
}
