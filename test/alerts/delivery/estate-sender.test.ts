import { afterEach, describe, expect, it } from 'vitest';
import { estateSender } from '../../../server/alerts/delivery/estate-sender.js';
import { parseEstate } from '../../../server/config/load.js';
import type { Estate } from '../../../server/config/schema.js';
import { smallEstateYaml } from '../../helpers/estates.js';
import { type Receiver, startReceiver } from '../../helpers/receiver.js';
import { message } from '../outbox/messages.js';

let receivers: Receiver[] = [];
afterEach(async () => {
  for (const receiver of receivers) await receiver.close();
  receivers = [];
});

const withChannels = (channels: string): Estate => {
  const parsed = parseEstate(`${smallEstateYaml}channels:\n${channels}`, 'estate.yaml', {});
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('\n'));
  return parsed.estate;
};

describe('sending to the channels of the estate in force', () => {
  it('sends to the address the estate gives now, not the one it gave when the message was queued', async () => {
    const before = await startReceiver({ status: 204 });
    const after = await startReceiver({ status: 204 });
    receivers.push(before, after);
    let estate = withChannels(
      `  - { id: hook, organisation: riverside, type: webhook, url: "${before.url}/a" }\n`,
    );
    const send = estateSender({
      estate: () => estate,
      env: () => ({}),
      clock: { now: Date.now },
      version: '1.0.0',
    });
    expect(await send('hook', message('k1'))).toMatchObject({ ok: true });
    estate = withChannels(
      `  - { id: hook, organisation: riverside, type: webhook, url: "${after.url}/b" }\n`,
    );
    expect(await send('hook', message('k2'))).toMatchObject({ ok: true });
    expect(before.received.map((r) => r.headers['idempotency-key'])).toEqual(['k1']);
    expect(after.received.map((r) => r.headers['idempotency-key'])).toEqual(['k2']);
  });
});
