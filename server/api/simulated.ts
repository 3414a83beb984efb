import type { DemoHistoryStore } from '../store/demo-history.js';

/** The part of an answer's time that the demo simulated rather than measured (ISO 8601, `to` exclusive). */
export interface Simulated {
  from: string;
  to: string;
  /** Present while the history is still being written (seconds after the demo's first start): figures over it are not all there yet. */
  writing?: true;
}

/** Added to every answer over time: present only when some of that time is simulated demo history. */
export interface Simulation {
  simulated?: Simulated;
}

/**
 * `{ simulated }` for the part of [from, to) inside the demo's generated history, or `{}`: spread into
 * an answer, so whoever shows the figures can say they are not measured.
 */
export async function simulatedPart(
  store: Pick<DemoHistoryStore, 'history'>,
  from: number,
  to: number,
): Promise<Simulation> {
  const history = await store.history();
  if (!history) return {};
  const part = { from: Math.max(from, history.from), to: Math.min(to, history.to) };
  if (part.to <= part.from) return {};
  const simulated: Simulated = {
    from: new Date(part.from).toISOString(),
    to: new Date(part.to).toISOString(),
  };
  if (history.generatedAt === null) simulated.writing = true;
  return { simulated };
}
