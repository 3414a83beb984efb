import type { ErrorClass } from './result.js';

/**
 * A failure a probe already understands, with its class and a message a person can act on. Probes
 * throw these internally to leave a run early; Attempt turns them into the returned result.
 */
export class ProbeFailure extends Error {
  constructor(
    readonly errorClass: ErrorClass,
    message: string,
  ) {
    super(message);
    this.name = 'ProbeFailure';
  }
}

/** Thrown into whatever a run was waiting for when its signal aborted. */
export class Stopped extends Error {
  constructor() {
    super('the run was stopped');
    this.name = 'Stopped';
  }
}
