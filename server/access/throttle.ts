import type { Clock } from '../../common/clock.js';

export interface ThrottleOptions {
  /** Failures for one account before it is slowed. */
  accountLimit: number;
  /** Failures from one address before it is slowed: higher, as many people may share a NAT. */
  addressLimit: number;
  /** A quiet spell this long (no failure, no wait in force) forgets everything. */
  windowMs: number;
  /** The first wait; each failure after it doubles the wait, up to `maxDelayMs`. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** Accounts and addresses remembered at most; the least recently failed is forgotten first. */
  maxEntries: number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = {
  accountLimit: 5,
  addressLimit: 20,
  windowMs: 15 * 60_000,
  firstDelayMs: 60_000,
  maxDelayMs: 60 * 60_000,
  maxEntries: 10_000,
};

interface Entry {
  failures: number;
  lastFailureAt: number;
  /** No attempt is taken before this. */
  waitUntil: number;
  /** How many waits have been imposed since the last quiet spell: the next wait is 2^waits minutes. */
  waits: number;
}

/**
 * Repeated failed sign-ins slowed, per account and per address, in memory (a restart forgets them,
 * which costs an attacker nothing a restart would not). Past the limit each failure imposes a wait
 * that doubles (1 min, 2, 4… up to 1 h); a success clears the account, not the address, so one good
 * password does not reopen a spraying address.
 */
export class SignInThrottle {
  readonly #clock: Clock;
  readonly #options: ThrottleOptions;
  readonly #entries = new Map<string, Entry>();

  constructor(clock: Clock, options: Partial<ThrottleOptions> = {}) {
    this.#clock = clock;
    this.#options = { ...DEFAULT_THROTTLE, ...options };
  }

  /** Seconds to wait before this attempt is taken, or 0 when it may be tried now. */
  wait(account: string, address: string): number {
    const now = this.#clock.now();
    const until = Math.max(
      this.#live(accountKey(account), now)?.waitUntil ?? 0,
      this.#live(addressKey(address), now)?.waitUntil ?? 0,
    );
    return until > now ? Math.ceil((until - now) / 1000) : 0;
  }

  failed(account: string, address: string): void {
    const now = this.#clock.now();
    this.#fail(accountKey(account), now, this.#options.accountLimit);
    this.#fail(addressKey(address), now, this.#options.addressLimit);
  }

  succeeded(account: string): void {
    this.#entries.delete(accountKey(account));
  }

  /** How many accounts and addresses are remembered (bounded by `maxEntries`). */
  get size(): number {
    return this.#entries.size;
  }

  #live(key: string, now: number): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry && now >= Math.max(entry.lastFailureAt, entry.waitUntil) + this.#options.windowMs) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #fail(key: string, now: number, limit: number): void {
    const entry = this.#live(key, now) ?? { failures: 0, lastFailureAt: now, waitUntil: 0, waits: 0 };
    entry.failures += 1;
    entry.lastFailureAt = now;
    if (entry.failures >= limit) {
      const { firstDelayMs, maxDelayMs } = this.#options;
      entry.waitUntil = now + Math.min(firstDelayMs * 2 ** entry.waits, maxDelayMs);
      entry.waits += 1;
    }
    // Re-inserted, so the map's order is the order of last failure and the oldest goes first.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    while (this.#entries.size > this.#options.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }
}

const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
const addressKey = (address: string) => `address:${address}`;
