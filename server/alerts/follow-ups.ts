import { formatDuration } from '../../common/duration.js';
import type { IncidentEvent, IncidentRow } from '../store/incidents.js';
import { resendEveryMs } from './channels/index.js';
import type { AlertSettings } from './config.js';
import type { Note } from './incidents.js';

/** What an open incident has had besides its opened message: read back from its timeline at a start. */
export interface FollowUps {
  /** Escalation steps taken, by their place in `alerts.escalate`. */
  escalated: Set<number>;
  /** The channels escalation reached: they hear how the incident goes on (acknowledged, resolved). */
  escalatedTo: Set<string>;
  /** The number of the last reminder (the nth interval since the incident opened). */
  reminded: number;
  /** The number of the last refresh to Alertmanager; not kept, as the outbox drops a repeat by its key. */
  refreshed: number;
}

export function followUpsOf(events: readonly IncidentEvent[]): FollowUps {
  const state: FollowUps = { escalated: new Set(), escalatedTo: new Set(), reminded: 0, refreshed: 0 };
  for (const event of events) {
    // An `escalated` without a step is a host's incident handed to the owner, not a step taken.
    if (event.kind === 'escalated' && typeof event.detail.step === 'number') {
      state.escalated.add(event.detail.step - 1);
      for (const channel of (event.detail.channels as string[] | undefined) ?? [])
        state.escalatedTo.add(channel);
    }
    if (event.kind === 'reminded') state.reminded = Math.max(state.reminded, Number(event.detail.nth));
  }
  return state;
}

/**
 * What is due for an open incident now, and marks it taken: escalation steps and reminders while nobody
 * has acknowledged it (acknowledging says someone is on it, which both exist to find), and while it is
 * open at all, a refresh of its alert to Alertmanager channels, whose alerts expire unless sent again.
 * Reminders and refreshes that fell due during a stop are one message, not one for each interval missed.
 * Keys are numbered by step and interval, so a repeat after a restart is dropped by the outbox.
 */
export function dueFollowUps(
  incident: IncidentRow,
  state: FollowUps,
  settings: AlertSettings,
  now: number,
  alertmanagerChannels: readonly string[],
): Note[] {
  const notes: Note[] = [];
  const since = now - incident.openedAt;
  if (incident.acknowledgedAt === null) {
    settings.escalate.forEach((step, i) => {
      if (state.escalated.has(i) || since < step.afterMs) return;
      if (step.organisations && !step.organisations.includes(incident.organisation)) return;
      if (step.severities && !step.severities.includes(incident.severity)) return;
      state.escalated.add(i);
      for (const channel of step.channels) state.escalatedTo.add(channel);
      const detail = { step: i + 1, after: formatDuration(step.afterMs), channels: step.channels };
      notes.push({
        incidentId: incident.id,
        event: 'escalated',
        at: now,
        channels: step.channels,
        nth: `step${i + 1}`,
        record: { kind: 'escalated', detail },
      });
    });
    const nth = settings.remindMs ? Math.floor(since / settings.remindMs) : 0;
    if (nth >= 1 && nth > state.reminded) {
      state.reminded = nth;
      notes.push({
        incidentId: incident.id,
        event: 'reminder',
        at: now,
        nth: String(nth),
        record: { kind: 'reminded', detail: { nth, every: formatDuration(settings.remindMs ?? 0) } },
      });
    }
  }
  const refresh = Math.floor(since / resendEveryMs);
  if (alertmanagerChannels.length > 0 && refresh >= 1 && refresh > state.refreshed) {
    state.refreshed = refresh;
    notes.push({
      incidentId: incident.id,
      event: 'reminder',
      at: now,
      channels: [...alertmanagerChannels],
      nth: `refresh${refresh}`,
      refresh: true,
    });
  }
  return notes;
}
