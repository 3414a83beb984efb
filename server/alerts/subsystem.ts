import type { Timers } from '../../common/timers.js';
import type { Estate } from '../config/schema.js';
import type { Subsystem } from '../lifecycle/subsystem.js';
import type { StoredResults } from '../results/stream.js';
import { alertSettings } from './config.js';
import type { AlertEngine } from './engine.js';

/** How often silent agents are looked for at most: a minute, or sooner for a shorter rule. */
const AGENT_CHECK_MS = 60_000;
/**
 * How often quiet hours, escalation, reminders and Alertmanager's refresh are looked at: each is at most
 * this late, small beside the minutes they are configured in and Alertmanager's minute.
 */
export const FOLLOW_UP_MS = 15_000;
/** How often the error budgets' burn is read: on this timer, and after stored runs at most this often. */
const BURN_CHECK_MS = 60_000;

/**
 * The alert rules as a part of the running server: reads its counters and open incidents back at the
 * start, evaluates every batch of stored runs, and looks for silent agents and for follow-ups (held
 * messages, escalation, reminders, Alertmanager's refresh) on timers.
 */
export class AlertsSubsystem implements Subsystem {
  readonly name = 'alerts';
  readonly engine: AlertEngine;
  readonly #stream: StoredResults;
  readonly #timers: Timers;
  #unsubscribe: (() => void) | undefined;
  #timer: unknown;
  #followUpTimer: unknown;
  #burnTimer: unknown;
  #everyMs = AGENT_CHECK_MS;
  #stopped = false;
  #loaded = false;

  constructor(deps: { engine: AlertEngine; stream: StoredResults; timers: Timers }) {
    this.engine = deps.engine;
    this.#stream = deps.stream;
    this.#timers = deps.timers;
  }

  async apply(estate: Estate): Promise<void> {
    // At the start, what is stored is read back first (queued before the estate's own work, which the
    // estate set here reaches: it then sees what the estate retired and re-sends with its channels).
    const loading = this.#loaded ? undefined : this.engine.load();
    this.#loaded = true;
    const applying = this.engine.setEstate(estate);
    await loading;
    await applying;
    this.#everyMs = Math.min(
      AGENT_CHECK_MS,
      Math.max(1_000, alertSettings(estate.alerts).agentSilent.afterMs / 4),
    );
  }

  async start(): Promise<void> {
    this.#unsubscribe = this.#stream.subscribe('alerts', async (runs) => {
      await this.engine.evaluate(runs);
      await this.engine.checkBurnRates({ everyMs: BURN_CHECK_MS });
    });
    this.#schedule();
    this.#scheduleFollowUp();
    this.#scheduleBurn();
  }

  #scheduleFollowUp(): void {
    if (this.#stopped) return;
    this.#followUpTimer = this.#timers.setTimeout(() => {
      void this.engine.followUp().finally(() => this.#scheduleFollowUp());
    }, FOLLOW_UP_MS);
  }

  #scheduleBurn(): void {
    if (this.#stopped) return;
    this.#burnTimer = this.#timers.setTimeout(() => {
      void this.engine.checkBurnRates().finally(() => this.#scheduleBurn());
    }, BURN_CHECK_MS);
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = this.#timers.setTimeout(() => {
      void this.engine.checkAgents().finally(() => this.#schedule());
    }, this.#everyMs);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe?.();
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer);
    if (this.#followUpTimer !== undefined) this.#timers.clearTimeout(this.#followUpTimer);
    if (this.#burnTimer !== undefined) this.#timers.clearTimeout(this.#burnTimer);
    await this.engine.idle();
  }
}
