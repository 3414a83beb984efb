import type { AlertMessage } from '../message.js';
import { deliveryOf, type HttpAnswer, post } from './http-post.js';
import { clipped, factsOf, headline, londonTime } from './render.js';
import type { ChannelSender } from './sender.js';

/** Slack's own limits: a header's text, a section's fields and each field's text. */
const HEADER_MAX = 150;
const FIELDS_MAX = 10;
const FIELD_TEXT_MAX = 2000;
const SECTION_TEXT_MAX = 3000;

/** Slack's mrkdwn reads &, < and > as markup: a name holding them must be shown as written. */
export function mrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An incoming webhook's message: `text` for notifications and old clients, `blocks` for the rest. */
export function slackPayload(message: AlertMessage): object {
  const { alert } = message;
  const title = headline(message);
  const buttons: object[] = [
    {
      type: 'button',
      text: { type: 'plain_text', text: 'Open the incident' },
      url: alert.url,
      action_id: 'open',
    },
  ];
  if (alert.ackUrl !== undefined)
    buttons.push({
      type: 'button',
      text: { type: 'plain_text', text: 'Acknowledge' },
      url: alert.ackUrl,
      style: 'primary',
      action_id: 'acknowledge',
    });
  const blocks: object[] = [
    { type: 'header', text: { type: 'plain_text', text: clipped(title, HEADER_MAX) } },
  ];
  if (alert.summary !== '')
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: clipped(mrkdwn(alert.summary), SECTION_TEXT_MAX) },
    });
  blocks.push({
    type: 'section',
    fields: fieldsOf(message).map((text) => ({ type: 'mrkdwn', text: clipped(text, FIELD_TEXT_MAX) })),
  });
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: mrkdwn(`Vantage · ${alert.rule} · ${alert.severity} · ${londonTime(message.at)}`),
      },
    ],
  });
  blocks.push({ type: 'actions', elements: buttons });
  return { text: clipped(title, SECTION_TEXT_MAX), blocks };
}

/** The facts as Slack's fields: past its ten, the last field holds the rest, so none is lost. */
function fieldsOf(message: AlertMessage): string[] {
  const fields = factsOf(message).map((fact) => `*${fact.title}*\n${mrkdwn(fact.value)}`);
  if (fields.length <= FIELDS_MAX) return fields;
  return [...fields.slice(0, FIELDS_MAX - 1), fields.slice(FIELDS_MAX - 1).join('\n')];
}

/** Slack says `ok` with 200 and nothing else; any other 200 is a refusal it explains in a word. */
const accepted = (answer: HttpAnswer) => answer.status === 200 && answer.body.trim() === 'ok';

export const slackSender: ChannelSender<'slack'> = {
  async send(channel, message, context) {
    const answer = await post(
      channel.url,
      JSON.stringify(slackPayload(message)),
      { 'Content-Type': 'application/json', 'User-Agent': `Vantage/${context.version}` },
      context.timeoutMs,
    );
    if (!('status' in answer)) return answer;
    if (answer.status === 200 && !accepted(answer))
      return {
        ok: false,
        retryable: false,
        reason: `Slack answered 200 without ok (${answer.body.trim().slice(0, 80)})`,
      };
    return deliveryOf(answer, accepted, context.clock, 'Slack');
  },
};
