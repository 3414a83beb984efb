import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { Estate, Principle } from '../config/schema.js';
import { SqliteStores } from '../store/sqlite/stores.js';
import { complianceOf, type Headline, headlineOf } from './compliance.js';
import { checkGroups, latencyTallies } from './latency.js';
import type { Period } from './period.js';
import { buffersOf, type PackedTallied, packTallied } from './tallied-wire.js';

/**
 * The other thread's side of server/principles/compliance-thread.ts, from the same database file, opened
 * read-only on a connection of its own, by the same code: latency principles' items tallied for the
 * groups of checks this thread claims from a counter it shares with the asking thread, or some
 * principles judged whole over a period.
 */
export type Question =
  | {
      id: number;
      kind: 'latency';
      estate: Estate;
      principles: Principle[];
      period: Period;
      /** The shared counter of groups claimed (checkGroups), on a SharedArrayBuffer. */
      claims: Int32Array;
    }
  | { id: number; kind: 'headlines'; estate: Estate; principles: Principle[]; period: Period };

export type Answer =
  | { id: number; ok: true; tallied: PackedTallied[] }
  /** A group's items, sent as soon as they are tallied; the answer (`tallied`) brings the rest. */
  | { id: number; ok: true; part: PackedTallied[] }
  | { id: number; ok: true; headlines: Headline[] }
  | { id: number; ok: false; message: string };

const { file } = workerData as { file: string };
let stores: SqliteStores | undefined;
/** Periods being judged whole here: work only this thread can do. */
let judging = 0;

/**
 * A group claimed for the asking thread's question once this thread has judged its whole periods, or
 * none when the asking thread has claimed them all meanwhile: so this thread's own work is not left
 * to the end, when the asking thread would have nothing to share.
 */
async function claimed(claims: Int32Array, groups: number): Promise<number> {
  while (judging > 0 && Atomics.load(claims, 0) < groups)
    await new Promise<void>((resolve) => setImmediate(resolve));
  return Atomics.add(claims, 0, 1);
}

parentPort?.on('message', async (question: Question) => {
  let answer: Answer;
  try {
    stores ??= new SqliteStores(new Database(file, { readonly: true, fileMustExist: true }));
    const sources = { results: stores.results, maintenance: stores.maintenance, survey: stores.survey };
    const { estate, principles, period } = question;
    if (question.kind === 'headlines') {
      judging++;
      try {
        const judged = await complianceOf(estate, sources, principles, period);
        answer = { id: question.id, ok: true, headlines: judged.map(headlineOf) };
      } finally {
        judging--;
      }
    } else {
      const { claims } = question;
      const groups = checkGroups(estate).length;
      const tallied = await latencyTallies(
        estate,
        sources,
        principles,
        period,
        () => claimed(claims, groups),
        // Each group as soon as it is done: the asking thread takes them in while it works, and the
        // answer at the end is one group's, not every group's to pack, send and unpack then.
        (part) => {
          const packed = packTallied(part);
          const message: Answer = { id: question.id, ok: true, part: packed };
          parentPort?.postMessage(message, buffersOf(packed));
        },
      );
      answer = { id: question.id, ok: true, tallied: packTallied(tallied) };
    }
  } catch (error) {
    answer = { id: question.id, ok: false, message: (error as Error).message };
  }
  try {
    parentPort?.postMessage(answer, 'tallied' in answer ? buffersOf(answer.tallied) : []);
  } catch (error) {
    // An answer that cannot be sent is a failure the asking thread hears of, not a silent crash.
    parentPort?.postMessage({ id: question.id, ok: false, message: (error as Error).message });
  }
});
