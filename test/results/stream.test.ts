import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../common/logger.js';
import type { RunRecord } from '../../runs/record.js';
import { publishingResults, StoredResults } from '../../server/results/stream.js';
import { ResultWriter } from '../../server/results/writer.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { fillUntilRefused } from '../helpers/disk-full.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const at = Date.UTC(2026, 10, 2, 9);
let store: SqliteStores | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

function runs(count: number, from = 0, checkId = 'epr-login'): RunRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    checkId,
    vantagePoint: i % 2 === 0 ? 'server' : 'st-annes',
    startedAt: at + (from + i) * 1_000,
    state: 'ok',
    phases: { dnsMs: 1, connectMs: 2, tlsMs: 3, ttfbMs: 40, transferMs: 1, totalMs: 47 },
    status: 200,
  }));
}

function recordingLogger(): Logger & { errors: string[] } {
  const errors: string[] = [];
  return {
    errors,
    info() {},
    warn() {},
    error: (message, fields) =>
      errors.push(
        `${message} ${JSON.stringify(fields, (_key, value) => (value instanceof Error ? value.message : value))}`,
      ),
  };
}

async function openStores(name: string) {
  const opened = SqliteStores.open(join(tmp(), `${name}.db`));
  store = opened;
  await opened.estate.syncEstate(estateFrom(smallEstateYaml), at);
  return opened;
}

const storedCount = (opened: SqliteStores) =>
  opened.db.prepare('SELECT count(*) FROM results').pluck().get() as number;

describe('the stream of stored results', () => {
  it('publishes each run once, after it is committed: never a duplicate or a run of an unknown check', async () => {
    const opened = await openStores('once');
    const stream = new StoredResults(recordingLogger());
    const results = publishingResults(opened.results, stream);
    const seen: { startedAt: number; storedThen: number }[] = [];
    stream.subscribe('test', (published) => {
      // Read on the same connection, as the subscriber is told: the runs are already there.
      const storedThen = storedCount(opened);
      for (const run of published) seen.push({ startedAt: run.startedAt, storedThen });
    });
    const batch = runs(4);
    await results.recordRuns(batch);
    await results.recordRuns([...batch, ...runs(2, 10), ...runs(3, 20, 'no-such-check')]);
    expect(seen.map((s) => s.startedAt)).toEqual([...batch, ...runs(2, 10)].map((run) => run.startedAt));
    expect(seen.slice(0, 4).every((s) => s.storedThen === 4)).toBe(true);
    expect(seen.slice(4).every((s) => s.storedThen === 6)).toBe(true);
  });

  it('publishes nothing when the write fails, and the runs once the writer has stored them', async () => {
    const opened = await openStores('full');
    const logger = recordingLogger();
    const stream = new StoredResults(logger);
    const published: RunRecord[] = [];
    stream.subscribe('test', (runs) => {
      published.push(...runs);
    });
    const writer = new ResultWriter({
      store: publishingResults(opened.results, stream),
      logger: recordingLogger(),
      maxDelayMs: 60_000,
    });
    const { added } = await fillUntilRefused(opened.db, writer, (from) => runs(500, from));
    expect(writer.pending).toBeGreaterThan(0);
    expect(published).toHaveLength(storedCount(opened));

    opened.db.pragma('max_page_count = 1073741823');
    await writer.flush();
    expect(writer.pending).toBe(0);
    expect(published).toHaveLength(added);
    expect(new Set(published.map((run) => `${run.vantagePoint}@${run.startedAt}`)).size).toBe(added);
  });

  it('logs a subscriber that throws or rejects, and still tells the others and stores the runs', async () => {
    const opened = await openStores('isolated');
    const logger = recordingLogger();
    const stream = new StoredResults(logger);
    const told: string[] = [];
    stream.subscribe('first', () => {
      told.push('first');
    });
    stream.subscribe('broken', () => {
      throw new Error('subscriber on fire');
    });
    stream.subscribe('rejecting', async () => {
      throw new Error('subscriber rejected');
    });
    stream.subscribe('last', () => {
      told.push('last');
    });
    const report = await publishingResults(opened.results, stream).recordRuns(runs(3));
    await new Promise((resolve) => setImmediate(resolve));
    expect(report.stored).toBe(3);
    expect(storedCount(opened)).toBe(3);
    expect(told).toEqual(['first', 'last']);
    expect(logger.errors).toHaveLength(2);
    expect(logger.errors[0]).toContain('"subscriber":"broken"');
    expect(logger.errors[0]).toContain('subscriber on fire');
    expect(logger.errors[1]).toContain('"subscriber":"rejecting"');
  });

  it('stops telling a subscriber once it has unsubscribed', async () => {
    const stream = new StoredResults(recordingLogger());
    const told: number[] = [];
    const unsubscribe = stream.subscribe('test', (published) => {
      told.push(published.length);
    });
    stream.publish(runs(2));
    unsubscribe();
    stream.publish(runs(3));
    stream.publish([]);
    expect(told).toEqual([2]);
  });
});
