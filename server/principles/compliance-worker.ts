import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { Estate, Principle } from '../config/schema.js';
import { SqliteStores } from '../store/sqlite/stores.js';
import { type LatencyTallied, latencyTallies } from './latency.js';
import type { Period } from './period.js';

/**
 * The other thread's side of server/principles/compliance-thread.ts: latency principles' items tallied
 * for the groups of checks this thread claims from a counter it shares with the asking thread, from the
 * same database file, opened read-only on a connection of its own, by the same code.
 */
export interface Question {
  id: number;
  estate: Estate;
  principles: Principle[];
  period: Period;
  /** The shared counter of groups claimed (checkGroups), on a SharedArrayBuffer. */
  claims: Int32Array;
}

export type Answer =
  | { id: number; ok: true; tallied: LatencyTallied[] }
  | { id: number; ok: false; message: string };

const { file } = workerData as { file: string };
let stores: SqliteStores | undefined;

parentPort?.on('message', async (question: Question) => {
  let answer: Answer;
  try {
    stores ??= new SqliteStores(new Database(file, { readonly: true, fileMustExist: true }));
    const sources = { results: stores.results, maintenance: stores.maintenance };
    const { estate, principles, period, claims } = question;
    const tallied = await latencyTallies(estate, sources, principles, period, () =>
      Atomics.add(claims, 0, 1),
    );
    answer = { id: question.id, ok: true, tallied: tallied.map(detached) };
  } catch (error) {
    answer = { id: question.id, ok: false, message: (error as Error).message };
  }
  try {
    parentPort?.postMessage(answer);
  } catch (error) {
    // An answer that cannot be sent is a failure the asking thread hears of, not a silent crash.
    parentPort?.postMessage({ id: question.id, ok: false, message: (error as Error).message });
  }
});

/**
 * Tallies whose histograms each have a buffer of their own: they are views of shared blocks, and a view
 * sent to another thread takes its whole block with it.
 */
function detached(tallied: LatencyTallied): LatencyTallied {
  const tallies = new Map(
    [...tallied.tallies].map(([key, item]) => {
      const { histogram, lastDay, ...rest } = item.tally;
      const tally = {
        ...rest,
        histogram: histogram.slice(),
        ...(lastDay ? { lastDay: lastDay.slice() } : {}),
      };
      return [key, { ...item, tally }] as const;
    }),
  );
  return { ...tallied, tallies };
}
