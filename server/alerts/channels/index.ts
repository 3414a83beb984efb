import { resolveEnv, type Secret, secretsIn, unsetNames } from '../../../common/env-references.js';
import { redactor } from '../../../common/redact.js';
import type { Channel } from '../../config/schema.js';
import type { AlertMessage, Delivery } from '../message.js';
import { alertmanagerSender } from './alertmanager.js';
import { emailSender } from './email.js';
import type { ChannelContext, ChannelSender, ChannelType } from './sender.js';
import { slackSender } from './slack.js';
import { teamsSender } from './teams.js';
import { webhookSender } from './webhook.js';

export { resendEveryMs } from './alertmanager.js';
export type { ChannelContext, ChannelSender, ChannelType } from './sender.js';

/** Every channel type the estate may name, and what delivers to it: a missing one fails to compile. */
export const channelSenders = {
  email: emailSender,
  teams: teamsSender,
  slack: slackSender,
  webhook: webhookSender,
  alertmanager: alertmanagerSender,
} satisfies { [T in ChannelType]: ChannelSender<T> };

/**
 * Delivers one message to one channel, as the estate configured it (secrets as `${NAME}`). Resolves
 * the channel's secrets only for the send, and takes them, its URL and the SMTP password out of the
 * answer again, whatever a receiver echoed.
 */
export async function sendTo(
  channel: Channel,
  message: AlertMessage,
  context: ChannelContext,
): Promise<Delivery> {
  const unset = unsetNames(channel, context.env);
  if (unset.length > 0)
    return {
      ok: false,
      retryable: false,
      reason: `environment variable ${unset.join(', ')} is not set for channel ${channel.id}`,
    };
  const resolved = resolveEnv(channel, context.env);
  const sender = channelSenders[resolved.type] as ChannelSender<ChannelType>;
  let delivery: Delivery;
  try {
    delivery = await sender.send(resolved as never, message, context);
  } catch (error) {
    // A sender answers rather than throws; this is a defect, reported without its details.
    delivery = {
      ok: false,
      retryable: true,
      reason: `the ${resolved.type} channel failed unexpectedly (${(error as Error).name})`,
    };
  }
  if (delivery.ok) return delivery;
  const clean = redactor(secretsOf(channel, resolved, context));
  return { ...delivery, reason: clean(delivery.reason) };
}

/** What must never appear in an answer: values from the environment, the URL and its path, the SMTP password. */
function secretsOf(channel: Channel, resolved: Channel, context: ChannelContext): Secret[] {
  const secrets = secretsIn(channel, context.env);
  if ('url' in resolved) {
    secrets.push({ name: 'URL', value: resolved.url });
    const url = URL.parse(resolved.url);
    const path = url ? `${url.pathname}${url.search}` : '';
    // A webhook's key is usually its path (Slack's /services/T…/B…/…, a Workflows signature).
    if (path.length >= 8) secrets.push({ name: 'URL', value: path });
  }
  if ('secret' in resolved && resolved.secret) secrets.push({ name: 'secret', value: resolved.secret });
  if (context.smtp?.password) secrets.push({ name: 'SMTP_PASSWORD', value: context.smtp.password });
  return secrets;
}
