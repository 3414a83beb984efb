import type { Estate } from '../config/schema.js';
import type { IncidentRow } from '../store/incidents.js';
import type { EngineState } from './engine-state.js';
import { type FollowUps, followUpsOf } from './follow-ups.js';
import type { Note } from './incidents.js';
import type { AlertMessage } from './message.js';
import { alertDetail, alertMessage, channelsFor } from './messages.js';
import { londonTimeText, quietUntil } from './quiet-hours.js';

/** Hands each message to the notifier, channel by channel, and records each hand-over in the timeline. */
export async function send(state: EngineState, notes: readonly Note[]): Promise<void> {
  const { store, notifier, logger, clock } = state.deps;
  const estate = state.estate;
  if (!estate || notes.length === 0) return;
  if (!notifier) {
    logger.warn('no notification outbox: incidents are recorded but nobody is told', {
      messages: notes.length,
    });
    return;
  }
  for (const note of notes) {
    const incident = await store.incident(note.incidentId);
    if (!incident) continue;
    const members = await store.members(note.incidentId);
    const baseUrl = state.settings.dashboardUrl ?? state.deps.baseUrl();
    const context = { estate, baseUrl, ackKey: state.deps.ackKey, now: clock.now() };
    const detail = alertDetail(incident, members, context);
    const told: { channel: string; handedOver: boolean }[] = [];
    const held: { channel: string; message: AlertMessage; until: number }[] = [];
    for (const channel of note.channels ?? (await channelsOf(state, estate, incident))) {
      const message = alertMessage(note.event, note.at, channel, detail, note.nth);
      if (note.refresh) message.refresh = true;
      const until = await heldUntil(state, incident, channel);
      if (until !== undefined) {
        // A reminder or refresh is about now: the message held for the morning says it all.
        if (note.event !== 'reminder') held.push({ channel, message, until });
        continue;
      }
      try {
        await notifier.notify(channel, message);
        told.push({ channel, handedOver: true });
      } catch (error) {
        logger.error('the notification outbox refused a message', {
          incident: incident.id,
          channel,
          error,
        });
        // The reason stays in the log (which redacts secrets): a channel's error may quote its address.
        told.push({ channel, handedOver: false });
      }
    }
    const at = clock.now();
    await store.write((tx) => {
      if (note.record) tx.event(incident.id, { at: note.at, ...note.record });
      for (const h of held)
        if (
          tx.hold({
            incidentId: incident.id,
            channel: h.channel,
            message: h.message,
            heldAt: at,
            until: h.until,
          })
        )
          tx.event(incident.id, {
            at,
            kind: 'held',
            detail: {
              event: note.event,
              channel: h.channel,
              until: h.until,
              text: `held until ${londonTimeText(h.until)}`,
            },
          });
      if (!note.refresh)
        for (const t of told)
          tx.event(incident.id, { at, kind: 'notified', detail: { event: note.event, ...t } });
    });
    if (incident.resolvedAt !== null) state.followUps.delete(incident.id);
  }
}

/** The incident's own channels, and those its escalation has reached. */
export async function channelsOf(
  state: EngineState,
  estate: Estate,
  incident: IncidentRow,
): Promise<string[]> {
  const own = channelsFor(estate, state.settings, incident);
  const followUps = await followUpsFor(state, incident.id);
  const known = new Set(estate.channels.map((c) => c.id));
  const reached = [...followUps.escalatedTo].filter((c) => known.has(c) && !own.includes(c));
  return [...own, ...reached];
}

/** An open incident's escalations, reminders and refreshes, read from its timeline when first needed. */
export async function followUpsFor(state: EngineState, id: string): Promise<FollowUps> {
  let followUps = state.followUps.get(id);
  if (!followUps) {
    followUps = followUpsOf(await state.deps.store.events(id));
    state.followUps.set(id, followUps);
  }
  return followUps;
}

/**
 * When a message to this channel must wait for: the end of its quiet hours unless the incident is
 * critical, or, while an earlier message of the incident waits there, the same moment, so the two
 * arrive in order (a resolved never before its opened).
 */
async function heldUntil(
  state: EngineState,
  incident: IncidentRow,
  channel: string,
): Promise<number | undefined> {
  const earlier = await state.deps.store.heldFor(incident.id, channel);
  const quiet = state.settings.routes.find((r) => r.channel === channel)?.quietHours;
  const until =
    quiet && incident.severity !== 'critical' ? quietUntil(quiet, state.deps.clock.now()) : undefined;
  if (earlier === undefined) return until;
  return Math.max(earlier.until, until ?? 0);
}
