import { durationMs } from './duration.js';

/**
 * What a check that says nothing runs with. Free of the schema library: probes read the timeout
 * at every run, and an agent (which runs probes and nothing else) never loads zod.
 */
export const DEFAULT_INTERVAL = '1m';
export const DEFAULT_TIMEOUT = '10s';

export function timeoutMs(check: { timeout?: string | undefined }): number {
  return durationMs(check.timeout ?? DEFAULT_TIMEOUT);
}
