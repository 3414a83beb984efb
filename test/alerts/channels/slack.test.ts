import { afterEach, describe, expect, it } from 'vitest';
import { sendTo } from '../../../server/alerts/channels/index.js';
import type { Channel } from '../../../server/config/schema.js';
import { channelContext, openedMessage } from '../../helpers/alert-message.js';
import { type Receiver, startReceiver } from '../../helpers/receiver.js';

let receiver: Receiver;
afterEach(() => receiver.close());

const slack = (url: string): Channel => ({
  id: 'leaside-slack',
  organisation: 'leaside',
  type: 'slack',
  url,
});

interface Block {
  type: string;
  text?: { type: string; text: string };
  fields?: { type: string; text: string }[];
  elements?: { type: string; text?: unknown; url?: string }[];
}

describe('the Slack channel', () => {
  it('posts text for notifications and blocks: header, section, fields, context and buttons', async () => {
    receiver = await startReceiver({ status: 200, body: 'ok' });
    const message = openedMessage({ summary: 'EPR <and> mail & more fail' });
    expect(await sendTo(slack(`${receiver.url}/services/T1/B2/key`), message, channelContext())).toEqual({
      ok: true,
      detail: 'Slack answered 200',
    });
    const payload = JSON.parse(receiver.received[0]?.body ?? '') as { text: string; blocks: Block[] };
    expect(payload.text).toBe('[Opened] Marsh Lane Centre: 5 systems unreachable since 09:42');
    expect(payload.blocks.map((block) => block.type)).toEqual([
      'header',
      'section',
      'section',
      'context',
      'actions',
    ]);
    expect(payload.blocks[0]?.text).toEqual({ type: 'plain_text', text: payload.text });
    // Slack reads <, > and & as markup: the summary is escaped, not taken as a link.
    expect(payload.blocks[1]?.text).toEqual({ type: 'mrkdwn', text: 'EPR &lt;and&gt; mail &amp; more fail' });
    const fields = payload.blocks[2]?.fields ?? [];
    expect(fields.length).toBeLessThanOrEqual(10);
    expect(fields).toContainEqual({ type: 'mrkdwn', text: '*Site*\nMarsh Lane Centre' });
    expect(payload.blocks[4]?.elements?.map((button) => [button.type, button.url])).toEqual([
      ['button', 'https://vantage.example.org/alerts/inc-42'],
      ['button', 'https://vantage.example.org/alerts/inc-42/ack?token=signed'],
    ]);
  });

  it("takes Slack's 4xx words as final (invalid_payload, no_service), and a 200 without ok as not delivered", async () => {
    receiver = await startReceiver();
    receiver.answer(
      { status: 400, body: 'invalid_payload' },
      { status: 404, body: 'no_service' },
      { status: 200, body: 'not quite' },
    );
    const channel = slack(receiver.url);
    expect(await sendTo(channel, openedMessage(), channelContext())).toEqual({
      ok: false,
      retryable: false,
      reason: 'Slack answered 400 (invalid_payload)',
    });
    expect(await sendTo(channel, openedMessage(), channelContext())).toEqual({
      ok: false,
      retryable: false,
      reason: 'Slack answered 404 (no_service)',
    });
    expect(await sendTo(channel, openedMessage(), channelContext())).toMatchObject({
      ok: false,
      retryable: false,
    });
  });

  it("keeps to Slack's ten fields without losing a fact: the last field holds the rest", async () => {
    receiver = await startReceiver({ status: 200, body: 'ok' });
    const message = openedMessage({
      system: { id: 'epr', name: 'Electronic patient record' },
      resolvedAt: '2026-12-03T10:15:00.000Z',
      acknowledgedBy: 'Sam Patel',
      fromBacklog: { receivedAt: '2026-12-03T09:50:00.000Z' },
      inMaintenance: true,
    });
    expect((await sendTo(slack(receiver.url), message, channelContext())).ok).toBe(true);
    const payload = JSON.parse(receiver.received[0]?.body ?? '') as { blocks: Block[] };
    const fields = payload.blocks[2]?.fields ?? [];
    expect(fields).toHaveLength(10);
    expect(fields[9]?.text).toBe(
      '*Errors*\ntimeout, refused\n*Reported late*\nresults received 3 Dec 2026, 09:50 GMT\n*Maintenance*\nopened inside a maintenance window',
    );
  });
});
