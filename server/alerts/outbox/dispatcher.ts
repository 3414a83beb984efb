import { formatDuration } from '../../../common/duration.js';
import type { Logger } from '../../../common/logger.js';
import type { Timers } from '../../../common/timers.js';
import type { Estate } from '../../config/schema.js';
import type { Subsystem } from '../../lifecycle/subsystem.js';
import type { NotificationRow, NotificationsStore } from '../../store/notifications.js';
import type { AlertMessage, Delivery } from '../message.js';
import { DEFAULT_GIVE_UP_AFTER_MS, retryDelayMs } from './backoff.js';
import type { OutboxMetrics } from './metrics.js';
import { safeReason } from './reason.js';

export { DEFAULT_GIVE_UP_AFTER_MS } from './backoff.js';

/** Delivers one message to one channel (the channel registry's); a throw counts as a retryable failure. */
export type Send = (channelId: string, message: AlertMessage) => Promise<Delivery>;

/** How a message's delivery ended: accepted by its channel, or given up. */
export interface Settled {
  channel: string;
  message: AlertMessage;
  state: 'sent' | 'undelivered';
  at: number;
  attempts: number;
  /** Why it was given up (an address's path removed). */
  reason?: string;
}

export const DEFAULT_MAX_IN_FLIGHT = 8;
/** How often the queue is looked at besides when told: messages put back by an admin, or by another writer. */
export const DEFAULT_POLL_MS = 5_000;
/** How long stopping waits for sends in flight; one still waiting stays pending and is sent after the restart. */
export const DEFAULT_STOP_GRACE_MS = 10_000;

export interface DispatcherOptions {
  store: NotificationsStore;
  send: Send;
  timers: Timers;
  logger: Logger;
  metrics?: OutboxMetrics;
  /** A message still failing this long after it was queued is given up as undelivered. */
  giveUpAfterMs?: number;
  /** Channels being sent to at once. */
  maxInFlight?: number;
  pollMs?: number;
  stopGraceMs?: number;
  /** Told once a message is sent or given up (an incident's timeline records where it was delivered). */
  onSettled?: (settled: Settled) => void;
  /** [0, 1): the backoff's jitter. */
  random?: () => number;
}

/**
 * Sends the outbox's messages. Per channel strictly in order: its oldest pending message (the head) is
 * sent, and retried with backoff while it fails, before any later one, so a channel that returns gets
 * its messages in the order they were made. Channels go independently, a bounded number at once.
 * A message is marked sent only after the channel accepted it: one in flight when the process dies
 * stays pending and is sent again, with the same idempotency key, after the restart.
 */
export class NotificationDispatcher implements Subsystem {
  readonly name = 'notifications';
  readonly #store: NotificationsStore;
  readonly #send: Send;
  readonly #timers: Timers;
  readonly #logger: Logger;
  readonly #metrics: OutboxMetrics | undefined;
  readonly #giveUpAfterMs: number;
  readonly #maxInFlight: number;
  readonly #pollMs: number;
  readonly #stopGraceMs: number;
  readonly #onSettled: (settled: Settled) => void;
  readonly #random: () => number;
  /** Each channel being sent to, by id. */
  readonly #active = new Map<string, Promise<void>>();
  #running = false;
  #looking: Promise<void> | undefined;
  #lookAgain = false;
  #poll: unknown;
  #retry: { at: number; handle: unknown } | undefined;

  constructor(options: DispatcherOptions) {
    this.#store = options.store;
    this.#send = options.send;
    this.#timers = options.timers;
    this.#logger = options.logger;
    this.#metrics = options.metrics;
    this.#giveUpAfterMs = options.giveUpAfterMs ?? DEFAULT_GIVE_UP_AFTER_MS;
    this.#maxInFlight = Math.max(1, options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT);
    this.#pollMs = options.pollMs ?? DEFAULT_POLL_MS;
    this.#stopGraceMs = options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
    this.#onSettled = options.onSettled ?? (() => {});
    this.#random = options.random ?? Math.random;
  }

  apply(estate: Estate): void {
    this.#metrics?.channels(estate.channels.map((channel) => channel.id));
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#schedulePoll();
    this.wake();
  }

  /** Looks at the queue now: a message was queued. */
  wake(): void {
    if (!this.#running) return;
    if (this.#looking) {
      this.#lookAgain = true;
      return;
    }
    this.#looking = this.#look()
      .catch((error: unknown) =>
        this.#logger.error('reading the notification outbox failed', { error: String(error) }),
      )
      .finally(() => {
        this.#looking = undefined;
      });
  }

  /**
   * Lets the sends in flight finish (each is marked as its channel answered), for a while: a receiver
   * holding a request open does not hold up the shutdown. Nothing new starts.
   */
  async stop(): Promise<void> {
    this.#running = false;
    this.#timers.clearTimeout(this.#poll);
    if (this.#retry) this.#timers.clearTimeout(this.#retry.handle);
    this.#retry = undefined;
    await this.#looking;
    if (this.#active.size === 0) return;
    let grace: unknown;
    await Promise.race([
      Promise.all(this.#active.values()),
      new Promise<void>((resolve) => {
        grace = this.#timers.setTimeout(resolve, this.#stopGraceMs);
      }),
    ]);
    this.#timers.clearTimeout(grace);
    if (this.#active.size > 0)
      this.#logger.warn(
        'stopped with notifications in flight: they stay pending and are sent again at the next start',
        {
          channels: [...this.#active.keys()],
        },
      );
  }

  /** Starts a channel for each head that is due, up to the bound; wakes again when the next one is. */
  async #look(): Promise<void> {
    do {
      this.#lookAgain = false;
      const heads = await this.#store.heads();
      const now = this.#timers.now();
      for (const head of heads) {
        if (!this.#running) return;
        if (this.#active.has(head.channel)) continue;
        if (head.nextAttemptAt > now) this.#wakeAt(head.nextAttemptAt);
        // A channel that finishes looks again, so the ones left out here are started then.
        else if (this.#active.size < this.#maxInFlight) this.#drain(head.channel);
      }
    } while (this.#lookAgain && this.#running);
  }

  #drain(channel: string): void {
    const work = this.#sendInOrder(channel)
      .catch((error: unknown) =>
        this.#logger.error('sending notifications failed', { channel, error: String(error) }),
      )
      .finally(() => {
        this.#active.delete(channel);
        this.wake();
      });
    this.#active.set(channel, work);
  }

  /** Sends a channel's due messages oldest first, until one must wait for its retry or none is left. */
  async #sendInOrder(channel: string): Promise<void> {
    while (this.#running) {
      const head = await this.#store.head(channel);
      if (!head) return;
      if (head.nextAttemptAt > this.#timers.now()) {
        this.#wakeAt(head.nextAttemptAt);
        return;
      }
      await this.#attempt(head);
    }
  }

  async #attempt(head: NotificationRow): Promise<void> {
    const delivery = await this.#deliver(head);
    const at = this.#timers.now();
    const { channel, id } = head;
    if (delivery.ok) {
      await this.#store.markSent(id, at);
      this.#metrics?.count(channel, 'sent');
      this.#settled({ channel, message: head.message, state: 'sent', at, attempts: head.attempts + 1 });
      return;
    }
    const reason = safeReason(delivery.reason);
    const deadline = head.queuedAt + this.#giveUpAfterMs;
    if (delivery.retryable && at < deadline) {
      // Never past the deadline: the last try is at it, so giving up happens when configured.
      const next = Math.min(
        deadline,
        at + retryDelayMs(head.attempts + 1, this.#random, delivery.retryAfterMs),
      );
      await this.#store.markRetry(id, at, next, reason);
      this.#metrics?.count(channel, 'retry');
      this.#wakeAt(next);
      return;
    }
    const why = delivery.retryable
      ? `still failing after ${formatDuration(Math.floor((at - head.queuedAt) / 1000) * 1000)}: ${reason}`
      : reason;
    await this.#store.markUndelivered(id, at, why);
    this.#metrics?.count(channel, 'undelivered');
    this.#logger.warn('notification undelivered', {
      channel,
      id,
      event: head.message.event,
      attempts: head.attempts + 1,
      reason: why,
    });
    this.#settled({
      channel,
      message: head.message,
      state: 'undelivered',
      at,
      attempts: head.attempts + 1,
      reason: why,
    });
  }

  /** A listener that fails is logged: it never stops the channel. */
  #settled(settled: Settled): void {
    try {
      this.#onSettled(settled);
    } catch (error) {
      this.#logger.error('a listener to delivered notifications failed', {
        channel: settled.channel,
        error: String(error),
      });
    }
  }

  async #deliver(head: NotificationRow): Promise<Delivery> {
    try {
      return await this.#send(head.channel, head.message);
    } catch (error) {
      return { ok: false, retryable: true, reason: error instanceof Error ? error.message : String(error) };
    }
  }

  /** One timer, for the soonest retry. */
  #wakeAt(at: number): void {
    if (!this.#running) return;
    if (this.#retry && this.#retry.at <= at) return;
    if (this.#retry) this.#timers.clearTimeout(this.#retry.handle);
    const handle = this.#timers.setTimeout(() => {
      this.#retry = undefined;
      this.wake();
    }, at - this.#timers.now());
    this.#retry = { at, handle };
  }

  #schedulePoll(): void {
    this.#poll = this.#timers.setTimeout(() => {
      this.wake();
      if (this.#running) this.#schedulePoll();
    }, this.#pollMs);
  }
}
