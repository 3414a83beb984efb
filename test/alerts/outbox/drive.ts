import type { ManualTimers } from '../../helpers/manual-timers.js';

/**
 * Moves manual time a step at a time, letting real I/O (the sends to a real receiver) happen between
 * steps, until `done` or the steps run out; returns whether it was done.
 */
export async function drive(
  timers: ManualTimers,
  done: () => boolean | Promise<boolean>,
  options: { stepMs?: number; maxSteps?: number } = {},
): Promise<boolean> {
  const steps = options.maxSteps ?? 2_000;
  for (let i = 0; i < steps; i++) {
    if (await done()) return true;
    await timers.advance(options.stepMs ?? 1_000);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return done();
}
