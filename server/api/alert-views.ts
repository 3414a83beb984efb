import type { Estate } from '../config/schema.js';
import type { IncidentEvent, IncidentRow, MemberRow } from '../store/incidents.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** An incident as the API gives it: what, whose, since when, the evidence, the series and the timeline. */
export function incidentView(
  incident: IncidentRow,
  members: readonly MemberRow[],
  events: readonly IncidentEvent[],
  estate: Estate | undefined,
) {
  const organisation = estate?.organisations.find((o) => o.id === incident.organisation);
  return {
    id: incident.id,
    rule: incident.rule,
    severity: incident.severity,
    title: incident.title,
    state:
      incident.resolvedAt !== null ? 'resolved' : incident.acknowledgedAt !== null ? 'acknowledged' : 'open',
    responsible: {
      organisation: incident.organisation,
      organisationName: organisation?.name ?? incident.organisation,
      role: incident.role,
    },
    subject: incident.subject,
    checks: [...new Set(members.map((m) => m.checkId))].sort(),
    sites: [...new Set(members.map((m) => m.vantagePoint))].sort(),
    startedAt: iso(incident.startedAt),
    openedAt: iso(incident.openedAt),
    resolvedAt: iso(incident.resolvedAt),
    acknowledgedAt: iso(incident.acknowledgedAt),
    acknowledgedBy: incident.acknowledgedBy,
    fromBacklog: incident.backlogReceivedAt === null ? null : { receivedAt: iso(incident.backlogReceivedAt) },
    inMaintenance: incident.inMaintenance,
    evidence: incident.evidence,
    series: members.map((m) => ({ ...m, since: iso(m.since), leftAt: iso(m.leftAt) })),
    timeline: events.map((e) => ({ at: iso(e.at), kind: e.kind, detail: e.detail })),
  };
}

export type IncidentView = ReturnType<typeof incidentView>;
