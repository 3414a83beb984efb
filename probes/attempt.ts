import { DEFAULT_TIMEOUT } from '../common/check-defaults.js';
import { durationMs } from '../common/duration.js';
import { type Classified, classifyError } from './classify.js';
import { ProbeFailure, Stopped } from './failure.js';
import type { Phases, ProbeDetails, ProbeResult } from './result.js';
import { stateOf } from './state.js';
import { emptyPhases, sumPhases } from './timing.js';

interface Destroyable {
  destroy(): void;
}

/**
 * The bookkeeping of one probe run: the phases and details measured so far, what it is waiting for,
 * and the sockets to close at the end. A probe builds its result here, so a failure at any point
 * still reports everything measured up to it, and an aborted signal ends every wait at once.
 */
export class Attempt {
  readonly details: ProbeDetails = {};
  status: number | undefined;
  /** What the run is waiting for, worded for "no answer within 10 s (waiting for the first byte)". */
  stage = 'starting';
  readonly #timeout: string;
  readonly #signal: AbortSignal;
  /** UTC ms; the Date is made when the result is, so none lives through the run. */
  readonly #startedAt = Date.now();
  readonly #start = performance.now();
  readonly #hops: Phases[] = [];
  /** When the last answer was in; checking it (a body pattern, on another thread) is not timed. */
  #answeredAt: number | undefined;
  readonly #owned: Destroyable[] = [];
  /** The rejections of the waits made so far, each called with the Stopped when the signal aborts. */
  readonly #waiting: ((reason: Stopped) => void)[] = [];
  /** Set once the signal has aborted: every wait, then or later, ends with it. */
  #stopped: Stopped | undefined;
  readonly #onAbort: () => void;

  constructor(spec: { timeout?: string | undefined }, signal: AbortSignal) {
    this.#timeout = spec.timeout ?? DEFAULT_TIMEOUT;
    this.#signal = signal;
    this.#onAbort = () => {
      const stopped = new Stopped();
      this.#stopped = stopped;
      for (const reject of this.#waiting.splice(0)) reject(stopped);
    };
    if (signal.aborted) this.#onAbort();
    else signal.addEventListener('abort', this.#onAbort, ONCE);
  }

  /** Starts the phases of one request; a redirect chain has several, summed in the result. */
  hop(): Phases {
    const phases = emptyPhases();
    this.#hops.push(phases);
    return phases;
  }

  /** Waits for one step of the run, or throws Stopped as soon as the signal aborts. */
  wait<T>(stage: string, work: Promise<T>): Promise<T> {
    this.stage = stage;
    // A race of the work and the stop, without Promise.race's array and promise per entrant. The
    // work's rejection is always handled here: a step left behind by an abort may still fail later.
    return new Promise<T>((resolve, reject) => {
      work.then(resolve, reject);
      const stopped = this.#stopped;
      // Queued after the work's own settling, so work already done wins over a stop, as in a race.
      if (stopped) queueMicrotask(() => reject(stopped));
      else this.#waiting.push(reject);
    });
  }

  /** A socket, request or resolver to destroy when the run ends, however it ends. */
  own<T extends Destroyable>(resource: T): T {
    this.#owned.push(resource);
    return resource;
  }

  /** Marks the answer as in: the time after it, spent checking it, is not the system's. */
  answered(): void {
    this.#answeredAt = performance.now();
  }

  /** The result of a run that got an answer: failed when `problem` is given, else ok or degraded. */
  finish(problem: Classified | undefined, degradedMs: number | undefined): ProbeResult {
    const phases = sumPhases(this.#hops, (this.#answeredAt ?? performance.now()) - this.#start);
    const result: ProbeResult = {
      startedAt: new Date(this.#startedAt).toISOString(),
      ok: problem === undefined,
      state: stateOf(problem !== undefined, phases.totalMs, degradedMs),
      phases,
    };
    if (problem) result.error = { class: problem.class, message: problem.message };
    if (this.status !== undefined) result.status = this.status;
    if (hasAny(this.details)) result.details = this.details;
    return result;
  }

  /** The result of a run that ended with an error, thrown by the probe or by Node. */
  fail(error: unknown): ProbeResult {
    if (error instanceof ProbeFailure) {
      return this.finish({ class: error.errorClass, message: error.message }, undefined);
    }
    if (error instanceof Stopped || this.#signal.aborted) {
      return this.finish({ class: 'timeout', message: this.#stoppedMessage() }, undefined);
    }
    return this.finish(classifyError(error, { address: this.details.address, stage: this.stage }), undefined);
  }

  /**
   * Closes everything the run opened, newest first: a TLS socket before the TCP socket under it,
   * because destroying a TCP socket whose handle TLS has taken over crashes Node 20.
   */
  close(): void {
    this.#signal.removeEventListener('abort', this.#onAbort);
    const owned = this.#owned;
    for (let i = owned.length - 1; i >= 0; i--) owned[i]?.destroy();
    owned.length = 0;
  }

  /** Whether the run was ended by its timeout (rather than a stop from outside). */
  timedOut(): boolean {
    return (this.#signal.reason as { name?: unknown } | undefined)?.name === 'TimeoutError';
  }

  /** "no answer within 10 s (waiting for the first byte)". */
  timeoutMessage(): string {
    return `no answer within ${seconds(durationMs(this.#timeout))} s (${this.stage})`;
  }

  #stoppedMessage(): string {
    const reason: unknown = this.#signal.reason;
    if ((reason as { name?: unknown } | undefined)?.name === 'TimeoutError') return this.timeoutMessage();
    const why = reason instanceof Error ? reason.message : String(reason ?? 'aborted');
    return `stopped (${why}) while ${this.stage}`;
  }
}

const ONCE = { once: true } as const;

/** Whether an object has an own property, without listing them. */
function hasAny(object: object): boolean {
  for (const key in object) if (Object.hasOwn(object, key)) return true;
  return false;
}

function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}
