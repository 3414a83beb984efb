import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Estate, Principle } from '../config/schema.js';
import type { Headline } from './compliance.js';
import type { Answer, Question } from './compliance-worker.js';
import { addTallied, type LatencyTallied } from './latency.js';
import type { Period } from './period.js';
import { type PackedTallied, unpackTallied } from './tallied-wire.js';

/**
 * Compliance worked out in another thread, from the same database file: a long period's principles take
 * seconds of reading and arithmetic. Latency principles are shared: the two threads claim groups of
 * checks from one shared counter until none is left, the server's thread joining in once it has judged
 * the rest, so both cores work to the end. A second period wanted at the same time (a report's year
 * before, for its trend) can be judged there whole. One thread, started when first asked, kept while
 * the server runs; it works on every question it has in turns, so groups of all of them go to
 * whichever thread is free.
 */
export interface ComplianceThread {
  /**
   * The items of the groups this thread claims from `claims` (a counter on a SharedArrayBuffer). The
   * thread sends each group's as soon as it is tallied: given `onPart`, those are handed to it as they
   * come (the answer is then the rest); without, the answer has them all.
   */
  latencyTallies(
    estate: Estate,
    principles: readonly Principle[],
    period: Period,
    claims: Int32Array,
    onPart?: (part: LatencyTallied[]) => void,
  ): Promise<LatencyTallied[]>;
  /** Some principles judged whole over a period, there, as complianceOf judges them here: their headlines. */
  headlinesOf(estate: Estate, principles: readonly Principle[], period: Period): Promise<Headline[]>;
  /** Whether a question is being answered. */
  readonly busy: boolean;
  /** Stops the thread; a later question starts it again. */
  close(): Promise<void>;
}

/** A thread for a database file; none for a database in memory, which no other connection can see. */
export function complianceThread(
  file: string,
  onFailure: (message: string) => void = () => {},
): ComplianceThread | undefined {
  return file === ':memory:' ? undefined : new WorkerThread(file, onFailure);
}

interface Waiting {
  resolve(answer: Answer & { ok: true }): void;
  reject(error: Error): void;
  /** A part of the answer, sent ahead of it. */
  part?(answer: Answer & { part: PackedTallied[] }): void;
}

class WorkerThread implements ComplianceThread {
  readonly #file: string;
  readonly #onFailure: (message: string) => void;
  #worker: Worker | undefined;
  #next = 1;
  readonly #waiting = new Map<number, Waiting>();

  constructor(file: string, onFailure: (message: string) => void) {
    this.#file = file;
    this.#onFailure = onFailure;
  }

  get busy(): boolean {
    return this.#waiting.size > 0;
  }

  async latencyTallies(
    estate: Estate,
    principles: readonly Principle[],
    period: Period,
    claims: Int32Array,
    onPart?: (part: LatencyTallied[]) => void,
  ): Promise<LatencyTallied[]> {
    const parts: LatencyTallied[][] = [];
    const answer = await this.#ask(
      (id) => ({ id, kind: 'latency', estate, principles: [...principles], period, claims }),
      // Unpacked as each arrives, so the work is done while this thread waits or between its turns.
      (part) => {
        const tallied = unpackTallied(part.part);
        if (onPart) onPart(tallied);
        else parts.push(tallied);
      },
    );
    if (!('tallied' in answer)) throw new Error('the compliance thread answered another question');
    const rest = unpackTallied(answer.tallied);
    for (const part of parts) addTallied(rest, part);
    return rest;
  }

  async headlinesOf(estate: Estate, principles: readonly Principle[], period: Period): Promise<Headline[]> {
    const answer = await this.#ask((id) => ({
      id,
      kind: 'headlines',
      estate,
      principles: [...principles],
      period,
    }));
    if (!('headlines' in answer)) throw new Error('the compliance thread answered another question');
    return answer.headlines;
  }

  #ask(
    question: (id: number) => Question,
    part?: (answer: Answer & { part: PackedTallied[] }) => void,
  ): Promise<Answer & { ok: true }> {
    const worker = this.#started();
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject, ...(part ? { part } : {}) });
      // Kept alive while a question waits, so a command's process does not end before the answer.
      worker.ref();
      worker.postMessage(question(id));
    });
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    // Questions still waiting are answered where they were asked; stopping is no failure to log.
    const waiting = [...this.#waiting.values()];
    this.#waiting.clear();
    for (const question of waiting) question.reject(new Error('the compliance thread was stopped'));
    await worker?.terminate();
  }

  #started(): Worker {
    if (this.#worker) return this.#worker;
    const worker = workerFor(this.#file);
    worker.unref();
    worker.on('message', (message: Answer) => {
      const waiting = this.#waiting.get(message.id);
      let answer = message;
      if ('part' in message) {
        // Ahead of the answer: the question still waits for it. A part that cannot be taken in is
        // a failure of the question, settled as a failed answer is.
        try {
          waiting?.part?.(message);
          return;
        } catch (error) {
          answer = { id: message.id, ok: false, message: (error as Error).message };
        }
      }
      this.#waiting.delete(answer.id);
      if (this.#waiting.size === 0) worker.unref();
      if (!waiting) return;
      if (answer.ok) waiting.resolve(answer);
      else {
        this.#onFailure(answer.message);
        waiting.reject(new Error(answer.message));
      }
    });
    const fail = (error: Error) => {
      if (this.#worker === worker) this.#worker = undefined;
      this.#onFailure(error.message);
      for (const waiting of this.#waiting.values()) waiting.reject(error);
      this.#waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (this.#worker === worker) this.#worker = undefined;
      if (this.#waiting.size > 0) fail(new Error(`the compliance thread stopped (exit code ${code})`));
    });
    this.#worker = worker;
    return worker;
  }
}

/**
 * The worker, from the compiled module beside this one; from the TypeScript source (tests, benchmarks)
 * through tsx's loader, registered in the new thread before the source is imported.
 */
function workerFor(file: string): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts'))
    return new Worker(new URL('./compliance-worker.js', here), { workerData: { file } });
  const api = join(dirname(createRequire(here).resolve('tsx/esm/api')), 'index.mjs');
  const source = new URL('./compliance-worker.ts', here).href;
  const code = `import(${JSON.stringify(pathToFileURL(api).href)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(code, { eval: true, workerData: { file } });
}
