import type { Estate } from '../config/schema.js';
import type { IncidentRow, MemberRow } from '../store/incidents.js';
import { ACK_LINK_MS, ackToken } from './ack-link.js';
import { type AlertSettings, RULE_IDS, type RuleName } from './config.js';
import type { AlertDetail, AlertEvent, AlertMessage } from './message.js';

export interface MessageContext {
  estate: Estate;
  /** The server's address as people reach it, ending in `/`. */
  baseUrl: string;
  ackKey: Buffer;
  now: number;
}

/** An incident as a channel shows it. */
export function alertDetail(
  incident: IncidentRow,
  members: readonly MemberRow[],
  context: MessageContext,
): AlertDetail {
  const { estate } = context;
  const organisation = estate.organisations.find((o) => o.id === incident.organisation);
  const system =
    incident.subject.kind === 'system' ? estate.systems.find((s) => s.id === incident.subject.id) : undefined;
  const site =
    incident.subject.kind === 'site' ? estate.sites.find((s) => s.id === incident.subject.id) : undefined;
  // While open, what it covers now (a series that recovered or moved to another incident is not where it
  // is seen any more); once resolved, everything it covered.
  const current = members.filter((m) => m.leftAt === null);
  const covered = incident.resolvedAt === null && current.length > 0 ? current : members;
  const checks = [...new Set(covered.map((m) => m.checkId))].sort();
  const sites = [...new Set(covered.map((m) => m.vantagePoint))].sort();
  const url = `${context.baseUrl}alerts/${incident.id}`;
  const handedOverTo = (incident.evidence.handedOver?.to ?? []).map((to) => ({
    incident: to.incident,
    organisation: to.organisation,
    organisationName: estate.organisations.find((o) => o.id === to.organisation)?.name ?? to.organisation,
    url: `${context.baseUrl}alerts/${to.incident}`,
  }));
  const open = incident.resolvedAt === null && incident.acknowledgedAt === null;
  const token = ackToken(context.ackKey, incident.id, context.now + ACK_LINK_MS);
  return {
    id: incident.id,
    rule: incident.rule,
    severity: incident.severity,
    title: incident.title,
    summary: summaryOf(incident, sites, organisation?.name ?? incident.organisation, context),
    responsible: {
      organisation: incident.organisation,
      organisationName: organisation?.name ?? incident.organisation,
      role: incident.role,
    },
    ...(system ? { system: { id: system.id, name: system.name } } : {}),
    ...(site ? { site: { id: site.id, name: site.name } } : {}),
    checks,
    sites,
    startedAt: new Date(incident.startedAt).toISOString(),
    ...(incident.resolvedAt !== null ? { resolvedAt: new Date(incident.resolvedAt).toISOString() } : {}),
    ...(incident.acknowledgedBy !== null ? { acknowledgedBy: incident.acknowledgedBy } : {}),
    ...(incident.backlogReceivedAt !== null
      ? { fromBacklog: { receivedAt: new Date(incident.backlogReceivedAt).toISOString() } }
      : {}),
    ...(incident.inMaintenance ? { inMaintenance: true } : {}),
    ...(incident.resolvedAt !== null && handedOverTo.length > 0 ? { handedOverTo } : {}),
    errorClasses: incident.evidence.errorClasses,
    ...(incident.evidence.firstFailure ? { firstFailure: incident.evidence.firstFailure } : {}),
    url,
    ...(open ? { ackUrl: `${url}/ack?token=${token}` } : {}),
  };
}

function summaryOf(
  incident: IncidentRow,
  sites: string[],
  whose: string,
  { estate }: MessageContext,
): string {
  const siteName = (id: string) =>
    estate.sites.find((s) => s.id === id)?.name ?? (id === 'server' ? 'the Vantage server' : id);
  const why =
    incident.rule === RULE_IDS.agentSilent
      ? `${whose} hosts the site; its checks there are unknown, not down, until the agent is heard again.`
      : incident.rule === RULE_IDS.burnRate
        ? `Most of the down time burning the principle's error budget is ${whose}'s, as the principles attribute it (${incident.role}).`
        : incident.rule === RULE_IDS.latency
          ? incident.role === 'owner'
            ? `${whose} owns the system: it is slow from at least half of the places it is checked from.`
            : `${whose} hosts the site: it is slow only from there, while other sites see the same systems answer in time.`
          : incident.role === 'owner'
            ? `${whose} owns the system: it fails from at least half of the places it is checked from.`
            : `${whose} hosts the site: the failures are confined to it, while other sites reach the same systems.`;
  const where = sites.length > 0 ? ` Seen from ${sites.map(siteName).join(', ')}.` : '';
  const first = incident.evidence.firstFailure;
  const evidence = first
    ? ` First failure: ${first.checkId} from ${siteName(first.vantagePoint)} at ${first.startedAt}${first.errorClass ? ` (${first.errorClass}${first.message ? `: ${first.message}` : ''})` : ''}.`
    : '';
  const backlog =
    incident.backlogReceivedAt !== null
      ? ' Opened from results that arrived late, from an agent’s backlog.'
      : '';
  const maintenance = incident.inMaintenance ? ' It began inside a maintenance window.' : '';
  const handed = handOverText(incident, estate);
  return `${incident.title}.${where}${evidence} ${handed ?? why}${backlog}${maintenance}`;
}

/** A hand-over said in words: to whom it went (once closed for the host), or from whom it came. */
function handOverText(incident: IncidentRow, estate: Estate): string | undefined {
  const name = (id: string) => estate.organisations.find((o) => o.id === id)?.name ?? id;
  const names = (list: readonly { organisation: string }[]) => [
    ...new Set(list.map((h) => name(h.organisation))),
  ];
  const { to, from } = incident.evidence.handedOver ?? {};
  if (incident.rule === RULE_IDS.burnRate) {
    const budget = 'the down time burning the principle’s error budget';
    if (to && to.length > 0 && incident.resolvedAt !== null)
      return `No longer yours: most of ${budget} is now ${names(to).join(' and ')}'s, as the principles attribute it.`;
    if (from && from.length > 0)
      return `Most of ${budget} is now ${name(incident.organisation)}'s, as the principles attribute it (${incident.role}); it was ${names(from).join(' and ')}'s.`;
    return undefined;
  }
  if (to && to.length > 0 && incident.resolvedAt !== null)
    return `No longer yours: handed to ${names(to).join(' and ')}, which owns the system: it now fails from at least half of the places it is checked from.`;
  if (from && from.length > 0)
    return `${name(incident.organisation)} owns the system: it fails from at least half of the places it is checked from. Handed over by ${names(from).join(' and ')}, whose site saw it first.`;
  return undefined;
}

/** One message for one channel; the key is the same for every attempt at it, and different for any other. */
export function alertMessage(
  event: AlertEvent,
  at: number,
  channelId: string,
  detail: AlertDetail,
  /** Tells apart messages of one event that recur (the second reminder, the third escalation step). */
  nth?: string,
): AlertMessage {
  return {
    version: 1,
    event,
    idempotencyKey: `${detail.id}:${event}:${channelId}${nth === undefined ? '' : `:${nth}`}`,
    at: new Date(at).toISOString(),
    alert: detail,
  };
}

/**
 * The channels an incident's messages go to: the responsible organisation's, and the commissioners'
 * when the estate asks for a copy, each kept only if its route (when it has one) takes the rule and
 * severity.
 */
export function channelsFor(estate: Estate, settings: AlertSettings, incident: IncidentRow): string[] {
  const commissioners = settings.copyCommissioner
    ? new Set(estate.organisations.filter((o) => o.kind === 'commissioner').map((o) => o.id))
    : new Set<string>();
  const rule = (Object.keys(RULE_IDS) as RuleName[]).find((name) => RULE_IDS[name] === incident.rule);
  return estate.channels
    .filter(
      (channel) => channel.organisation === incident.organisation || commissioners.has(channel.organisation),
    )
    .filter((channel) => {
      const route = settings.routes.find((r) => r.channel === channel.id);
      if (!route) return true;
      if (route.rules && (!rule || !route.rules.includes(rule))) return false;
      return !route.severities || route.severities.includes(incident.severity);
    })
    .map((channel) => channel.id);
}
