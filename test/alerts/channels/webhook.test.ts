import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { sendTo } from '../../../server/alerts/channels/index.js';
import type { Channel } from '../../../server/config/schema.js';
import { channelContext, openedMessage } from '../../helpers/alert-message.js';
import { type Received, type Receiver, startReceiver } from '../../helpers/receiver.js';

let receiver: Receiver;
afterEach(() => receiver.close());

const SECRET = 'a-long-signing-secret-from-env';

const webhook = (url: string, extra: Partial<Extract<Channel, { type: 'webhook' }>> = {}): Channel => ({
  id: 'icb-hook',
  organisation: 'icb',
  type: 'webhook',
  url,
  ...extra,
});

/** What a receiver does: HMAC-SHA256 of the exact body with the shared secret, compared in constant time. */
function verified(request: Received, secret: string): boolean {
  const signature = String(request.headers['x-vantage-signature'] ?? '');
  const expected = `sha256=${createHmac('sha256', secret).update(request.body).digest('hex')}`;
  return (
    signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected))
  );
}

describe('the webhook channel', () => {
  it('posts the whole message as JSON with its Idempotency-Key, User-Agent and the configured headers', async () => {
    receiver = await startReceiver({ status: 204 });
    const channel = webhook(`${receiver.url}/hook`, { headers: { 'X-Api-Key': 'k1' } });
    const message = openedMessage();
    expect(await sendTo(channel, message, channelContext())).toEqual({
      ok: true,
      detail: 'the webhook answered 204',
    });
    const [request] = receiver.received;
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      'idempotency-key': 'inc-42:opened:riverside-it',
      'user-agent': 'Vantage/9.9.9',
      'x-api-key': 'k1',
    });
    expect(JSON.parse(request?.body ?? '')).toEqual(message);
    expect(request?.headers['x-vantage-signature']).toBeUndefined();
  });

  it('signs the exact body with the secret from the environment, and the same message keeps its key when sent again', async () => {
    receiver = await startReceiver({ status: 200 });
    const channel = webhook(receiver.url, { secret: '${HOOK_SECRET}' });
    const context = channelContext({ env: { HOOK_SECRET: SECRET } });
    await sendTo(channel, openedMessage(), context);
    await sendTo(channel, openedMessage(), context);
    const [first, second] = receiver.received as [Received, Received];
    expect(verified(first, SECRET)).toBe(true);
    expect(verified(first, 'another-secret-of-the-same-size')).toBe(false);
    expect(verified({ ...first, body: first.body.replace('critical', 'warning') }, SECRET)).toBe(false);
    expect(first.headers['x-vantage-timestamp']).toBe(String(Date.parse('2026-12-03T09:45:01Z') / 1000));
    expect(second.headers['idempotency-key']).toBe(first.headers['idempotency-key']);
    expect(second.body).toBe(first.body);
    // The secret goes nowhere but into the HMAC.
    expect(JSON.stringify(receiver.received)).not.toContain(SECRET);
  });

  it('refuses to send when the secret names an unset variable, saying which', async () => {
    receiver = await startReceiver();
    const delivery = await sendTo(
      webhook(receiver.url, { secret: '${HOOK_SECRET}' }),
      openedMessage(),
      channelContext(),
    );
    expect(delivery).toEqual({
      ok: false,
      retryable: false,
      reason: 'environment variable HOOK_SECRET is not set for channel icb-hook',
    });
    expect(receiver.received).toHaveLength(0);
  });
});
