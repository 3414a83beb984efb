import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type Logger, streamLogger } from '../common/logger.js';
import { createPrivateFile } from '../common/private-file.js';

/**
 * The agent's store-and-forward queue: every result is written here before it is pushed and removed only
 * once the server acknowledged it, so a dropped link or a killed process (even `kill -9`) loses nothing.
 * WAL with `synchronous = NORMAL` survives a process crash (a power cut may lose the last commits).
 */
export interface Outbox {
  /** Queues one result; the same id twice is stored once. Then drops the oldest results past the bounds. */
  add(item: OutboxItem): void;
  /** What to send next: the `backlog` oldest and the `fresh` newest results, oldest first, none twice. */
  batch(limits: { fresh: number; backlog: number }): QueuedResult[];
  /** Removes results the server acknowledged; unknown seqs (already acknowledged or dropped) are ignored. */
  ack(seqs: number[]): void;
  /** Results queued. */
  depth(): number;
  /** Bytes of the queued results' JSON; the file itself is somewhat larger (ids, indexes, WAL). */
  bytes(): number;
  /** Results ever dropped to keep within the bounds, across restarts. */
  dropped(): number;
  /** Start (UTC ms) of the run queued longest (the head of the queue), if any. */
  oldestAt(): number | undefined;
  close(): void;
}

export interface OutboxItem {
  /** The result's unique id: the server deduplicates on it too. */
  id: string;
  /** Run start, UTC ms. */
  at: number;
  payload: unknown;
}

export interface QueuedResult {
  /** Queue position: rising, with gaps; never reused, so a late acknowledgement cannot remove a newer result. */
  seq: number;
  id: string;
  /** The payload's JSON as it was stored, ready to send. */
  json: string;
}

export interface OutboxOptions {
  /** Results whose run started longer ago than this are dropped. Default 7 days. */
  maxAgeMs?: number;
  /** Once the queued JSON exceeds this, the oldest results are dropped. Default 500 MB. */
  maxBytes?: number;
  /** Drops are logged here as warnings. Default: standard error. */
  logger?: Logger;
  now?: () => number;
}

/** The file could not be used as an outbox; the message names it and says why. */
export class OutboxError extends Error {
  override name = 'OutboxError';
}

const DEFAULT_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
const DEFAULT_MAX_BYTES = 500 * 1000 * 1000;

/** Marks the file as an outbox (SQLite's `application_id`), so a server database or another file is refused. */
const APPLICATION_ID = 0x5641_4f42; // "VAOB"

/** Schema changes in order: entry i brings user_version i to i + 1. Once released, never edited. */
const schema: string[] = [
  `CREATE TABLE outbox (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     at INTEGER NOT NULL,
     bytes INTEGER NOT NULL,
     payload TEXT NOT NULL
   );
   CREATE TABLE outbox_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
   INSERT INTO outbox_meta (key, value) VALUES ('dropped', 0);`,
];
const latestVersion = schema.length;

/** Rows deleted per transaction when dropping, so a large drop never holds one huge transaction. */
const DROP_BATCH = 1000;

/** `Outbox.open(file)`: the outbox as a value beside its type, without a class. */
export const Outbox = { open: openOutbox };

/**
 * Opens (or creates, with its folder) the outbox in `file`. A file that is not an outbox, or is one of a
 * newer format, is refused before anything is written to it.
 */
function openOutbox(file: string, options: OutboxOptions = {}): Outbox {
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const logger = options.logger ?? streamLogger();
  const now = options.now ?? Date.now;
  if (!(maxAgeMs > 0) || !(maxBytes > 0)) {
    throw new RangeError(`outbox ${file}: maxAgeMs and maxBytes must be positive`);
  }

  if (existsSync(file)) refuseForeign(file);
  else {
    try {
      mkdirSync(dirname(file), { recursive: true });
      // Readable by the agent's own user only, as its assignments file is (-wal and -shm follow it).
      createPrivateFile(file);
    } catch (error) {
      throw new OutboxError(`cannot create outbox ${file}: ${(error as Error).message}`);
    }
  }
  const db = openWritable(file);

  const insert = db.prepare(
    'INSERT INTO outbox (id, at, bytes, payload) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
  );
  const selectOldest = db.prepare<[number], StoredRow>(
    'SELECT seq, id, payload FROM outbox ORDER BY seq LIMIT ?',
  );
  const selectNewest = db.prepare<[number, number], StoredRow>(
    'SELECT seq, id, payload FROM outbox WHERE seq > ? ORDER BY seq DESC LIMIT ?',
  );
  const deleteOne = db.prepare<[number], number>('DELETE FROM outbox WHERE seq = ? RETURNING bytes').pluck();
  const selectHead = db.prepare<[number], { seq: number; at: number; bytes: number }>(
    'SELECT seq, at, bytes FROM outbox ORDER BY seq LIMIT ?',
  );
  const selectHeadAt = db.prepare<[], number>('SELECT at FROM outbox ORDER BY seq LIMIT 1').pluck();
  const deleteUpTo = db
    .prepare<[number], number>('DELETE FROM outbox WHERE seq <= ? RETURNING bytes')
    .pluck();
  const addDropped = db.prepare<[number]>("UPDATE outbox_meta SET value = value + ? WHERE key = 'dropped'");

  // Running totals, counted once here, so the bound check in add() needs no query.
  const totals = db
    .prepare<[], { count: number; bytes: number }>(
      'SELECT count(*) AS count, coalesce(sum(bytes), 0) AS bytes FROM outbox',
    )
    .get() ?? { count: 0, bytes: 0 };
  let count = totals.count;
  let totalBytes = totals.bytes;
  let droppedTotal =
    db.prepare<[], number>("SELECT value FROM outbox_meta WHERE key = 'dropped'").pluck().get() ?? 0;
  /** `at` of the head of the queue (lowest seq): the age bound is judged there, with no query per add. */
  let headAt = selectHeadAt.get();

  const deleteInTransaction = db.transaction((remove: () => number[], countAsDropped: boolean): number[] => {
    const freed = remove();
    if (countAsDropped && freed.length > 0) addDropped.run(freed.length);
    return freed;
  });

  /** Deletes rows in one transaction; the totals and the head follow once it committed. */
  function removeRows(remove: () => number[], countAsDropped: boolean): void {
    const freed = deleteInTransaction(remove, countAsDropped);
    for (const bytes of freed) totalBytes -= bytes;
    count -= freed.length;
    if (countAsDropped) droppedTotal += freed.length;
    headAt = selectHeadAt.get();
  }

  /**
   * Drops results from the head of the queue (lowest seq, so the oldest) while the head is older than
   * maxAge or the queue is over maxBytes, a batch per transaction. Results are queued in run order, give or
   * take a probe's timeout, so the head is where the old ones are. A drop is never silent.
   */
  function enforceBounds(): void {
    const cutoff = now() - maxAgeMs;
    let expired = 0;
    let overBytes = 0;
    // At capacity each add drops about one result: read a few rows first, more only while more must go.
    let limit = 8;
    while (headAt !== undefined && (headAt < cutoff || totalBytes > maxBytes)) {
      let excess = totalBytes - maxBytes;
      let last: number | undefined;
      for (const row of selectHead.all(limit)) {
        if (row.at < cutoff) expired += 1;
        else if (excess > 0) overBytes += 1;
        else break;
        excess -= row.bytes;
        last = row.seq;
      }
      if (last === undefined) break; // cannot happen while headAt is read from the table; never loop on it
      const upTo = last;
      removeRows(() => deleteUpTo.all(upTo), true);
      limit = Math.min(limit * 8, DROP_BATCH);
    }
    const dropped = expired + overBytes;
    if (dropped === 0) return;
    const reasons = [
      ...(expired > 0 ? [`older than ${formatDuration(maxAgeMs)}`] : []),
      ...(overBytes > 0 ? [`over ${formatBytes(maxBytes)}`] : []),
    ];
    logger.warn(
      `outbox full: dropped ${dropped} oldest result${dropped === 1 ? '' : 's'} (reason: ${reasons.join(', ')})`,
      { file, olderThanMaxAge: expired, overMaxBytes: overBytes, depth: count, droppedTotal },
    );
  }

  try {
    enforceBounds(); // bounds may have been lowered, or the agent stopped for longer than maxAge
  } catch (error) {
    db.close();
    throw error;
  }

  return {
    add(item) {
      if (typeof item.id !== 'string' || item.id === '') throw new TypeError('outbox: a result needs an id');
      if (!Number.isFinite(item.at)) throw new TypeError(`outbox: result ${item.id} has no valid start time`);
      const payload = JSON.stringify(item.payload) as string | undefined;
      if (payload === undefined) throw new TypeError(`outbox: result ${item.id} has no JSON payload`);
      const bytes = Buffer.byteLength(payload);
      if (insert.run(item.id, item.at, bytes, payload).changes === 0) return;
      count += 1;
      totalBytes += bytes;
      headAt ??= item.at;
      if (headAt < now() - maxAgeMs || totalBytes > maxBytes) enforceBounds();
    },

    batch({ fresh, backlog }) {
      if (!isCount(fresh) || !isCount(backlog)) {
        throw new RangeError('outbox: batch limits must be whole numbers ≥ 0');
      }
      const oldest = selectOldest.all(backlog);
      const newest = selectNewest.all(oldest.at(-1)?.seq ?? 0, fresh).reverse();
      return [...oldest, ...newest].map((row) => ({ seq: row.seq, id: row.id, json: row.payload }));
    },

    ack(seqs) {
      if (seqs.length === 0) return;
      removeRows(() => seqs.flatMap((seq) => deleteOne.all(seq)), false);
    },

    depth: () => count,
    bytes: () => totalBytes,
    dropped: () => droppedTotal,

    oldestAt: () => headAt,

    close() {
      db.close();
    },
  };
}

interface StoredRow {
  seq: number;
  id: string;
  payload: string;
}

/** Reads the file without writing to it; refuses anything but an empty file or an outbox this agent knows. */
function refuseForeign(file: string): void {
  let applicationId: number;
  let version: number;
  let objects: number;
  try {
    const probe = new Database(file, { readonly: true, fileMustExist: true });
    try {
      applicationId = probe.pragma('application_id', { simple: true }) as number;
      version = probe.pragma('user_version', { simple: true }) as number;
      objects = probe.prepare<[], number>('SELECT count(*) FROM sqlite_master').pluck().get() ?? 0;
    } finally {
      probe.close();
    }
  } catch (error) {
    throw new OutboxError(
      `${file} is not an agent outbox (${(error as Error).message}). Pass another file. The file was not changed.`,
    );
  }
  if (applicationId === APPLICATION_ID) {
    if (version > latestVersion) {
      throw new OutboxError(
        `outbox ${file} was written by a newer Vantage agent (format ${version}; this agent knows up to ${latestVersion}). ` +
          'Upgrade the agent, or pass another file. The file was not changed.',
      );
    }
    return;
  }
  if (applicationId === 0 && version === 0 && objects === 0) return; // an empty SQLite file: make it an outbox
  throw new OutboxError(
    `${file} is not an agent outbox (it is another SQLite database). Pass another file. The file was not changed.`,
  );
}

function openWritable(file: string): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (error) {
    throw new OutboxError(`cannot open outbox ${file}: ${(error as Error).message}`);
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current < latestVersion) {
      db.transaction(() => {
        for (const sql of schema.slice(current)) db.exec(sql);
        db.pragma(`application_id = ${APPLICATION_ID}`);
        db.pragma(`user_version = ${latestVersion}`);
      })();
    }
  } catch (error) {
    db.close();
    throw new OutboxError(`cannot use outbox ${file}: ${(error as Error).message}`);
  }
  return db;
}

function isCount(value: number): boolean {
  return Number.isInteger(value) && value >= 0;
}

/** "7 days", "36 hours", "90 seconds": the bound as it was configured, for the drop warning. */
function formatDuration(ms: number): string {
  const units: [string, number][] = [
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['minute', 60_000],
    ['second', 1000],
  ];
  for (const [unit, size] of units) {
    if (ms >= size && ms % size === 0) return `${ms / size} ${unit}${ms === size ? '' : 's'}`;
  }
  return `${ms} ms`;
}

/** "500 MB", "1.5 kB", "800 bytes" (decimal units, as the default is written). */
function formatBytes(bytes: number): string {
  const units: [string, number][] = [
    ['GB', 1e9],
    ['MB', 1e6],
    ['kB', 1e3],
  ];
  for (const [unit, size] of units) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  }
  return `${bytes} bytes`;
}
