import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { ProbeFailure } from './failure.js';

export interface MatcherOptions {
  /** The longest one match may take before it is given up and its check failed. */
  limitMs: number;
  /** How long the thread is kept with nothing to match before it is ended. */
  idleMs: number;
}

interface Job {
  id: number;
  source: string;
  text: string;
  resolve(matched: boolean): void;
  reject(error: Error): void;
  timer?: NodeJS.Timeout;
}

/** A match under way or queued, which the run that asked for it ends when it ends. */
export interface Matching {
  matched: Promise<boolean>;
  cancel(): void;
}

/**
 * Body patterns matched on a thread of their own, one at a time. RE2 matches in time linear in the
 * body, but its constant is large for patterns that defeat its DFA (hundreds of ms for 16 KiB), and
 * a match cannot be interrupted where it runs: on the event loop it would hold every probe,
 * ingestion and the dashboard. On this thread it holds nothing, and one that runs past `limitMs` is
 * ended with the thread, which is started again for the next.
 */
export class PatternMatcher {
  readonly #options: MatcherOptions;
  readonly #queue: Job[] = [];
  #worker: Worker | undefined;
  #online = false;
  #running: Job | undefined;
  #idle: NodeJS.Timeout | undefined;
  #nextId = 0;

  constructor(options: Partial<MatcherOptions> = {}) {
    this.#options = { limitMs: 1_000, idleMs: 30_000, ...options };
  }

  /** Whether `source` is found in `text`; fails with a ProbeFailure past the time limit. */
  match(source: string, text: string): Matching {
    let job: Job | undefined;
    const matched = new Promise<boolean>((resolve, reject) => {
      job = { id: this.#nextId++, source, text, resolve, reject };
    });
    const queued = job as unknown as Job;
    this.#queue.push(queued);
    this.#pump();
    return { matched, cancel: () => this.#cancel(queued) };
  }

  /** Ends the thread; queued matches fail. */
  close(): void {
    for (const job of this.#queue.splice(0))
      job.reject(new ProbeFailure('invalid', 'the matcher was closed'));
    if (this.#running) this.#settle(this.#running, new ProbeFailure('invalid', 'the matcher was closed'));
    this.#stop();
  }

  #pump(): void {
    if (this.#running || this.#queue.length === 0) return;
    const job = this.#queue.shift() as Job;
    this.#running = job;
    if (this.#idle) clearTimeout(this.#idle);
    this.#idle = undefined;
    const worker = this.#start();
    // Timed from when the thread is up: its start (about 0.1 s) is not the match's.
    if (this.#online) this.#time(job);
    worker.postMessage({ id: job.id, source: job.source, text: job.text });
    // Held open while it matches, so a caller awaiting nothing else still gets its answer.
    worker.ref();
  }

  /** Gives the match up at the limit: it cannot be interrupted, so the thread goes with it. */
  #time(job: Job): void {
    job.timer = setTimeout(() => {
      this.#stop();
      const seconds = this.#options.limitMs / 1000;
      this.#settle(
        job,
        new ProbeFailure(
          'assertion',
          `matching the body against /${job.source}/ took over ${seconds} s and was given up: simplify the pattern or lower maxBodyBytes`,
        ),
      );
    }, this.#options.limitMs);
    job.timer.unref();
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(MATCH_THREAD, {
      eval: true,
      workerData: { re2js: re2jsPath() },
      // A body is at most 16 MiB and RE2 bounds its own caches: past this, something is wrong, and
      // the thread is ended ('error') rather than the process.
      resourceLimits: { maxOldGenerationSizeMb: 512 },
    });
    this.#online = false;
    worker.once('online', () => {
      if (this.#worker !== worker) return;
      this.#online = true;
      if (this.#running && !this.#running.timer) this.#time(this.#running);
    });
    worker.on('message', (answer: { id: number; matched?: boolean; error?: string }) => {
      const job = this.#running;
      if (!job || job.id !== answer.id) return;
      if (answer.error !== undefined) this.#settle(job, new ProbeFailure('invalid', answer.error));
      else this.#settle(job, answer.matched === true);
    });
    worker.on('error', (error) => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      if (this.#running) this.#settle(this.#running, error);
    });
    worker.on('exit', (code) => {
      // Ended by #stop, it is no longer this.#worker; otherwise it died under the running match.
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      if (this.#running)
        this.#settle(this.#running, new ProbeFailure('invalid', `the matching thread ended (exit ${code})`));
    });
    this.#worker = worker;
    return worker;
  }

  #settle(job: Job, outcome: boolean | Error): void {
    if (job.timer) clearTimeout(job.timer);
    if (this.#running === job) this.#running = undefined;
    if (typeof outcome === 'boolean') job.resolve(outcome);
    else job.reject(outcome);
    this.#pump();
    if (!this.#running && !this.#idle && this.#worker) {
      // Idle, it is never what keeps a process running: a CLI run ends when its probe has.
      this.#worker.unref();
      this.#idle = setTimeout(() => this.#stop(), this.#options.idleMs);
      this.#idle.unref();
    }
  }

  #cancel(job: Job): void {
    const index = this.#queue.indexOf(job);
    if (index >= 0) {
      this.#queue.splice(index, 1);
      job.reject(new ProbeFailure('invalid', 'the match was cancelled'));
    } else if (this.#running === job) {
      // Its run has ended (timed out or stopped): its match must not hold up the next ones.
      this.#stop();
      this.#settle(job, new ProbeFailure('invalid', 'the match was cancelled'));
    }
  }

  #stop(): void {
    if (this.#idle) clearTimeout(this.#idle);
    this.#idle = undefined;
    const worker = this.#worker;
    this.#worker = undefined;
    void worker?.terminate();
  }
}

/** Where the thread loads re2js from: it runs as a CommonJS script, outside this module's resolution. */
function re2jsPath(): string {
  return createRequire(import.meta.url).resolve('re2js');
}

/** Compiled patterns are kept (a few hundred at most), so a check's pattern is compiled once. */
const MATCH_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const { RE2JS } = require(workerData.re2js);
const compiled = new Map();
parentPort.on('message', ({ id, source, text }) => {
  try {
    let pattern = compiled.get(source);
    if (!pattern) {
      if (compiled.size >= 500) compiled.clear();
      pattern = RE2JS.compile(source);
      compiled.set(source, pattern);
    }
    parentPort.postMessage({ id, matched: pattern.test(text) });
  } catch (error) {
    parentPort.postMessage({ id, error: 'the pattern ' + source + ' cannot be matched: ' + error.message });
  }
});
`;
