import type { RequestListener } from 'node:http';
import type { Estate } from '../config/schema.js';
import type { Subsystem } from '../lifecycle/subsystem.js';
import { type AppDeps, createApp } from './app.js';

/**
 * The HTTP surface as a part of the running server: the API (agents' ingestion and the survey
 * included) and the dashboard. Started, it takes over from the "still starting" answer on the port
 * already held; stopped, it lets requests in flight finish, so none reaches a closing store.
 */
export class HttpSubsystem implements Subsystem {
  readonly name = 'http';
  readonly #deps: Omit<AppDeps, 'estate'>;
  readonly #serve: (handle: RequestListener) => void;
  readonly #stopListening: () => Promise<void>;
  #estate: Estate | undefined;

  constructor(options: {
    deps: Omit<AppDeps, 'estate'>;
    /** Puts the app behind the port. */
    serve: (handle: RequestListener) => void;
    stopListening: () => Promise<void>;
  }) {
    this.#deps = options.deps;
    this.#serve = options.serve;
    this.#stopListening = options.stopListening;
  }

  /** The estate as configured now (surveys and settings are not kept in the database). */
  estate(): Estate | undefined {
    return this.#estate;
  }

  apply(estate: Estate): void {
    this.#estate = estate;
  }

  start(): void {
    this.#serve(createApp({ ...this.#deps, estate: () => this.#estate }));
  }

  stop(): Promise<void> {
    return this.#stopListening();
  }
}
