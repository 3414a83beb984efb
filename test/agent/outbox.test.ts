import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Outbox, OutboxError, type OutboxOptions } from '../../agent/outbox.js';
import type { Fields, Logger } from '../../common/logger.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const repoRoot = join(import.meta.dirname, '..', '..');
const hash = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const DAY = 24 * 60 * 60 * 1000;
/** Run start times are offsets from here; the outbox's clock stands a minute later unless a test moves it. */
const T = Date.parse('2026-01-05T09:00:00Z');

/** A logger that keeps what it was told, to check that drops are never silent. */
function recordingLogger(): Logger & { warnings: { message: string; fields?: Fields }[] } {
  const warnings: { message: string; fields?: Fields }[] = [];
  return { warnings, info() {}, warn: (message, fields) => warnings.push({ message, fields }), error() {} };
}

function open(name = 'outbox.db', options: OutboxOptions = {}) {
  return Outbox.open(join(tmp(), name), { logger: recordingLogger(), now: () => T + 60_000, ...options });
}

/** A payload whose JSON is exactly `bytes` long. */
const sized = (bytes: number) => 'x'.repeat(bytes - 2);

describe('agent outbox', () => {
  it('keeps a result until it is acknowledged, then forgets it', () => {
    const box = open('nested/folder/outbox.db');
    expect(box.depth()).toBe(0);
    expect(box.oldestAt()).toBeUndefined();
    box.add({ id: 'r1', at: T + 1000, payload: { checkId: 'gp', ok: true } });
    box.add({ id: 'r2', at: T + 2000, payload: { checkId: 'gp', ok: false } });
    expect(box.depth()).toBe(2);
    expect(box.bytes()).toBe(
      JSON.stringify({ checkId: 'gp', ok: true }).length +
        JSON.stringify({ checkId: 'gp', ok: false }).length,
    );
    expect(box.oldestAt()).toBe(T + 1000);

    const batch = box.batch({ fresh: 10, backlog: 10 });
    expect(batch).toEqual([
      { seq: 1, id: 'r1', json: '{"checkId":"gp","ok":true}' },
      { seq: 2, id: 'r2', json: '{"checkId":"gp","ok":false}' },
    ]);
    box.ack([1]);
    expect(box.batch({ fresh: 10, backlog: 10 }).map((r) => r.id)).toEqual(['r2']);
    expect(box.oldestAt()).toBe(T + 2000);
    box.ack([2, 2, 99]); // a repeated or unknown seq is ignored
    expect(box.batch({ fresh: 10, backlog: 10 })).toEqual([]);
    expect([box.depth(), box.bytes(), box.oldestAt(), box.dropped()]).toEqual([0, 0, undefined, 0]);
    box.close();
  });

  it('stores a result added twice once, and never reuses a seq', () => {
    const box = open();
    box.add({ id: 'same', at: T, payload: 'first' });
    box.add({ id: 'same', at: T, payload: 'second' });
    expect(box.depth()).toBe(1);
    expect(box.bytes()).toBe('"first"'.length);
    expect(box.batch({ fresh: 5, backlog: 5 })).toEqual([{ seq: 1, id: 'same', json: '"first"' }]);
    box.ack([1]);
    box.add({ id: 'next', at: T + 1, payload: null });
    const [next] = box.batch({ fresh: 5, backlog: 5 });
    expect(next).toMatchObject({ id: 'next', json: 'null' });
    expect(next?.seq).toBeGreaterThan(1); // an acknowledgement of seq 1 still in flight cannot remove it
    box.close();
  });

  it('refuses a result it could not send back as it was given', () => {
    const box = open();
    expect(() => box.add({ id: 'r1', at: T, payload: undefined })).toThrow(TypeError);
    expect(() => box.add({ id: '', at: T, payload: {} })).toThrow(TypeError);
    expect(() => box.add({ id: 'r1', at: Number.NaN, payload: {} })).toThrow(TypeError);
    expect(box.depth()).toBe(0);
    box.close();
  });

  it('sends the oldest backlog and the newest fresh results, oldest first, none twice', () => {
    const box = open();
    for (let i = 1; i <= 10; i++) box.add({ id: `r${i}`, at: T + i, payload: i });
    const seqs = (fresh: number, backlog: number) => box.batch({ fresh, backlog }).map((r) => r.seq);
    expect(seqs(2, 3)).toEqual([1, 2, 3, 9, 10]);
    expect(seqs(0, 3)).toEqual([1, 2, 3]);
    expect(seqs(2, 0)).toEqual([9, 10]);
    expect(seqs(6, 6)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(seqs(20, 20)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(() => box.batch({ fresh: -1, backlog: 3 })).toThrow(RangeError);
    // After an outage the backlog drains oldest first while each batch still carries the newest.
    box.ack([1, 2, 3, 9, 10]);
    box.add({ id: 'r11', at: T + 11, payload: 11 });
    expect(seqs(1, 3)).toEqual([4, 5, 6, 11]);
    box.close();
  });

  it('has the same results after close and reopen', () => {
    const first = open();
    for (let i = 0; i < 20; i++) first.add({ id: `r${i}`, at: T + i, payload: { i, text: 'ü€' } });
    first.ack([1, 2]);
    const before = first.batch({ fresh: 100, backlog: 100 });
    const bytes = first.bytes();
    first.close();

    const second = open();
    expect(second.batch({ fresh: 100, backlog: 100 })).toEqual(before);
    expect([second.depth(), second.bytes(), second.oldestAt()]).toEqual([18, bytes, T + 2]);
    second.add({ id: 'r20', at: T + 20, payload: {} });
    expect(second.batch({ fresh: 1, backlog: 0 })[0]?.seq).toBe(21);
    second.close();
  });

  it('loses nothing when the process is killed with SIGKILL', () => {
    const file = join(tmp(), 'crash', 'outbox.db');
    const script = join(tmp(), 'crash.ts');
    const module = pathToFileURL(join(repoRoot, 'agent', 'outbox.ts')).href;
    writeFileSync(
      script,
      `import { Outbox } from ${JSON.stringify(module)};
       const box = Outbox.open(process.argv[2]);
       for (let i = 0; i < 500; i++) box.add({ id: 'r' + i, at: Date.now(), payload: { i } });
       process.kill(process.pid, 'SIGKILL');`,
    );
    const child = spawnSync(process.execPath, ['--import', 'tsx', script, file], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(child.stderr).toBe('');
    expect(child.signal).toBe('SIGKILL');

    const box = Outbox.open(file, { logger: recordingLogger() });
    expect(box.depth()).toBe(500);
    const all = box.batch({ fresh: 0, backlog: 1000 });
    expect(all.map((r) => r.id)).toEqual(Array.from({ length: 500 }, (_, i) => `r${i}`));
    expect(all.map((r) => JSON.parse(r.json))).toEqual(Array.from({ length: 500 }, (_, i) => ({ i })));
    box.close();
  });

  it('drops results older than maxAge, oldest first, counts them and says so', () => {
    let now = 100 * DAY;
    const logger = recordingLogger();
    const box = open('outbox.db', { logger, now: () => now });
    for (let i = 0; i < 5; i++) box.add({ id: `r${i}`, at: now + i, payload: i });
    expect(logger.warnings).toEqual([]);

    now += 7 * DAY + 3; // r0, r1 and r2 are now older than 7 days
    box.add({ id: 'r5', at: now, payload: 5 });
    expect(box.batch({ fresh: 0, backlog: 10 }).map((r) => r.id)).toEqual(['r3', 'r4', 'r5']);
    expect(box.dropped()).toBe(3);
    expect(box.depth()).toBe(3);
    expect(box.bytes()).toBe(3);
    expect(box.oldestAt()).toBe(100 * DAY + 3);
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]?.message).toBe(
      'outbox full: dropped 3 oldest results (reason: older than 7 days)',
    );
    box.close();
  });

  it('drops the oldest results until under maxBytes, counts them and says so', () => {
    const logger = recordingLogger();
    const box = open('outbox.db', { logger, maxBytes: 1000 });
    for (let i = 0; i < 10; i++) box.add({ id: `r${i}`, at: T, payload: sized(100) });
    expect([box.depth(), box.bytes(), box.dropped()]).toEqual([10, 1000, 0]);

    box.add({ id: 'r10', at: T, payload: sized(250) });
    expect(box.batch({ fresh: 0, backlog: 20 }).map((r) => r.id)).toEqual([
      'r3',
      'r4',
      'r5',
      'r6',
      'r7',
      'r8',
      'r9',
      'r10',
    ]);
    expect([box.depth(), box.bytes(), box.dropped()]).toEqual([8, 950, 3]);
    expect(logger.warnings.map((w) => w.message)).toEqual([
      'outbox full: dropped 3 oldest results (reason: over 1 kB)',
    ]);
    box.close();
  });

  it('keeps the dropped count across a reopen, and applies lowered bounds when opened', () => {
    const box = open('outbox.db', { maxBytes: 500 });
    for (let i = 0; i < 8; i++) box.add({ id: `r${i}`, at: T, payload: sized(100) });
    expect(box.dropped()).toBe(3);
    box.close();

    const logger = recordingLogger();
    const again = open('outbox.db', { maxBytes: 300, logger });
    expect([again.depth(), again.bytes(), again.dropped()]).toEqual([3, 300, 5]);
    expect(logger.warnings.map((w) => w.message)).toEqual([
      'outbox full: dropped 2 oldest results (reason: over 300 bytes)',
    ]);
    again.close();

    const later = open('outbox.db', { maxAgeMs: 1000, now: () => T + 1001, logger });
    expect([later.depth(), later.dropped()]).toEqual([0, 8]);
    expect(logger.warnings.at(-1)?.message).toBe(
      'outbox full: dropped 3 oldest results (reason: older than 1 second)',
    );
    later.close();
  });

  it('refuses another SQLite database and leaves it unchanged', () => {
    const file = join(tmp(), 'server.db');
    const db = new Database(file);
    db.exec('CREATE TABLE results (id TEXT)');
    db.pragma('user_version = 2');
    db.close();
    const before = hash(file);
    expect(() => Outbox.open(file)).toThrow(OutboxError);
    expect(() => Outbox.open(file)).toThrow(`${file} is not an agent outbox`);
    expect(hash(file)).toBe(before);
  });

  it('refuses an outbox of a newer format and leaves it unchanged', () => {
    const file = join(tmp(), 'outbox.db');
    Outbox.open(file).close();
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.close();
    const before = hash(file);
    expect(() => Outbox.open(file)).toThrow(OutboxError);
    expect(() => Outbox.open(file)).toThrow(
      `outbox ${file} was written by a newer Vantage agent (format 99; this agent knows up to 1)`,
    );
    expect(hash(file)).toBe(before);
  });

  it('refuses a file that is not a database and leaves it unchanged', () => {
    const file = join(tmp(), 'notes.db');
    writeFileSync(file, 'not an outbox\n'.repeat(500));
    const before = hash(file);
    expect(() => Outbox.open(file)).toThrow(OutboxError);
    expect(() => Outbox.open(file)).toThrow(`${file} is not an agent outbox`);
    expect(hash(file)).toBe(before);
  });
});
