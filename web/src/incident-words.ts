import { h } from './dom.js';
import type { EstateNames } from './estate-names.js';
import { londonTime } from './format.js';
import type { IncidentView } from './types.js';

type Severity = IncidentView['severity'];

/** Worst first: how the Alerts page orders open incidents. */
export const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

const SEVERITY_TAGS: Record<Severity, [string, string, string]> = {
  critical: ['nhsuk-tag--red', '▲', 'Critical'],
  warning: ['nhsuk-tag--orange', '◆', 'Warning'],
  info: ['nhsuk-tag--blue', '●', 'Information'],
};

/** Severity as a tag with a shape and a word, so it never rests on colour alone. */
export function severityTag(severity: Severity): HTMLElement {
  const [modifier, shape, text] = SEVERITY_TAGS[severity] ?? ['nhsuk-tag--grey', '●', severity];
  return h(
    'strong',
    { class: `nhsuk-tag ${modifier}`, 'data-severity': severity },
    h('span', { 'aria-hidden': 'true' }, `${shape} `),
    text,
  );
}

const STATE_TAGS: Record<IncidentView['state'], [string, string]> = {
  open: ['nhsuk-tag--red', 'Open'],
  acknowledged: ['nhsuk-tag--yellow', 'Acknowledged'],
  resolved: ['nhsuk-tag--green', 'Resolved'],
};

export function incidentStateTag(state: IncidentView['state']): HTMLElement {
  const [modifier, text] = STATE_TAGS[state] ?? ['nhsuk-tag--grey', state];
  return h('strong', { class: `nhsuk-tag ${modifier}` }, text);
}

/** A span of time as staff say it: "42 min", "3 h 5 min", "2 days 4 h". */
export function spanText(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 1) return 'less than a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} days` : `${days} days ${hours % 24} h`;
}

/** "since 3 Dec, 09:42 (for 42 min)", or "3 Dec, 09:42 to 10:24 (42 min)" once resolved. */
export function sinceText(incident: IncidentView, now: number): string {
  const began = incident.startedAt ?? incident.openedAt ?? '';
  if (incident.resolvedAt)
    return `${londonTime(began)} to ${londonTime(incident.resolvedAt)} (${spanText(Date.parse(incident.resolvedAt) - Date.parse(began))})`;
  return `since ${londonTime(began)} (for ${spanText(now - Date.parse(began))})`;
}

const ROLE = { owner: 'system owner', host: 'site host' } as const;

/** Whose it is: the organisation, as the subject's owner or host. */
export function whoseText(incident: IncidentView, names: EstateNames): string {
  const { subject, responsible } = incident;
  const of = subject.kind === 'system' ? names.system(subject.id) : names.site(subject.id);
  return `${responsible.organisationName}, ${ROLE[responsible.role]} of ${of}`;
}

/** Why it is theirs, in the words of the attribution rule. */
export function whyText(incident: IncidentView): string {
  if (incident.rule === 'agent-silent')
    return "The site's agent has gone silent: the site's host looks after the agent and the site's network.";
  if (incident.rule === 'certificate-expiry')
    return "A certificate is close to expiry: the system's owner renews it.";
  const owner = incident.responsible.role === 'owner';
  if (incident.rule === 'burn-rate')
    return owner
      ? 'Most of the error budget burnt was failing or slow from at least half of the places it is checked from, so the system itself: its owner’s to fix.'
      : 'Most of the error budget burnt was failing or slow at this site only, so the site’s own infrastructure: its host’s to fix.';
  const trouble = incident.rule === 'latency' ? 'Slow' : 'Failing';
  return owner
    ? `${trouble} from at least half of the places it is checked from, so the system itself: its owner’s to fix.`
    : `${trouble} from this site only, so the site’s own infrastructure: its host’s to fix.`;
}

/** "By Riverside IT team, 3 Dec, 09:50", or "Not yet". */
export function acknowledgedText(incident: IncidentView): string {
  return incident.acknowledgedAt
    ? `By ${incident.acknowledgedBy ?? 'someone'}, ${londonTime(incident.acknowledgedAt)}`
    : incident.resolvedAt
      ? 'Not acknowledged'
      : 'Not yet';
}

/** The marks an incident carries: opened from an agent's backlog, or inside maintenance. */
export function marks(incident: IncidentView): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (incident.fromBacklog)
    out.push(h('strong', { class: 'nhsuk-tag nhsuk-tag--grey', 'data-mark': 'backlog' }, 'From a backlog'));
  if (incident.inMaintenance)
    out.push(
      h('strong', { class: 'nhsuk-tag nhsuk-tag--blue', 'data-mark': 'maintenance' }, 'In maintenance'),
    );
  return out;
}

/** The backlog mark in words: when the results arrived, against when the trouble began. */
export function backlogText(incident: IncidentView): string | undefined {
  if (!incident.fromBacklog?.receivedAt) return undefined;
  return `Opened from results an agent sent late, received ${londonTime(incident.fromBacklog.receivedAt)}; the trouble began ${londonTime(incident.startedAt ?? '')}.`;
}
