import type { Principle } from '../config/schema.js';
import { measureBurn, type WindowTally } from './burn-measure.js';
import { burnPrinciples, judgeBurn, pairsFor, verdicts } from './burn-rate.js';
import type { EngineState } from './engine-state.js';
import type { Note } from './incidents.js';
import { send } from './sending.js';

/**
 * Reads the availability principles' error budgets over the burn windows (one reading of the timeline
 * over the longest window) and the latency principles' (counted from the runs as they came), and opens,
 * raises or resolves their incidents. Skipped when the last reading
 * is less than `everyMs` old.
 */
export async function checkBurnRates(state: EngineState, everyMs: number): Promise<void> {
  const estate = state.estate;
  const { results, clock, maintenance } = state.deps;
  const now = clock.now();
  if (!estate || !results || now - state.burnAt < everyMs) return;
  state.burnAt = now;
  const settings = state.settings.burnRate;
  const principles = burnPrinciples(estate, settings);
  const gone = [...state.open.byGrouping.values()].filter(
    ({ row }) => row.grouping.startsWith('burn:') && !principles.some((p) => `burn:${p.id}` === row.grouping),
  );
  const asked = new Map(
    principles
      .filter((p) => p.metric === 'availability')
      .map((p) => [p, pairsFor(p).flatMap((pair) => [now - pair.longMs, now - pair.shortMs])]),
  );
  const measured = new Map<Principle, { tallies: Map<number, WindowTally>; watchedFrom?: number }>();
  if (asked.size > 0)
    for (const [principle, tallies] of await measureBurn(estate, { results, maintenance }, asked, now))
      measured.set(principle, { tallies });
  for (const [principle, counted] of state.latencyBurn.tallies(now)) measured.set(principle, counted);
  const scene = state.scene(estate, now, []);
  const notes: Note[] = [];
  await state.write((tx) => {
    for (const incident of gone)
      state.open.resolve(tx, incident, now, notes, {
        why: 'the burn-rate rule no longer reads its principle',
      });
    for (const [principle, { tallies, watchedFrom }] of measured) {
      const judged = verdicts(principle, tallies, now, settings.minBadRuns, watchedFrom);
      judgeBurn(tx, state.open, { scene, settings, principle, verdicts: judged, tallies }, notes);
    }
  });
  await send(state, notes);
}
