import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { latestVersion, migrations } from '../../server/db/migrations/index.js';
import { DatabaseError, migrate, openDatabase } from '../../server/db/open.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const hash = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('database migrations', () => {
  // Numbers are reserved per change in progress, so one may land before a smaller one: increasing, not gapless.
  it('numbers migrations in increasing order, from 1', () => {
    const versions = migrations.map((m) => m.version);
    expect(versions[0]).toBe(1);
    for (let i = 1; i < versions.length; i++) expect(versions[i]).toBeGreaterThan(versions[i - 1] as number);
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
      'agent_tokens',
      'agents',
      'alert_series',
      'api_tokens',
      'audit_log',
      'certificate_expiry',
      'check_sites',
      'checks',
      'demo_history',
      'held_notifications',
      'incident_events',
      'incident_series',
      'incidents',
      'latency_days',
      'latency_months',
      'latest_results',
      'maintenance_windows',
      'notes',
      'notifications',
      'organisations',
      'reports',
      'results',
      'rollup_spans',
      'rollups_daily',
      'rollups_hourly',
      'rollups_span',
      'sessions',
      'sites',
      'sqlite_sequence',
      'state_timeline',
      'survey_answers',
      'survey_cells',
      'survey_responses',
      'survey_score_cells',
      'systems',
      'timeline_backfill',
      'users',
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
    // Migrated directly: opening refuses such a file before migrating (not Vantage's).
    expect(() => migrate(db, file)).toThrow(/migration 1 \(estate\) failed.*no migration was applied/);
    db.close();
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(0);
    expect(check.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all()).toEqual([
      'sites',
    ]);
    check.close();
  });

  it('keeps every result and rollup when their tables are rebuilt in time order', () => {
    const file = join(tmp(), 'older.db');
    const old = new Database(file);
    for (const migration of migrations.slice(0, 2)) old.exec(migration.sql);
    old.pragma('user_version = 2');
    old.exec(`
      INSERT INTO results (check_key, vp, at, state) VALUES (1, 2, 100, 0), (1, 0, 200, 2), (2, 1, 150, 1);
      INSERT INTO rollups_hourly VALUES (1, 2, 7, 1, 0, 0, 0, 1.5, 1.5, 1.5, x'00');
      INSERT INTO rollups_daily VALUES (1, 0, 3, 0, 1, 1, 0, 2.0, 9.0, 11.0, x'0102');`);
    old.close();

    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion);
    expect(db.prepare('SELECT check_key, vp, at, state FROM results ORDER BY at').raw().all()).toEqual([
      [1, 2, 100, 0],
      [2, 1, 150, 1],
      [1, 0, 200, 2],
    ]);
    expect(db.prepare('SELECT * FROM rollups_hourly').raw().all()).toEqual([
      [1, 2, 7, 1, 0, 0, 0, 1.5, 1.5, 1.5, Buffer.from([0])],
    ]);
    expect(db.prepare('SELECT * FROM rollups_daily').raw().all()).toEqual([
      [1, 0, 3, 0, 1, 1, 0, 2, 9, 11, Buffer.from([1, 2])],
    ]);
    const key = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'results'").pluck().get();
    expect(key).toContain('PRIMARY KEY (check_key, at, vp)');
    db.close();
  });
  it("keeps every latency principle's kept month when their table is rebuilt check by check", () => {
    const file = join(tmp(), 'months.db');
    const old = new Database(file);
    for (const migration of migrations.filter((m) => m.version <= 19)) old.exec(migration.sql);
    old.pragma('user_version = 19');
    old.exec(`
      INSERT INTO latency_months (objective, day, check_key, body) VALUES
        ('p95:3000ms:24x7', 20393, 2, x'0102'), ('p95:3000ms:24x7', 20393, 1, '{"v":1}'),
        ('p95:3000ms:24x7', 20424, 1, x'03'), ('p99:1s:core', 20393, 1, x'04');`);
    old.close();

    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion);
    expect(db.prepare('SELECT objective, check_key, day, body FROM latency_months').raw().all()).toEqual([
      ['p95:3000ms:24x7', 1, 20393, '{"v":1}'],
      ['p95:3000ms:24x7', 1, 20424, Buffer.from([3])],
      ['p95:3000ms:24x7', 2, 20393, Buffer.from([1, 2])],
      ['p99:1s:core', 1, 20393, Buffer.from([4])],
    ]);
    const key = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'latency_months'").pluck().get();
    expect(key).toContain('PRIMARY KEY (objective, check_key, day)');
    const index = db.prepare(
      "SELECT name FROM sqlite_master WHERE tbl_name = 'latency_months' AND type = 'index'",
    );
    expect(index.pluck().all()).toContain('latency_months_by_day');
    db.close();
  });
  it('counts the survey responses and scores already kept into cells when the count tables arrive', () => {
    const file = join(tmp(), 'survey.db');
    const old = new Database(file);
    for (const migration of migrations.slice(0, 6)) old.exec(migration.sql);
    old.pragma('user_version = 6');
    const insert = old.prepare(
      `INSERT INTO survey_responses (campaign, day, organisation, site, staff_group, answers, comment)
       VALUES ('u', '2026-11-01', ?, ?, ?, ?, NULL)`,
    );
    insert.run(
      'trust',
      'main',
      'nursing',
      JSON.stringify({ epr: { sus1: 4, 'infra.available': 5 }, infra: { 'infra.timeToRecord': '10-30s' } }),
    );
    insert.run('trust', 'main', 'nursing', JSON.stringify({ epr: { sus1: 4 } }));
    insert.run('gp', 'surgery', 'admin', JSON.stringify({ email: { umux1: 7 } }));
    old.exec(`INSERT INTO survey_scores VALUES
      (1, 'u', 'trust', 'main', 'nursing', 'epr', 'sus', 75), (2, 'u', 'trust', 'main', 'nursing', 'epr', 'sus', 50)`);
    old.close();

    const db = openDatabase(file);
    expect(db.prepare('SELECT * FROM survey_score_cells').raw().all()).toEqual([
      ['u', 'trust', 'main', 'nursing', 'epr', 'sus', 2, 125, 75 * 75 + 50 * 50],
    ]);
    expect(db.prepare('SELECT * FROM survey_cells ORDER BY organisation').raw().all()).toEqual([
      ['u', 'gp', 'surgery', 'admin', 1],
      ['u', 'trust', 'main', 'nursing', 2],
    ]);
    expect(
      db.prepare('SELECT organisation, item, value, n FROM survey_answers ORDER BY 1, 2').raw().all(),
    ).toEqual([
      ['gp', 'email/umux1', '7', 1],
      ['trust', 'epr/infra.available', '5', 1],
      ['trust', 'epr/sus1', '4', 2],
      ['trust', 'infra.timeToRecord', '10-30s', 1],
    ]);
    db.close();
  });
});
