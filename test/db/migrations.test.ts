import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { latestVersion, migrations } from '../../server/db/migrations/index.js';
import { DatabaseError, openDatabase } from '../../server/db/open.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const hash = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('database migrations', () => {
  it('numbers migrations 1, 2, 3… with no gaps', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it('creates a fresh database at the latest version, in WAL mode with foreign keys on', () => {
    const file = join(tmp(), 'fresh.db');
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual([
      'check_sites',
      'checks',
      'latest_results',
      'organisations',
      'results',
      'rollups_daily',
      'rollups_hourly',
      'sites',
      'systems',
    ]);
    db.close();
  });

  it('opens an up-to-date database again without applying anything', () => {
    const file = join(tmp(), 'again.db');
    const first = openDatabase(file);
    first
      .prepare("INSERT INTO organisations (id, name, kind, updated_at) VALUES ('a', 'A', 'acute', 1)")
      .run();
    first.close();
    const second = openDatabase(file);
    expect(second.pragma('user_version', { simple: true })).toBe(latestVersion);
    expect(second.prepare('SELECT id FROM organisations').pluck().all()).toEqual(['a']);
    second.close();
  });

  it('refuses a database written by a newer Vantage and leaves it untouched', () => {
    const file = join(tmp(), 'newer.db');
    const db = new Database(file);
    db.exec('CREATE TABLE future (x)');
    db.pragma(`user_version = ${latestVersion + 5}`);
    db.close();
    const before = hash(file);
    expect(() => openDatabase(file)).toThrow(DatabaseError);
    expect(() => openDatabase(file)).toThrow(
      /newer Vantage \(schema version \d+; this Vantage knows up to \d+\)/,
    );
    expect(hash(file)).toBe(before);
  });

  it('refuses a file that is not a database, naming it', () => {
    const file = join(tmp(), 'notes.db');
    writeFileSync(file, 'these are not the tables you are looking for\n'.repeat(200));
    const before = hash(file);
    expect(() => openDatabase(file)).toThrow(
      new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*not a database`),
    );
    expect(hash(file)).toBe(before);
  });

  it('applies nothing when a migration fails part way', () => {
    const file = join(tmp(), 'clash.db');
    const db = new Database(file);
    db.exec('CREATE TABLE sites (x)'); // clashes with the first migration's second table
    db.close();
    expect(() => openDatabase(file)).toThrow(/migration 1 \(estate\) failed.*no migration was applied/);
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(0);
    expect(check.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all()).toEqual([
      'sites',
    ]);
    check.close();
  });
});
