import type { Estate } from '../../config/schema.js';
import type { DemoHistoryStore, HistorySpan } from '../../store/demo-history.js';
import { historyChunks, historySpan, planSteps } from './generate.js';

/** The history's seed: the same in every demo, so every newcomer sees the same past. */
export const DEMO_HISTORY_SEED = 1;

/** A history still to be written (all of it, or the months a stopped start did not reach). */
export interface PendingHistory {
  span: HistorySpan;
  /** Measured runs are already stored from the span's end: the last simulated runs stop there. */
  measured: boolean;
}

export interface WriteReport {
  /** False when stopped before the last month: the next start carries on. */
  finished: boolean;
  stretches: number;
  rollups: number;
  /** How long planning and writing took. */
  ms: number;
}

export type SeedReport = WriteReport & { generated: boolean; span: HistorySpan };

/**
 * Decides the span of the demo's history, once per database: the 13 months before its first start,
 * or before the first thing measured if the database already holds runs. Undefined when the whole
 * history is already written. Quick: call it before anything probes, so the span ends where live runs
 * begin.
 */
export async function beginDemoHistory(
  store: DemoHistoryStore,
  now: number,
  seed = DEMO_HISTORY_SEED,
): Promise<PendingHistory | undefined> {
  let span = await store.history();
  if (span?.generatedAt != null) return undefined;
  if (!span) {
    const measured = await store.firstStored(0);
    const { from, to } = historySpan(Math.min(now, measured ?? now));
    await store.begin({ from, to, seed });
    span = { from, to, seed, doneFrom: to, generatedAt: null };
  }
  return { span, measured: (await store.firstStored(span.to)) !== undefined };
}

/**
 * Writes the history a month per transaction, newest first, yielding between months so requests and
 * live runs never wait long behind it; `stopped` is asked between months.
 */
export async function writeDemoHistory(
  store: DemoHistoryStore,
  estate: Estate,
  pending: PendingHistory,
  now: () => number,
  stopped: () => boolean = () => false,
): Promise<WriteReport> {
  const started = performance.now();
  const { span, measured } = pending;
  let stretches = 0;
  let rollups = 0;
  const unfinished = () => ({
    finished: false,
    stretches,
    rollups,
    ms: Math.round(performance.now() - started),
  });
  const steps = planSteps(estate, span, span.seed, measured);
  let step = steps.next();
  for (; !step.done; step = steps.next()) {
    if (stopped()) return unfinished();
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const plan = step.value;
  for (const chunk of historyChunks(plan, span.doneFrom)) {
    if (stopped()) return unfinished();
    await store.writeChunk(chunk);
    stretches += chunk.stretches.reduce((sum, s) => sum + s.stretches.length, 0);
    rollups += chunk.rollups.length;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await store.finish(now());
  return { finished: true, stretches, rollups, ms: Math.round(performance.now() - started) };
}

/** Both steps, waiting for the whole history: for the command line and tests. */
export async function seedDemoHistory(
  store: DemoHistoryStore,
  estate: Estate,
  now: number,
): Promise<SeedReport> {
  const pending = await beginDemoHistory(store, now);
  if (!pending) {
    const span = (await store.history()) as HistorySpan;
    return { generated: false, span, finished: true, stretches: 0, rollups: 0, ms: 0 };
  }
  const written = await writeDemoHistory(store, estate, pending, () => now);
  return {
    generated: true,
    span: { ...pending.span, doneFrom: pending.span.from, generatedAt: now },
    ...written,
  };
}
