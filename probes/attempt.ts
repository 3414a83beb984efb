import { durationMs } from '../server/config/duration.js';
import { DEFAULT_TIMEOUT } from '../server/estate/rows.js';
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
  readonly #startedAt = new Date();
  readonly #start = performance.now();
  readonly #hops: Phases[] = [];
  readonly #owned: Destroyable[] = [];
  readonly #stopped: Promise<never>;
  readonly #onAbort: () => void;

  constructor(spec: { timeout?: string | undefined }, signal: AbortSignal) {
    this.#timeout = spec.timeout ?? DEFAULT_TIMEOUT;
    this.#signal = signal;
    let stop: (reason: Stopped) => void = () => {};
    this.#stopped = new Promise<never>((_, reject) => {
      stop = reject;
    });
    // Nobody may be waiting when the signal aborts; that must not count as an unhandled rejection.
    this.#stopped.catch(() => {});
    this.#onAbort = () => stop(new Stopped());
    if (signal.aborted) this.#onAbort();
    else signal.addEventListener('abort', this.#onAbort, { once: true });
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
    // A step left behind by an abort may still fail later; nobody is listening by then.
    work.catch(() => {});
    return Promise.race([work, this.#stopped]);
  }

  /** A socket, request or resolver to destroy when the run ends, however it ends. */
  own<T extends Destroyable>(resource: T): T {
    this.#owned.push(resource);
    return resource;
  }

  /** The result of a run that got an answer: failed when `problem` is given, else ok or degraded. */
  finish(problem: Classified | undefined, degradedMs: number | undefined): ProbeResult {
    const phases = sumPhases(this.#hops, performance.now() - this.#start);
    const result: ProbeResult = {
      startedAt: this.#startedAt.toISOString(),
      ok: problem === undefined,
      state: stateOf(problem !== undefined, phases.totalMs, degradedMs),
      phases,
    };
    if (problem) result.error = { class: problem.class, message: problem.message };
    if (this.status !== undefined) result.status = this.status;
    if (Object.keys(this.details).length > 0) result.details = this.details;
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
    for (const resource of this.#owned.splice(0).reverse()) resource.destroy();
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

function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}
