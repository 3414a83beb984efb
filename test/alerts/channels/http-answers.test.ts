import { afterEach, describe, expect, it } from 'vitest';
import { sendTo } from '../../../server/alerts/channels/index.js';
import type { Channel } from '../../../server/config/schema.js';
import { channelContext, openedMessage } from '../../helpers/alert-message.js';
import { type Receiver, startReceiver } from '../../helpers/receiver.js';

/** Each channel that posts over HTTP, with what its receiver says when it has the message. */
const channels: {
  type: string;
  make: (url: string) => Channel;
  accepted: { status: number; body?: string };
}[] = [
  {
    type: 'teams',
    make: (url) => ({ id: 'c', organisation: 'o', type: 'teams', url }),
    accepted: { status: 202 },
  },
  {
    type: 'slack',
    make: (url) => ({ id: 'c', organisation: 'o', type: 'slack', url }),
    accepted: { status: 200, body: 'ok' },
  },
  {
    type: 'webhook',
    make: (url) => ({ id: 'c', organisation: 'o', type: 'webhook', url }),
    accepted: { status: 200 },
  },
  {
    type: 'alertmanager',
    make: (url) => ({ id: 'c', organisation: 'o', type: 'alertmanager', url }),
    accepted: { status: 200 },
  },
];

const KEY_PATH = '/hooks/T0001/B0002/a1b2c3d4e5f6secretkey';

let receiver: Receiver;
afterEach(() => receiver.close());

describe.each(channels)('the $type channel classifies what its receiver answers', ({ make, accepted }) => {
  it('a 503 is tried again after its Retry-After, and the next send is delivered', async () => {
    receiver = await startReceiver(accepted);
    receiver.answer({ status: 503, body: 'busy', headers: { 'Retry-After': '30' } });
    const channel = make(`${receiver.url}${KEY_PATH}`);
    expect(await sendTo(channel, openedMessage(), channelContext())).toMatchObject({
      ok: false,
      retryable: true,
      retryAfterMs: 30_000,
    });
    expect(await sendTo(channel, openedMessage(), channelContext())).toMatchObject({ ok: true });
    expect(receiver.received).toHaveLength(2);
  });

  it('a 429 with a date to retry after is tried again then, by the injected clock', async () => {
    receiver = await startReceiver({
      status: 429,
      headers: { 'Retry-After': 'Thu, 03 Dec 2026 09:47:01 GMT' },
    });
    expect(await sendTo(make(receiver.url), openedMessage(), channelContext())).toMatchObject({
      ok: false,
      retryable: true,
      retryAfterMs: 120_000,
    });
  });

  it('a 400 or 403 is given up at once, and a 408 is tried again', async () => {
    receiver = await startReceiver();
    receiver.answer({ status: 400, body: 'bad' }, { status: 403 }, { status: 408 });
    const channel = make(receiver.url);
    expect(await sendTo(channel, openedMessage(), channelContext())).toMatchObject({
      ok: false,
      retryable: false,
    });
    expect(await sendTo(channel, openedMessage(), channelContext())).toMatchObject({
      ok: false,
      retryable: false,
    });
    expect(await sendTo(channel, openedMessage(), channelContext())).toMatchObject({
      ok: false,
      retryable: true,
    });
  });

  it('a receiver that never answers is a timeout, tried again', async () => {
    receiver = await startReceiver('hang');
    const started = Date.now();
    expect(await sendTo(make(receiver.url), openedMessage(), channelContext({ timeoutMs: 300 }))).toEqual({
      ok: false,
      retryable: true,
      reason: 'no answer within 300ms',
    });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a receiver that is down is tried again', async () => {
    receiver = await startReceiver();
    const url = receiver.url;
    await receiver.close();
    receiver = await startReceiver();
    expect(await sendTo(make(url), openedMessage(), channelContext())).toEqual({
      ok: false,
      retryable: true,
      reason: 'connection refused',
    });
  });

  it("never says the channel's URL, even when the receiver echoes it", async () => {
    receiver = await startReceiver({ status: 500, body: `no route for ${KEY_PATH} at this host` });
    const delivery = await sendTo(make(`${receiver.url}${KEY_PATH}`), openedMessage(), channelContext());
    expect(delivery).toMatchObject({ ok: false, retryable: true });
    expect(JSON.stringify(delivery)).not.toContain('secretkey');
    expect(JSON.stringify(delivery)).not.toContain(receiver.url);
  });

  it('posts to a URL kept as ${NAME}, resolved only to send, and never says what it resolved to', async () => {
    receiver = await startReceiver({ status: 400, body: `unknown hook ${KEY_PATH}` });
    receiver.answer(accepted);
    const channel = make('${CHANNEL_URL}');
    const context = channelContext({ env: { CHANNEL_URL: `${receiver.url}${KEY_PATH}` } });
    expect(await sendTo(channel, openedMessage(), context)).toMatchObject({ ok: true });
    expect(receiver.received[0]?.path).toMatch(/^\/hooks\/T0001\//);
    const refused = await sendTo(channel, openedMessage(), context);
    expect(refused).toMatchObject({ ok: false, retryable: false });
    expect(JSON.stringify(refused)).not.toContain('secretkey');
  });
});
