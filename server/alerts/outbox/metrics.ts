import { Counter, Gauge, type Registry } from 'prom-client';
import type { NotificationsStore } from '../../store/notifications.js';

/** `superseded`: a refresh replaced unsent by a newer one of its incident (not an attempt, never undelivered). */
export type NotificationResult = 'sent' | 'retry' | 'undelivered' | 'superseded';
const RESULTS: readonly NotificationResult[] = ['sent', 'retry', 'undelivered', 'superseded'];

/**
 * The outbox's series: attempts by channel and result, and per channel what waits and for how long
 * (read from the store at each scrape, so they are true after a restart too). Label values are channel
 * ids from the estate file.
 */
export class OutboxMetrics {
  readonly #attempts: Counter;
  #channels: readonly string[] = [];

  constructor(deps: {
    registry: Registry;
    store: Pick<NotificationsStore, 'pendingSummary'>;
    now: () => number;
  }) {
    const { registry, store, now } = deps;
    const channels = () => this.#channels;
    this.#attempts = new Counter({
      name: 'vantage_notifications_total',
      help: 'Attempts to deliver a notification, by channel and result (sent, retry, undelivered), and refreshes superseded unsent by a newer one (superseded)',
      labelNames: ['channel', 'result'],
      registers: [registry],
    });
    let summary: Promise<{ depth: Map<string, number>; oldest: Map<string, number> }> | undefined;
    // Both gauges are read from one query per scrape.
    const read = () => {
      summary ??= store.pendingSummary().then((rows) => {
        setImmediate(() => {
          summary = undefined;
        });
        const at = now();
        return {
          depth: new Map(rows.map((row) => [row.channel, row.count])),
          oldest: new Map(rows.map((row) => [row.channel, Math.max(0, (at - row.oldestQueuedAt) / 1000)])),
        };
      });
      return summary;
    };
    const fill = (gauge: Gauge, values: Map<string, number>) => {
      gauge.reset();
      for (const channel of new Set([...channels(), ...values.keys()]))
        gauge.set({ channel }, values.get(channel) ?? 0);
    };
    new Gauge({
      name: 'vantage_notification_outbox_depth',
      help: 'Notifications waiting to be delivered, by channel',
      labelNames: ['channel'],
      registers: [registry],
      async collect() {
        fill(this, (await read()).depth);
      },
    });
    new Gauge({
      name: 'vantage_notification_outbox_oldest_seconds',
      help: 'Age of the oldest notification waiting to be delivered, by channel, in seconds (0 when none waits)',
      labelNames: ['channel'],
      registers: [registry],
      async collect() {
        fill(this, (await read()).oldest);
      },
    });
  }

  /** The estate's channels: each has every series from now on, at 0 while nothing has happened. */
  channels(ids: readonly string[]): void {
    this.#channels = ids;
    for (const channel of ids) for (const result of RESULTS) this.#attempts.inc({ channel, result }, 0);
  }

  count(channel: string, result: NotificationResult, by = 1): void {
    this.#attempts.inc({ channel, result }, by);
  }
}
