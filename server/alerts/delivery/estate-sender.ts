import type { Clock } from '../../../common/clock.js';
import type { Env } from '../../../common/env-references.js';
import type { Estate } from '../../config/schema.js';
import { sendTo } from '../channels/index.js';
import type { ChannelContext } from '../channels/sender.js';
import type { Send } from '../outbox/dispatcher.js';

/** How long one delivery may take, connecting included: a receiver that hangs holds only its own channel. */
export const DEFAULT_SEND_TIMEOUT_MS = 15_000;

export interface EstateSenderOptions {
  /** The estate as it is now: a reload changes where a channel's messages go, or removes it. */
  estate: () => Estate;
  /** Where a channel's `${NAME}` references are read, at each send. */
  env: () => Env;
  clock: Clock;
  version: string;
  timeoutMs?: number;
}

/**
 * Delivers the outbox's messages to the channels of the estate in force when each is sent, not when it
 * was queued: a channel the estate no longer has is given up at once (nothing would ever deliver it),
 * with a reason that says so.
 */
export function estateSender(options: EstateSenderOptions): Send {
  return async (channelId, message) => {
    const estate = options.estate();
    const channel = estate.channels.find((c) => c.id === channelId);
    if (!channel)
      return {
        ok: false,
        retryable: false,
        reason: `channel '${channelId}' is no longer in the estate file: it was removed after this message was queued`,
      };
    return sendTo(channel, message, contextFor(estate, options, channel.type === 'email'));
  };
}

/** Only email uses settings.smtp, read (its password from the environment) when the file was. */
function contextFor(estate: Estate, options: EstateSenderOptions, email: boolean): ChannelContext {
  const smtp = email ? estate.settings.smtp : undefined;
  return {
    ...(smtp ? { smtp } : {}),
    timeoutMs: options.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS,
    clock: options.clock,
    env: options.env(),
    version: options.version,
  };
}
