import type { AlertEvent, AlertMessage } from '../message.js';

/** What each event is called at the start of a subject or a card's title. */
export const EVENT_WORDS: Record<AlertEvent, string> = {
  opened: 'Opened',
  reminder: 'Reminder',
  escalated: 'Escalated',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
  'handed-over': 'Handed over',
  test: 'Test',
};

/** "[Opened] Marsh Lane Centre: 5 systems unreachable since 09:42". */
export function headline(message: AlertMessage): string {
  return `[${EVENT_WORDS[message.event]}] ${message.alert.title}`;
}

const london = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
});

/** An ISO time as staff read it: "3 Dec 2026, 09:42 GMT". A text that is not a time is shown as it is. */
export function londonTime(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : london.format(ms);
}

/** The first `max` items and "and N more": long lists must not push a message past a receiver's limit. */
export function listed(items: readonly string[], max: number): string {
  if (items.length <= max) return items.join(', ');
  if (max <= 0) return `${items.length}`;
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** `text` cut to `max` characters, with an ellipsis when it was cut. */
export function clipped(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

export interface Fact {
  title: string;
  value: string;
}

/** The incident's facts every channel shows, in the same order, each list cut to `maxItems`. */
export function factsOf(message: AlertMessage, maxItems = 10): Fact[] {
  const { alert } = message;
  const role =
    alert.responsible.role === 'owner'
      ? 'system owner: failing from at least half the sites that check it'
      : 'site host: confined to its sites';
  const facts: (Fact | undefined)[] = [
    alert.site && { title: 'Site', value: alert.site.name },
    alert.system && { title: 'System', value: alert.system.name },
    { title: 'Responsible', value: `${alert.responsible.organisationName} (${role})` },
    { title: 'Since', value: londonTime(alert.startedAt) },
    alert.resolvedAt !== undefined ? { title: 'Resolved', value: londonTime(alert.resolvedAt) } : undefined,
    alert.acknowledgedBy !== undefined
      ? { title: 'Acknowledged by', value: alert.acknowledgedBy }
      : undefined,
    { title: 'Severity', value: alert.severity },
    alert.sites.length > 0 ? { title: 'Sites', value: listed(alert.sites, maxItems) } : undefined,
    alert.checks.length > 0 ? { title: 'Checks', value: listed(alert.checks, maxItems) } : undefined,
    alert.errorClasses.length > 0
      ? { title: 'Errors', value: listed(alert.errorClasses, maxItems) }
      : undefined,
    alert.fromBacklog
      ? { title: 'Reported late', value: `results received ${londonTime(alert.fromBacklog.receivedAt)}` }
      : undefined,
    alert.inMaintenance ? { title: 'Maintenance', value: 'opened inside a maintenance window' } : undefined,
  ];
  return facts.filter((fact): fact is Fact => fact !== undefined);
}
