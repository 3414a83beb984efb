import type { HandOver, IncidentsWrite } from '../store/incidents.js';
import type { Note, OpenIncident, OpenIncidents } from './incidents.js';

const refOf = (incident: OpenIncident, at: number): HandOver => ({
  incident: incident.row.id,
  organisation: incident.row.organisation,
  role: incident.row.role,
  at,
});

/**
 * Records that series of a host's incident went to the system owner's: each incident's evidence names
 * the other (`handedOver.to` on the host's, `handedOver.from` on the owner's). Returns the two sides for
 * the timelines' entries.
 */
export function noteHandOver(
  tx: IncidentsWrite,
  from: OpenIncident,
  to: OpenIncident,
  at: number,
): { from: HandOver; to: HandOver } {
  const sides = { from: refOf(from, at), to: refOf(to, at) };
  const add = (incident: OpenIncident, side: 'to' | 'from', ref: HandOver) => {
    const before = incident.row.evidence.handedOver ?? {};
    const list = (before[side] ?? []).filter((h) => h.incident !== ref.incident);
    const evidence = { ...incident.row.evidence, handedOver: { ...before, [side]: [...list, ref] } };
    incident.row = { ...incident.row, evidence };
    tx.update(incident.row.id, { evidence });
  };
  add(from, 'to', sides.to);
  add(to, 'from', sides.from);
  return sides;
}

/**
 * Ends a host's incident every series of which went to the owner's: `handed-over`, not resolved (the
 * problem goes on, it is no longer theirs), and its channels are told so, without an acknowledgement link.
 */
export function closeHandedOver(
  tx: IncidentsWrite,
  open: OpenIncidents,
  source: OpenIncident,
  at: number,
  notes: Note[],
  why: string,
): void {
  open.resolve(
    tx,
    source,
    at,
    notes,
    { why, handedOver: { to: source.row.evidence.handedOver?.to ?? [] } },
    'handed-over',
  );
}
