import type { AlertMessage } from '../message.js';
import { deliveryOf, type HttpAnswer, post } from './http-post.js';
import { clipped, factsOf, headline } from './render.js';
import type { ChannelSender } from './sender.js';

/** Teams refuses a message over 28 KB; the card is kept under this, leaving room for the envelope. */
export const TEAMS_MAX_BYTES = 27 * 1024;

/** How much of each list and of the summary a card shows, from the most to the least. */
const FITS = [
  { items: 10, text: 4000 },
  { items: 5, text: 1500 },
  { items: 3, text: 500 },
  { items: 1, text: 200 },
];

const COLOURS: Record<AlertMessage['event'], string> = {
  opened: 'Attention',
  reminder: 'Warning',
  escalated: 'Attention',
  acknowledged: 'Accent',
  resolved: 'Good',
  'handed-over': 'Accent',
  test: 'Default',
};

/**
 * The Workflows webhook's message: one Adaptive Card (Office 365 connectors, which took MessageCards,
 * are retired). Lists are cut ("and 12 more") until the whole is under Teams' limit.
 */
export function teamsPayload(message: AlertMessage): object {
  for (const fit of FITS) {
    const payload = envelope(card(message, fit.items, fit.text));
    if (Buffer.byteLength(JSON.stringify(payload)) <= TEAMS_MAX_BYTES) return payload;
  }
  // Only names hundreds of characters long get here: the title and the links alone are left.
  return envelope(card({ ...message, alert: { ...message.alert, summary: '' } }, 0, 0));
}

function envelope(content: object): object {
  return {
    type: 'message',
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content }],
  };
}

function card(message: AlertMessage, items: number, text: number): object {
  const { alert } = message;
  const actions = [{ type: 'Action.OpenUrl', title: 'Open the incident', url: alert.url }];
  if (alert.ackUrl !== undefined)
    actions.push({ type: 'Action.OpenUrl', title: 'Acknowledge', url: alert.ackUrl });
  const body: object[] = [
    {
      type: 'TextBlock',
      text: clipped(headline(message), 300),
      weight: 'Bolder',
      size: 'Medium',
      color: COLOURS[message.event],
      wrap: true,
    },
  ];
  if (text > 0 && alert.summary !== '')
    body.push({ type: 'TextBlock', text: clipped(alert.summary, text), wrap: true });
  body.push({
    type: 'FactSet',
    facts: factsOf(message, items).map((fact) => ({ title: fact.title, value: clipped(fact.value, 1000) })),
  });
  return {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    body,
    actions,
  };
}

/** A Workflows webhook answers 202 once it has the message; 200 is success too. */
const accepted = (answer: HttpAnswer) => answer.status === 200 || answer.status === 202;

export const teamsSender: ChannelSender<'teams'> = {
  async send(channel, message, context) {
    const answer = await post(
      channel.url,
      JSON.stringify(teamsPayload(message)),
      { 'Content-Type': 'application/json', 'User-Agent': `Vantage/${context.version}` },
      context.timeoutMs,
    );
    return 'status' in answer ? deliveryOf(answer, accepted, context.clock, 'Teams') : answer;
  },
};
