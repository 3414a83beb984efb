import { DAY_MS, hourOf } from '../../common/calendar.js';
import { durationMs } from '../../common/duration.js';
import type { Logger } from '../../common/logger.js';
import type { Estate } from '../config/schema.js';
import type { ResultsStore } from '../store/results.js';

export const DEFAULT_RAW_RETENTION = '35d';
export const HOURLY_RETENTION_MS = 400 * DAY_MS;

/**
 * Deletes raw runs and hourly rollups past their retention in small batches, yielding between them
 * so probing and requests never wait long behind it. Daily rollups are kept for ever.
 */
export async function pruneOnce(
  store: ResultsStore,
  estate: Estate,
  now: number,
  options: { batch?: number; logger?: Logger } = {},
): Promise<{ raw: number; hourly: number }> {
  const rawMs = durationMs(estate.settings.retention?.raw ?? DEFAULT_RAW_RETENTION);
  const before = { raw: now - rawMs, hourlyBucket: hourOf(now - HOURLY_RETENTION_MS) };
  const deleted = { raw: 0, hourly: 0 };
  for (;;) {
    const batch = await store.pruneBatch(before, options.batch ?? 500);
    deleted.raw += batch.raw;
    deleted.hourly += batch.hourly;
    if (batch.raw === 0 && batch.hourly === 0) break;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (deleted.raw + deleted.hourly > 0) options.logger?.info('pruned old results', deleted);
  return deleted;
}
