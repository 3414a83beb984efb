/** Survey responses one client address may send a minute, unless `settings.survey.rateLimitPerMinute` says. */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 60;

/**
 * How many seconds an address must wait before sending another survey response (0: it may send
 * now). Shared by the JSON API and the form, so both count against one limit.
 */
export type RateLimiter = (address: string, now: number) => number;

/**
 * A fixed window of a minute per address, in memory only, forgotten when the minute is over. The
 * limit is read on each call, so a reloaded estate file takes effect at once.
 */
export function createRateLimiter(perMinute: () => number): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return (address: string, now: number): number => {
    if (windows.size > 10_000) {
      for (const [key, window] of windows) if (now - window.start >= 60_000) windows.delete(key);
    }
    const window = windows.get(address);
    if (!window || now - window.start >= 60_000) {
      windows.set(address, { start: now, count: 1 });
      return 0;
    }
    if (window.count >= perMinute()) return Math.ceil((window.start + 60_000 - now) / 1000);
    window.count += 1;
    return 0;
  };
}
