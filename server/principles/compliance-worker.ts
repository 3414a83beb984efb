import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { Estate, Principle } from '../config/schema.js';
import { SqliteStores } from '../store/sqlite/stores.js';
import { complianceOf } from './compliance.js';
import type { Period } from './period.js';

/**
 * The other thread's side of server/principles/compliance-thread.ts: principles judged over a period
 * from the same database file, opened read-only, on a connection of its own. Each question is answered
 * by the same code as in the server's own thread, so the answers are the same.
 */
export interface Question {
  id: number;
  estate: Estate;
  principles: Principle[];
  period: Period;
}

export type Answer =
  | { id: number; ok: true; compliance: Awaited<ReturnType<typeof complianceOf>> }
  | { id: number; ok: false; message: string };

const { file } = workerData as { file: string };
let stores: SqliteStores | undefined;

parentPort?.on('message', async (question: Question) => {
  let answer: Answer;
  try {
    stores ??= new SqliteStores(new Database(file, { readonly: true, fileMustExist: true }));
    const sources = { results: stores.results, maintenance: stores.maintenance };
    const compliance = await complianceOf(question.estate, sources, question.principles, question.period);
    answer = { id: question.id, ok: true, compliance };
  } catch (error) {
    answer = { id: question.id, ok: false, message: (error as Error).message };
  }
  parentPort?.postMessage(answer);
});
