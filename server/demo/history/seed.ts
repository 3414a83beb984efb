import type { Estate } from '../../config/schema.js';
import type { DemoHistoryStore, HistorySpan } from '../../store/demo-history.js';
import { historyChunks, historySpan, planHistory } from './generate.js';

/** The history's seed: the same in every demo, so every newcomer sees the same past. */
export const DEMO_HISTORY_SEED = 1;

export interface SeedReport {
  /** False when the database already held the whole history. */
  generated: boolean;
  span: HistorySpan;
  stretches: number;
  rollups: number;
  /** How long generating and writing took. */
  ms: number;
}

/**
 * Writes the demo's simulated history once per database: the 13 months before its first start, or
 * before the first thing measured if the database already holds runs. A start stopped part way
 * carries on from the last month written. Yields between months, so nothing waits long behind it.
 */
export async function seedDemoHistory(
  store: DemoHistoryStore,
  estate: Estate,
  now: number,
  options: { seed?: number; clock?: () => number } = {},
): Promise<SeedReport> {
  const clock = options.clock ?? (() => performance.now());
  const started = clock();
  let span = await store.history();
  if (span?.generatedAt != null) return { generated: false, span, stretches: 0, rollups: 0, ms: 0 };
  if (!span) {
    const measured = await store.firstStored(0);
    const { from, to } = historySpan(Math.min(now, measured ?? now));
    const seed = options.seed ?? DEMO_HISTORY_SEED;
    await store.begin({ from, to, seed });
    span = { from, to, seed, doneTo: from, generatedAt: null };
  }
  // Measured runs from the history's end on keep their place: the last simulated runs stop there.
  const measuredAfter = await store.firstStored(span.to);
  const plan = planHistory(estate, span, span.seed, measuredAfter === undefined ? undefined : span.to);
  let stretches = 0;
  let rollups = 0;
  for (const chunk of historyChunks(plan, span.doneTo)) {
    await store.writeChunk(chunk);
    stretches += chunk.stretches.reduce((sum, s) => sum + s.stretches.length, 0);
    rollups += chunk.rollups.length;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await store.finish(now);
  return {
    generated: true,
    span: { ...span, doneTo: span.to, generatedAt: now },
    stretches,
    rollups,
    ms: Math.round(clock() - started),
  };
}
