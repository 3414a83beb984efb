import type { AlertMessage } from '../message.js';
import { deliveryOf, type HttpAnswer, post } from './http-post.js';
import type { ChannelSender } from './sender.js';

/**
 * How often a firing alert is sent again. Alertmanager resolves an alert by itself at its `endsAt`,
 * which is set three of these ahead: a firing alert stays firing only while Vantage keeps sending it,
 * so one that Vantage stopped knowing about (a removed check, a lost server) does not fire for ever.
 */
export const resendEveryMs = 60_000;

/** One alert of Alertmanager's API v2 (`POST /api/v2/alerts` takes a list of them). */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
}

/**
 * The incident as Alertmanager's alert. Its labels identify it (Alertmanager's fingerprint is their
 * hash), so they hold only what does not change during its life; what changes goes in annotations.
 */
export function alertmanagerAlert(message: AlertMessage, now: number): PostableAlert {
  const { alert } = message;
  const labels: Record<string, string> = {
    alertname: alert.rule,
    organisation: alert.responsible.organisation,
    severity: alert.severity,
    incident: alert.id,
  };
  if (alert.system) labels.system = alert.system.id;
  if (alert.site) labels.site = alert.site.id;
  const annotations: Record<string, string> = {
    summary: alert.title,
    description: alert.summary,
    url: alert.url,
  };
  if (alert.acknowledgedBy !== undefined) annotations.acknowledgedBy = alert.acknowledgedBy;
  // Handed over, it is no longer this organisation's alert: it ends here as a resolved one does.
  const resolved = message.event === 'resolved' || message.event === 'handed-over';
  return {
    labels,
    annotations,
    startsAt: alert.startedAt,
    endsAt: resolved ? (alert.resolvedAt ?? message.at) : new Date(now + 3 * resendEveryMs).toISOString(),
    generatorURL: alert.url,
  };
}

/** `<url>/api/v2/alerts`, whether or not the configured URL ends with a slash. */
export function alertsEndpoint(url: string): string {
  return `${url.replace(/\/+$/, '')}/api/v2/alerts`;
}

const accepted = (answer: HttpAnswer) => answer.status === 200;

export const alertmanagerSender: ChannelSender<'alertmanager'> = {
  async send(channel, message, context) {
    const body = JSON.stringify([alertmanagerAlert(message, context.clock.now())]);
    const answer = await post(
      alertsEndpoint(channel.url),
      body,
      { 'Content-Type': 'application/json', 'User-Agent': `Vantage/${context.version}` },
      context.timeoutMs,
    );
    return 'status' in answer ? deliveryOf(answer, accepted, context.clock, 'Alertmanager') : answer;
  },
};
