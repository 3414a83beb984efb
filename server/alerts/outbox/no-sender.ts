import type { Send } from './dispatcher.js';

/**
 * What the server sends with until channels are given senders of their own: nothing. Each message is
 * kept pending and tried again with backoff, and given up as undelivered (shown and counted) if no
 * sender comes before the give-up time, rather than being marked sent.
 */
export const noSender: Send = async (channelId) => ({
  ok: false,
  retryable: true,
  reason: `no sender is installed for channel '${channelId}' in this server`,
});
