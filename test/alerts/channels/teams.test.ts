import { afterEach, describe, expect, it } from 'vitest';
import { sendTo } from '../../../server/alerts/channels/index.js';
import type { Channel } from '../../../server/config/schema.js';
import { channelContext, openedMessage, resolvedMessage } from '../../helpers/alert-message.js';
import { type Receiver, startReceiver } from '../../helpers/receiver.js';

let receiver: Receiver;
afterEach(() => receiver.close());

const teams = (url: string): Channel => ({
  id: 'riverside-teams',
  organisation: 'riverside',
  type: 'teams',
  url,
});

interface Card {
  $schema: string;
  type: string;
  version: string;
  body: { type: string; text?: string; facts?: { title: string; value: string }[] }[];
  actions: { type: string; title: string; url: string }[];
}

function cardOf(body: string): Card {
  const payload = JSON.parse(body) as {
    type: string;
    attachments: { contentType: string; content: Card }[];
  };
  expect(payload.type).toBe('message');
  expect(payload.attachments).toHaveLength(1);
  expect(payload.attachments[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
  return payload.attachments[0]?.content as Card;
}

describe('the Teams channel', () => {
  it('posts an Adaptive Card 1.4 with the facts and links to the incident and to acknowledge, and takes 202 as delivered', async () => {
    receiver = await startReceiver({ status: 202 });
    const delivery = await sendTo(teams(`${receiver.url}/workflows/abc`), openedMessage(), channelContext());
    expect(delivery).toEqual({ ok: true, detail: 'Teams answered 202' });
    const [request] = receiver.received;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/workflows/abc');
    expect(request?.headers['content-type']).toBe('application/json');
    const card = cardOf(request?.body ?? '');
    expect(card).toMatchObject({
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      type: 'AdaptiveCard',
      version: '1.4',
    });
    expect(card.body.map((block) => block.type)).toEqual(['TextBlock', 'TextBlock', 'FactSet']);
    expect(card.body[0]?.text).toBe('[Opened] Marsh Lane Centre: 5 systems unreachable since 09:42');
    const facts = Object.fromEntries((card.body[2]?.facts ?? []).map((fact) => [fact.title, fact.value]));
    expect(facts).toMatchObject({
      Site: 'Marsh Lane Centre',
      Responsible: 'Eastfield Mental Health NHS Trust (site host: confined to its sites)',
      Since: '3 Dec 2026, 09:42 GMT',
    });
    expect(card.actions).toEqual([
      {
        type: 'Action.OpenUrl',
        title: 'Open the incident',
        url: 'https://vantage.example.org/alerts/inc-42',
      },
      {
        type: 'Action.OpenUrl',
        title: 'Acknowledge',
        url: 'https://vantage.example.org/alerts/inc-42/ack?token=signed',
      },
    ]);
  });

  it('says resolved, with when, and offers no acknowledgement once there is none to make', async () => {
    receiver = await startReceiver({ status: 200 });
    expect((await sendTo(teams(receiver.url), resolvedMessage(), channelContext())).ok).toBe(true);
    const card = cardOf(receiver.received[0]?.body ?? '');
    expect(card.body[0]?.text).toMatch(/^\[Resolved\] /);
    expect(card.body[2]?.facts).toContainEqual({ title: 'Resolved', value: '3 Dec 2026, 10:15 GMT' });
    expect(card.actions.map((action) => action.title)).toEqual(['Open the incident']);
  });

  it("stays under Teams' 28 KB limit with thousands of checks and a long summary, saying how many more", async () => {
    receiver = await startReceiver({ status: 202 });
    const checks = Array.from({ length: 3000 }, (_, i) => `check-number-${i}-with-a-long-name`);
    const message = openedMessage({ checks, summary: 'x'.repeat(40_000) });
    expect((await sendTo(teams(receiver.url), message, channelContext())).ok).toBe(true);
    const body = receiver.received[0]?.body ?? '';
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(28 * 1024);
    const card = cardOf(body);
    const checksFact = card.body.at(-1)?.facts?.find((fact) => fact.title === 'Checks');
    expect(checksFact?.value).toMatch(/^check-number-0-with-a-long-name, .* and 29\d\d more$/);
  });
});
