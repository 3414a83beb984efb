import { SERVER_VANTAGE_POINT } from '../../runs/record.js';
import type { Estate } from '../config/schema.js';
import type { EngineState } from './engine-state.js';
import { keyOf, type Note } from './incidents.js';
import { LATENCY } from './latency.js';
import { send } from './sending.js';

/**
 * After a reload: a check, vantage point, site or certificate the estate no longer has stops counting,
 * and an incident left covering nothing resolves, saying so.
 */
export async function forgetRetired(state: EngineState, estate: Estate): Promise<void> {
  const places = new Map(estate.checks.map((c) => [c.id, new Set(c.from ?? [SERVER_VANTAGE_POINT])]));
  const sites = new Set(estate.sites.map((s) => s.id));
  const retired = [...state.series.values()].filter((s) => !places.get(s.checkId)?.has(s.vantagePoint));
  const gone = [...state.open.byGrouping.values()].filter(({ row }) => {
    const [kind, id = ''] = row.grouping.split(':');
    return (kind === 'certificate' && !places.has(id)) || (kind === 'agent' && !sites.has(id));
  });
  // A latency incident's series the estate no longer runs leave it; one left with none resolves.
  const slowGone = [...state.open.byGrouping.values()].filter(
    ({ row, members }) =>
      row.rule === LATENCY && [...members.values()].some((m) => !places.get(m.checkId)?.has(m.vantagePoint)),
  );
  if (retired.length === 0 && gone.length === 0 && slowGone.length === 0) return;
  const now = state.deps.clock.now();
  const notes: Note[] = [];
  const why = { why: 'what it covered was taken out of the estate' };
  await state.write((tx) => {
    for (const series of retired) {
      const key = keyOf(series);
      state.series.delete(key);
      tx.dropSeries(series.checkId, series.vantagePoint);
      const left = state.open.leave(tx, key, now);
      if (left && left.members.size === 0) state.open.resolve(tx, left, now, notes, why);
    }
    for (const incident of gone) state.open.resolve(tx, incident, now, notes, why);
    for (const incident of slowGone) {
      for (const [key, m] of incident.members)
        if (!places.get(m.checkId)?.has(m.vantagePoint)) {
          incident.members.delete(key);
          tx.leave(incident.row.id, m.checkId, m.vantagePoint, now);
        }
      if (incident.members.size === 0) state.open.resolve(tx, incident, now, notes, why);
    }
  });
  await send(state, notes);
}
