import type { Subject } from '../access/rules.js';
import type { AlertMessage, FirstFailure, Severity } from '../alerts/message.js';

/** Incidents and the alert rules' counters: one store, so both change in one transaction. */

/** What an incident holds as evidence besides the series it covers. */
export interface Evidence {
  errorClasses: string[];
  firstFailure?: FirstFailure;
  /** The first failing run's phases (ms), when it had any. */
  phases?: Record<string, number | null>;
  /** A certificate rule's finding: when the certificate expires (ISO 8601). */
  expiresAt?: string;
  /** An agent-silent rule's finding: when the agent was last heard (ISO 8601). */
  lastHeardAt?: string;
  /** A host's incident that became the system owner's: the incidents it went to, or came from. */
  handedOver?: { to?: HandOver[]; from?: HandOver[] };
}

/** One side of a hand-over: the other incident, and whose it is. */
export interface HandOver {
  incident: string;
  organisation: string;
  role: 'owner' | 'host';
  at: number;
}

export interface IncidentRow {
  id: string;
  /** `consecutive-failures`, `agent-silent`, `certificate-expiry`, `latency` or `burn-rate`. */
  rule: string;
  /**
   * What makes it one incident: `system:ID`, `site:ID`, `agent:SITE`, `certificate:CHECK`,
   * `latency-system:ID`, `latency-site:ID` or `burn:PRINCIPLE`.
   */
  grouping: string;
  severity: Severity;
  organisation: string;
  role: 'owner' | 'host';
  subject: Subject;
  title: string;
  startedAt: number;
  openedAt: number;
  backlogReceivedAt: number | null;
  inMaintenance: boolean;
  resolvedAt: number | null;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  evidence: Evidence;
}

/** A series an incident covers (or covered: `leftAt` when it recovered or moved to another incident). */
export interface MemberRow {
  checkId: string;
  vantagePoint: string;
  since: number;
  leftAt: number | null;
}

/** `notified`: handed to the outbox for a channel; `delivered`: the channel accepted it, or it was given up. */
export type EventKind =
  | 'opened'
  | 'notified'
  | 'delivered'
  | 'acknowledged'
  | 'escalated'
  | 'reminded'
  | 'resolved'
  | 'changed'
  | 'held';

export interface IncidentEvent {
  at: number;
  kind: EventKind;
  detail: Record<string, unknown>;
}

/** A message waiting for its channel's quiet hours to end. */
export interface HeldMessage {
  id: string;
  incidentId: string;
  channel: string;
  message: AlertMessage;
  heldAt: number;
  /** When the quiet hours end and it is handed to the outbox. */
  until: number;
}

/** The failures rule's counters for one series (check, vantage point). */
export interface SeriesRow {
  checkId: string;
  vantagePoint: string;
  /** Failed runs in a row, and up runs in a row, at the latest run. */
  fails: number;
  oks: number;
  /** Met the rule (failed `after` in a row) and not yet recovered (`recoverAfter` up in a row). */
  failing: boolean;
  lastStartedAt: number;
  /** The first failed run of the current streak of failures, kept as evidence. */
  streak: (FirstFailure & { phases?: Record<string, number | null> }) | null;
}

export type NewIncident = Omit<IncidentRow, 'id' | 'resolvedAt' | 'acknowledgedAt' | 'acknowledgedBy'>;

/** Writes inside one transaction: everything an evaluation changed, or nothing. */
export interface IncidentsWrite {
  open(incident: NewIncident): string;
  update(
    id: string,
    change: Partial<
      Pick<
        IncidentRow,
        'organisation' | 'role' | 'subject' | 'title' | 'grouping' | 'evidence' | 'resolvedAt' | 'severity'
      >
    >,
  ): void;
  join(id: string, member: Omit<MemberRow, 'leftAt'>): void;
  leave(id: string, checkId: string, vantagePoint: string, at: number): void;
  event(id: string, event: IncidentEvent): void;
  saveSeries(rows: readonly SeriesRow[]): void;
  dropSeries(checkId: string, vantagePoint: string): void;
  /** Keeps a message until its channel's quiet hours end; false when it is already held. */
  hold(held: Omit<HeldMessage, 'id'>): boolean;
  /** Forgets a held message once it has been handed to the outbox. */
  release(id: string): void;
}

export type Acknowledged =
  | { ok: true; incident: IncidentRow }
  | { ok: false; reason: 'not-found' | 'resolved' | 'already'; incident?: IncidentRow };

/** Which incidents a list keeps: each filter given narrows it. Times are UTC ms. */
export interface IncidentsQuery {
  state: 'open' | 'all';
  /** The organisation responsible. */
  organisation?: string;
  /** Incidents that cover (or covered) a series of this check. */
  check?: string;
  /** Incidents about this system, and those covering a series of one of `systemChecks` (its checks). */
  system?: string;
  systemChecks?: readonly string[];
  /** Incidents about this site, and those covering a series seen from it. */
  site?: string;
  /** Incidents that touched [since, until]: not resolved before `since`, not started after `until`. */
  since?: number;
  until?: number;
  limit: number;
}

export interface IncidentsStore {
  /** Runs `work` in one transaction. */
  write<T>(work: (tx: IncidentsWrite) => T): Promise<T>;
  series(): Promise<SeriesRow[]>;
  open(): Promise<IncidentRow[]>;
  incident(id: string): Promise<IncidentRow | undefined>;
  members(id: string): Promise<MemberRow[]>;
  events(id: string): Promise<IncidentEvent[]>;
  /** Held messages whose quiet hours have ended by `now`, in the order they were held. */
  heldDue(now: number): Promise<HeldMessage[]>;
  /** The last message held for an incident on a channel, if one still waits. */
  heldFor(incidentId: string, channel: string): Promise<HeldMessage | undefined>;
  /** Open ones first, then the newest, kept to those every filter given allows (`IncidentsQuery`). */
  list(query: IncidentsQuery): Promise<IncidentRow[]>;
  /** Records who acknowledged it, with its timeline entry; refused when resolved or already acknowledged. */
  acknowledge(id: string, at: number, by: string, via: 'api' | 'link'): Promise<Acknowledged>;
  /**
   * What an incident is about, for the access rule (decided before a route runs, so synchronously):
   * its system (the owner's) or its site (the host's).
   */
  subjectOf(id: string): Subject | undefined;
}
