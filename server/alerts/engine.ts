import type { RunRecord } from '../../runs/record.js';
import type { Estate } from '../config/schema.js';
import type { IncidentRow } from '../store/incidents.js';
import { checkBurnRates } from './burn-check.js';
import { burnPrinciples } from './burn-rate.js';
import { alertSettings } from './config.js';
import { type AlertEngineDeps, EngineState } from './engine-state.js';
import { catchUp, evaluateRuns, placeWaited } from './evaluate-runs.js';
import { followUp, resendUntold } from './follow-up-send.js';
import type { Note } from './incidents.js';
import { readBackLatencyBurn } from './latency-burn-runs.js';
import { latencyTargets } from './latency-windows.js';
import type { Settled } from './outbox/dispatcher.js';
import { forgetRetired } from './retired.js';
import { send } from './sending.js';
import { checkAgents } from './silent-agents.js';

export type { AlertEngineDeps } from './engine-state.js';
export { BACKLOG_AFTER_MS } from './evaluate-runs.js';

/**
 * The alert rules over the stream of stored runs: counts each series' runs in the order they ran, opens,
 * groups, escalates and resolves incidents, and hands each opened, escalated, acknowledged and resolved
 * incident to the notifier for the responsible organisation's channels. One evaluation at a time: every
 * entry point queues its work behind the one before.
 */
export class AlertEngine {
  readonly #state: EngineState;
  #queue: Promise<void> = Promise.resolve();

  constructor(deps: AlertEngineDeps) {
    this.#state = new EngineState(deps);
  }

  /** Takes the estate as configured now; what it no longer has stops counting, and its incidents close. */
  setEstate(estate: Estate): Promise<void> {
    const state = this.#state;
    state.estate = estate;
    state.settings = alertSettings(estate.alerts);
    const targets = latencyTargets(estate, state.settings.latency);
    state.latency.configure(state.settings.latency, targets);
    state.latency.retain(new Set(targets.keys()));
    const latencyPrinciples = burnPrinciples(estate, state.settings.burnRate).filter(
      (p) => p.metric === 'latency',
    );
    state.latencyBurn.configure(estate, latencyPrinciples, state.deps.clock.now());
    return this.#serially(() => forgetRetired(state, estate));
  }

  /**
   * Reads the counters and open incidents back, and the latency principles' last hours of runs, then
   * evaluates what a stop cut short and re-sends what it had not sent.
   */
  load(): Promise<void> {
    return this.#serially(async () => {
      await this.#state.reload();
      await readBackLatencyBurn(this.#state);
      await catchUp(this.#state);
      await resendUntold(this.#state);
    });
  }

  /** Evaluates runs just stored; resolves once incidents are written and messages handed over. */
  evaluate(runs: readonly RunRecord[]): Promise<void> {
    return this.#serially(() => evaluateRuns(this.#state, runs));
  }

  /**
   * Reads the availability principles' error budgets over the burn windows and opens or resolves their
   * incidents. `everyMs`: only when the last reading is at least this old (after stored runs).
   */
  checkBurnRates(options: { everyMs?: number } = {}): Promise<void> {
    // A reading that fails is logged and tried again at the next: the timer must keep going.
    return this.#serially(() =>
      checkBurnRates(this.#state, options.everyMs ?? 0).catch((error: unknown) => {
        this.#state.deps.logger.error('the burn-rate rule could not read the error budgets', { error });
      }),
    );
  }

  /** Looks for agents gone silent, and back. */
  checkAgents(): Promise<void> {
    return this.#serially(async () => {
      const state = this.#state;
      const estate = state.estate;
      if (!estate) return;
      const now = state.deps.clock.now();
      const beats = await state.deps.agents.heartbeats();
      const notes: Note[] = [];
      const scene = state.scene(estate, now, []);
      await state.write((tx) => {
        state.silent = checkAgents(tx, state.open, { scene, settings: state.settings, beats }, notes);
      });
      await send(state, notes);
    });
  }

  /**
   * Does what has fallen due: places failing series whose wait for the rest of their round ran out, and
   * sends messages whose channel's quiet hours have ended, escalation steps, reminders, and refreshes.
   */
  followUp(): Promise<void> {
    return this.#serially(async () => {
      await placeWaited(this.#state);
      await followUp(this.#state);
    });
  }

  /** Tells the channels that an incident was acknowledged (the record is already written). */
  acknowledged(incident: IncidentRow): Promise<void> {
    for (const open of this.#state.open.byGrouping.values())
      if (open.row.id === incident.id) open.row = { ...open.row, acknowledgedAt: incident.acknowledgedAt };
    return this.#serially(() =>
      send(this.#state, [
        {
          incidentId: incident.id,
          event: 'acknowledged',
          at: incident.acknowledgedAt ?? this.#state.deps.clock.now(),
        },
      ]),
    );
  }

  /** Records in the incident's timeline where one of its messages ended up: delivered, or given up. */
  delivered(settled: Settled): Promise<void> {
    return this.#serially(async () => {
      const { store } = this.#state.deps;
      const { message } = settled;
      if (message.event === 'test' || message.refresh || !(await store.incident(message.alert.id))) return;
      await store.write((tx) =>
        tx.event(message.alert.id, {
          at: settled.at,
          kind: 'delivered',
          detail: {
            event: message.event,
            channel: settled.channel,
            delivered: settled.state === 'sent',
            attempts: settled.attempts,
            ...(settled.reason ? { reason: settled.reason } : {}),
          },
        }),
      );
    });
  }

  /** Resolves when everything asked so far is done. */
  idle(): Promise<void> {
    return this.#queue;
  }

  #serially(work: () => Promise<void>): Promise<void> {
    const next = this.#queue.then(work);
    this.#queue = next.catch(() => {});
    return next;
  }
}
