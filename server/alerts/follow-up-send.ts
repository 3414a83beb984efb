import type { EngineState } from './engine-state.js';
import { dueFollowUps } from './follow-ups.js';
import type { Note } from './incidents.js';
import { channelsOf, followUpsFor, send } from './sending.js';

/**
 * Sends what has fallen due: messages whose channel's quiet hours have ended, escalation steps,
 * reminders, and refreshes of alerts to Alertmanager.
 */
export async function followUp(state: EngineState): Promise<void> {
  const estate = state.estate;
  if (!estate) return;
  const now = state.deps.clock.now();
  await releaseHeld(state, now);
  const notes: Note[] = [];
  const alertmanager = new Set(estate.channels.filter((c) => c.type === 'alertmanager').map((c) => c.id));
  for (const { row } of [...state.open.byGrouping.values()]) {
    if (row.inMaintenance) continue;
    const followUps = await followUpsFor(state, row.id);
    const channels = (await channelsOf(state, estate, row)).filter((c) => alertmanager.has(c));
    notes.push(...dueFollowUps(row, followUps, state.settings, now, channels));
  }
  await send(state, notes);
}

/**
 * Hands messages whose quiet hours have ended to the outbox, in the order they were held, each
 * forgotten only once handed over: one handed over twice (a stop in between) is dropped by its key.
 */
async function releaseHeld(state: EngineState, now: number): Promise<void> {
  const { store, notifier, logger } = state.deps;
  if (!notifier) return;
  for (const held of await store.heldDue(now)) {
    try {
      await notifier.notify(held.channel, held.message);
    } catch (error) {
      logger.error('the notification outbox refused a held message', { channel: held.channel, error });
      return; // Kept, and tried again at the next look, before anything held after it.
    }
    await store.write((tx) => {
      tx.release(held.id);
      tx.event(held.incidentId, {
        at: now,
        kind: 'notified',
        detail: {
          event: held.message.event,
          channel: held.channel,
          handedOver: true,
          heldSince: held.heldAt,
        },
      });
    });
  }
}

/**
 * An incident opened just before a stop (or while the outbox refused it) may not have been handed over:
 * sent again at the start (the same idempotency key, so a receiver that had it drops the repeat).
 */
export async function resendUntold(state: EngineState): Promise<void> {
  const notes: Note[] = [];
  for (const { row } of state.open.byGrouping.values()) {
    if (row.inMaintenance) continue;
    const events = await state.deps.store.events(row.id);
    const told = events.some(
      (e) => e.kind === 'notified' && e.detail.event === 'opened' && e.detail.handedOver,
    );
    if (!told) notes.push({ incidentId: row.id, event: 'opened', at: row.openedAt });
  }
  await send(state, notes);
}
