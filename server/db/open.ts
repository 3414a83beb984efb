import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { latestVersion, migrations } from './migrations/index.js';
import { createPrivateFile } from './private-file.js';

export type Db = Database.Database;

/** The database could not be opened or upgraded; the message says why and what to do. */
export class DatabaseError extends Error {
  override name = 'DatabaseError';
}

/**
 * Opens (or creates) a Vantage database and brings its schema up to date. A database written by a
 * newer Vantage is refused before anything is written to it.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:' && existsSync(file)) refuseNewer(file);
  else if (file !== ':memory:') {
    try {
      mkdirSync(dirname(file), { recursive: true });
      createPrivateFile(file);
    } catch (error) {
      throw new DatabaseError(`cannot create database ${file}: ${(error as Error).message}`);
    }
  }

  let db: Db;
  try {
    db = new Database(file);
  } catch (error) {
    throw new DatabaseError(`cannot open database ${file}: ${(error as Error).message}`);
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, file);
  } catch (error) {
    db.close();
    if (error instanceof DatabaseError) throw error;
    throw new DatabaseError(`cannot use database ${file}: ${(error as Error).message}`);
  }
  return db;
}

function refuseNewer(file: string): void {
  let version: number;
  try {
    const probe = new Database(file, { readonly: true, fileMustExist: true });
    try {
      version = probe.pragma('user_version', { simple: true }) as number;
    } finally {
      probe.close();
    }
  } catch (error) {
    throw new DatabaseError(`cannot open database ${file}: ${(error as Error).message}`);
  }
  if (version > latestVersion) {
    throw new DatabaseError(
      `database ${file} was written by a newer Vantage (schema version ${version}; this Vantage knows up to ${latestVersion}). ` +
        'Upgrade Vantage, or pass --db with another file. The database was not changed.',
    );
  }
}

/** Applies every pending migration in one transaction; on any failure none of them is applied. */
export function migrate(db: Db, file = 'database'): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const pending = migrations.filter((migration) => migration.version > current);
  if (pending.length === 0) return current;
  let applying = pending[0];
  try {
    db.transaction(() => {
      for (const migration of pending) {
        applying = migration;
        db.exec(migration.sql);
        db.pragma(`user_version = ${migration.version}`);
      }
    })();
  } catch (error) {
    throw new DatabaseError(
      `migration ${applying?.version} (${applying?.name}) failed on ${file}: ${(error as Error).message}; no migration was applied`,
    );
  }
  return latestVersion;
}
