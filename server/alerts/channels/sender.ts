import type { Clock } from '../../../common/clock.js';
import type { Env } from '../../../common/env-references.js';
import type { Channel } from '../../config/schema.js';
import type { SmtpSettings } from '../../config/smtp.js';
import type { AlertMessage, Delivery } from '../message.js';

/** What a channel needs beyond itself to deliver: where mail goes, how long to wait, the time. */
export interface ChannelContext {
  /** The estate's settings.smtp, with its password resolved; email channels cannot send without it. */
  smtp?: SmtpSettings;
  /** The longest one delivery may take, connecting included. */
  timeoutMs: number;
  clock: Clock;
  /** Resolves the `${NAME}` references a channel keeps in place of its secrets. */
  env: Env;
  /** Vantage's version, for User-Agent. */
  version: string;
}

export type ChannelType = Channel['type'];
export type ChannelOf<T extends ChannelType> = Extract<Channel, { type: T }>;

/**
 * Renders a message for one kind of receiver and delivers it once. It answers, never throws, and
 * never puts the channel's URL, a password or a signing secret in what it answers.
 */
export interface ChannelSender<T extends ChannelType> {
  send(channel: ChannelOf<T>, message: AlertMessage, context: ChannelContext): Promise<Delivery>;
}
