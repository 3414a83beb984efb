import type { Estate } from '../config/schema.js';

/**
 * One part of the running server, built from its dependencies. The composition root (serve.ts)
 * keeps them in one list: at the start each is given the estate and started, in order; a reload
 * gives each the new estate, in order; shutdown stops them in reverse order.
 */
export interface Subsystem {
  /** For the log, when a step fails. */
  readonly name: string;
  /** The estate as configured now: at the start, and at every reload. A throw refuses the estate. */
  apply(estate: Estate): void | Promise<void>;
  start(): void | Promise<void>;
  /** Finishes what is in flight; called once, whether or not start was. */
  stop(): void | Promise<void>;
}

/** The subsystems of a running server, started in order and stopped in reverse. */
export class Subsystems {
  readonly #list: Subsystem[] = [];

  /**
   * Adds one, gives it the estate and starts it. Added one at a time, so each can be built from
   * those already running (the API from the opened store, say). One that fails to start is stopped
   * with the others.
   */
  async add<S extends Subsystem>(subsystem: S, estate: Estate): Promise<S> {
    this.#list.push(subsystem);
    await subsystem.apply(estate);
    await subsystem.start();
    return subsystem;
  }

  /** Gives each the new estate, in order; the first to refuse it keeps the rest from seeing it. */
  async apply(estate: Estate): Promise<void> {
    for (const subsystem of this.#list) await subsystem.apply(estate);
  }

  /** Stops every one, last added first; one that fails to stop does not keep the others running. */
  async stop(): Promise<void> {
    const list = this.#list.splice(0).reverse();
    let failure: { error: unknown } | undefined;
    for (const subsystem of list) {
      try {
        await subsystem.stop();
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  }
}
