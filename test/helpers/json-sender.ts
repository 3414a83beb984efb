import type { AlertMessage, Delivery } from '../../server/alerts/message.js';
import type { Send } from '../../server/alerts/outbox/dispatcher.js';

/**
 * A generic JSON POST to one address per channel, with the message's Idempotency-Key: 2xx is accepted;
 * 408, 425, 429 and 5xx are tried again (with the receiver's Retry-After); any other status is refused
 * for good; a failed connection is tried again.
 */
export function jsonPoster(urlOf: (channel: string) => string, timeoutMs = 10_000): Send {
  return async (channel: string, message: AlertMessage): Promise<Delivery> => {
    const url = urlOf(channel);
    let answer: Response;
    try {
      answer = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': message.idempotencyKey },
        body: JSON.stringify(message),
        signal: AbortSignal.timeout(timeoutMs),
      });
      await answer.arrayBuffer();
    } catch (error) {
      return { ok: false, retryable: true, reason: `${url}: ${(error as Error).message}` };
    }
    if (answer.ok) return { ok: true };
    const retryable = [408, 425, 429].includes(answer.status) || answer.status >= 500;
    const after = Number(answer.headers.get('retry-after'));
    return {
      ok: false,
      retryable,
      reason: `${url} answered ${answer.status}`,
      ...(retryable && after > 0 ? { retryAfterMs: after * 1000 } : {}),
    };
  };
}
