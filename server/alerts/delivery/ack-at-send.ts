import type { Clock } from '../../../common/clock.js';
import { ACK_LINK_MS, ackToken } from '../ack-link.js';
import type { AlertMessage } from '../message.js';
import type { Send } from '../outbox/dispatcher.js';

/**
 * Signs a message's acknowledgement link as it is sent, not when it was queued: a message held by quiet
 * hours or retried for a long time would otherwise arrive with a link already near or past its 72 hours.
 * Each attempt carries a link valid for 72 hours from that attempt; the rest of the message is unchanged.
 */
export function signingAckLinks(send: Send, ackKey: Buffer, clock: Clock): Send {
  return (channelId, message) => send(channelId, withFreshAckLink(message, ackKey, clock.now()));
}

/** The message with its acknowledgement link (if it has one) signed for 72 hours from `now`. */
export function withFreshAckLink(message: AlertMessage, ackKey: Buffer, now: number): AlertMessage {
  const { ackUrl } = message.alert;
  if (ackUrl === undefined) return message;
  const url = URL.parse(ackUrl);
  if (!url) return message;
  url.searchParams.set('token', ackToken(ackKey, message.alert.id, now + ACK_LINK_MS));
  return { ...message, alert: { ...message.alert, ackUrl: url.toString() } };
}
