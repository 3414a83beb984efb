import { createHmac } from 'node:crypto';
import { deliveryOf, type HttpAnswer, post } from './http-post.js';
import type { ChannelSender } from './sender.js';

/** `sha256=` and the hex HMAC-SHA256 of the exact bytes sent, keyed with the channel's secret. */
export function signatureOf(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** Any 2xx: a generic receiver says it has the message however it likes. */
const accepted = (answer: HttpAnswer) => answer.status >= 200 && answer.status < 300;

/**
 * The whole AlertMessage as JSON, `idempotencyKey` and `at` included, so a receiver can store it as
 * it came. The key is sent as Idempotency-Key too, for receivers that drop repeats by header.
 */
export const webhookSender: ChannelSender<'webhook'> = {
  async send(channel, message, context) {
    const body = JSON.stringify(message);
    const headers: Record<string, string> = {
      ...channel.headers,
      'Content-Type': 'application/json',
      'Idempotency-Key': message.idempotencyKey,
      'User-Agent': `Vantage/${context.version}`,
    };
    if (channel.secret !== undefined) {
      headers['X-Vantage-Timestamp'] = String(Math.floor(context.clock.now() / 1000));
      headers['X-Vantage-Signature'] = signatureOf(body, channel.secret);
    }
    const answer = await post(channel.url, body, headers, context.timeoutMs);
    return 'status' in answer ? deliveryOf(answer, accepted, context.clock, 'the webhook') : answer;
  },
};
