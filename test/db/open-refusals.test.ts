import { createHash } from 'node:crypto';
import { existsSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { latestVersion } from '../../server/db/migrations/index.js';
import { DatabaseError, openDatabase } from '../../server/db/open.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const hash = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** A Vantage database with some rows, checkpointed so every page is in the main file. */
function vantageDb(file: string): void {
  const db = openDatabase(file);
  const insert = db.prepare(
    "INSERT INTO organisations (id, name, kind, updated_at) VALUES (?, ?, 'acute', 1)",
  );
  for (let i = 0; i < 2_000; i++) insert.run(`org-${i}`, `Organisation ${i} ${'x'.repeat(100)}`);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

describe('opening a database file that is not a usable Vantage database', () => {
  it('refuses an empty file it did not create, and leaves it empty', () => {
    const file = join(tmp(), 'empty.db');
    writeFileSync(file, '');
    expect(() => openDatabase(file)).toThrow(DatabaseError);
    expect(() => openDatabase(file)).toThrow(/empty\.db is an empty file, which Vantage did not create/);
    expect(readFileSync(file).length).toBe(0);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('creates a database at a path where no file is', () => {
    const file = join(tmp(), 'new', 'vantage.db');
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion);
    db.close();
    // Opened again it is the same database, not refused as foreign or empty.
    openDatabase(file).close();
  });

  it('refuses random bytes after a SQLite header as damaged, unchanged', () => {
    const file = join(tmp(), 'garbled.db');
    vantageDb(file);
    const bytes = readFileSync(file);
    for (let i = 100; i < bytes.length; i++) bytes[i] = (i * 7919) % 251;
    writeFileSync(file, bytes);
    const before = hash(file);
    expect(() => openDatabase(file)).toThrow(/garbled\.db is damaged \(.*\)\. Restore it from a backup/);
    expect(hash(file)).toBe(before);
  });

  it('refuses a truncated database, which SQLite itself would open without a word', () => {
    const file = join(tmp(), 'cut.db');
    vantageDb(file);
    const size = readFileSync(file).length;
    truncateSync(file, Math.floor(size / 2 / 4096) * 4096);
    const before = hash(file);
    expect(() => openDatabase(file)).toThrow(
      new RegExp(`cut\\.db is damaged \\(truncated: \\d+ bytes where its header says ${size}\\)`),
    );
    expect(hash(file)).toBe(before);
  });

  it("refuses another program's SQLite database rather than migrating into it", () => {
    const file = join(tmp(), 'other.db');
    const other = new Database(file);
    other.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)');
    other.close();
    const before = hash(file);
    expect(() => openDatabase(file)).toThrow(
      /other\.db is a SQLite database of something other than Vantage/,
    );
    expect(hash(file)).toBe(before);
  });
});
