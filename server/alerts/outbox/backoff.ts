/** The first retry waits about this long; each next one twice as long, up to the cap. */
export const RETRY_BASE_MS = 5_000;
export const RETRY_CAP_MS = 5 * 60_000;
/** A receiver's Retry-After is honoured up to this, so one that asks for a day does not hold a channel for it. */
export const RETRY_AFTER_CAP_MS = 60 * 60_000;
/** How long a message may keep failing before it is given up as undelivered (estate: `alerts`). */
export const DEFAULT_GIVE_UP_AFTER_MS = 24 * 60 * 60_000;

/**
 * How long to wait after the `attempt`th failure (1 for the first): exponential, capped, with half the
 * delay random so channels that failed together do not all come back in the same second.
 */
export function retryDelayMs(attempt: number, random: () => number, retryAfterMs?: number): number {
  const exponential = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  const jittered = exponential / 2 + random() * (exponential / 2);
  const asked = retryAfterMs === undefined ? 0 : Math.min(Math.max(0, retryAfterMs), RETRY_AFTER_CAP_MS);
  return Math.round(Math.max(jittered, asked));
}
