/**
 * What every part of alerting agrees on: the message an incident's event becomes, what a channel answers
 * when asked to deliver it, and how a message is handed to the notification outbox. Rules and incidents
 * make messages; the outbox stores them before sending; a channel renders one for its receiver.
 */

/**
 * Why a message is sent. `handed-over`: the incident is no longer the receiver's (a host's that became
 * the system owner's), and ends for them. `test` is the dashboard's "send a test message".
 */
export type AlertEvent =
  | 'opened'
  | 'reminder'
  | 'escalated'
  | 'acknowledged'
  | 'resolved'
  | 'handed-over'
  | 'test';

/** `critical` pages (never held by quiet hours); `warning` and `info` wait for quiet hours to end. */
export type Severity = 'critical' | 'warning' | 'info';
export const SEVERITIES: readonly Severity[] = ['critical', 'warning', 'info'];

/** The organisation that must act, and why it is theirs (the principles' attribution rule). */
export interface Responsible {
  organisation: string;
  organisationName: string;
  /** `owner`: failing from at least half the vantage points; `host`: confined to this organisation's sites. */
  role: 'owner' | 'host';
}

/** The first failing run, as evidence. */
export interface FirstFailure {
  checkId: string;
  vantagePoint: string;
  /** ISO 8601, UTC. */
  startedAt: string;
  errorClass?: string;
  message?: string;
}

/** An incident as a channel shows it. Times are ISO 8601 in UTC; channels render them in London time. */
export interface AlertDetail {
  /** The incident's id, stable for its life (the Alertmanager fingerprint and the webhook's alert id). */
  id: string;
  /** The rule that opened it (`consecutive-failures`, `latency`, `certificate-expiry`, `agent-silent`, `burn-rate`). */
  rule: string;
  severity: Severity;
  /** One line: "Marsh Lane Centre: 5 systems unreachable since 09:42". */
  title: string;
  /** A few plain sentences: what, where, since when, whose. */
  summary: string;
  responsible: Responsible;
  system?: { id: string; name: string };
  site?: { id: string; name: string };
  checks: string[];
  sites: string[];
  startedAt: string;
  /** Set once resolved. */
  resolvedAt?: string;
  acknowledgedBy?: string;
  /** Opened from results that arrived late (an agent's backlog): when they were received. */
  fromBacklog?: { receivedAt: string };
  /** Opened inside a maintenance window that covers it. */
  inMaintenance?: boolean;
  /** No longer the receiver's: the incidents it was handed to, and whose they are. */
  handedOverTo?: { incident: string; organisation: string; organisationName: string; url: string }[];
  errorClasses: string[];
  firstFailure?: FirstFailure;
  /** The incident's page on the dashboard. */
  url: string;
  /** A signed, expiring link that acknowledges the incident, when it can still be acknowledged. */
  ackUrl?: string;
}

/** One message to one channel. */
export interface AlertMessage {
  version: 1;
  event: AlertEvent;
  /**
   * The same for every attempt at this message (the outbox's retries, a resend after a restart), and
   * different for every other message: receivers drop a repeat by it.
   */
  idempotencyKey: string;
  /** When the event happened, ISO 8601 UTC. */
  at: string;
  alert: AlertDetail;
  /**
   * A firing alert sent again only so that a receiver which expires alerts (Alertmanager) keeps it
   * firing: not news to a person, so not recorded in the incident's timeline.
   */
  refresh?: true;
}

/** A channel's answer. `retryable` failures are tried again with backoff; others are given up at once. */
export type Delivery =
  | { ok: true; detail?: string }
  | { ok: false; retryable: boolean; reason: string; retryAfterMs?: number };

/** Hands messages to the outbox, which stores them before it answers and sends them in order per channel. */
export interface Notifier {
  notify(channelId: string, message: AlertMessage): Promise<void>;
}
