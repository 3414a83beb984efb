import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { createPrivateFile } from '../../common/private-file.js';
import { latestVersion, migrations } from './migrations/index.js';

export type Db = Database.Database;

/** The database could not be opened or upgraded; the message says why and what to do. */
export class DatabaseError extends Error {
  override name = 'DatabaseError';
}

/**
 * Opens (or creates) a Vantage database and brings its schema up to date. An existing file that is
 * empty, damaged, not Vantage's or written by a newer Vantage is refused before anything is written
 * to it: SQLite would take an empty file as a new database, and migrate into anyone's.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:' && existsSync(file)) refuseUnusable(file);
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

const UNCHANGED = 'The file was not changed.';

function refuseUnusable(file: string): void {
  const size = statSync(file).size;
  if (size === 0) {
    throw new DatabaseError(
      `database ${file} is an empty file, which Vantage did not create (it creates its database itself). ` +
        `Remove it, or pass --db with a Vantage database or a path that does not exist yet. ${UNCHANGED}`,
    );
  }
  const damaged = (why: string) =>
    new DatabaseError(
      `database ${file} is damaged (${why}). Restore it from a backup, or pass --db with another file. ${UNCHANGED}`,
    );
  const header = headerOf(file);
  if (!header) {
    throw new DatabaseError(
      `${file} is not a database (it has no SQLite header). Pass --db with a Vantage database or a path that does not exist yet. ${UNCHANGED}`,
    );
  }
  const truncated = truncation(header, size);
  if (truncated) throw damaged(truncated);
  let version: number;
  let tables: number;
  try {
    const probe = new Database(file, { readonly: true, fileMustExist: true });
    try {
      version = probe.pragma('user_version', { simple: true }) as number;
      // Reading the schema parses the first page, which a damaged file rarely survives.
      tables = probe
        .prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
        .pluck()
        .get() as number;
    } finally {
      probe.close();
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') throw damaged((error as Error).message);
    throw new DatabaseError(`cannot open database ${file}: ${(error as Error).message}`);
  }
  if (version === 0 && tables > 0) {
    throw new DatabaseError(
      `database ${file} is a SQLite database of something other than Vantage (${tables} tables, no Vantage schema). ` +
        `Pass --db with a Vantage database or a path that does not exist yet. ${UNCHANGED}`,
    );
  }
  if (version > latestVersion) {
    throw new DatabaseError(
      `database ${file} was written by a newer Vantage (schema version ${version}; this Vantage knows up to ${latestVersion}). ` +
        `Upgrade Vantage, or pass --db with another file. The database was not changed.`,
    );
  }
}

/** The file's first 100 bytes, if they are a SQLite header. */
function headerOf(file: string): Buffer | undefined {
  const header = Buffer.alloc(100);
  const fd = openSync(file, 'r');
  try {
    if (readSync(fd, header, 0, 100, 0) < 100) return undefined;
  } finally {
    closeSync(fd);
  }
  return header.toString('latin1', 0, 16) === 'SQLite format 3\0' ? header : undefined;
}

/**
 * Why the file is shorter than its own header says, if it is: SQLite reads a truncated file without
 * complaint until a query reaches a missing page. The header's page count is trusted only when its
 * "valid for" counter matches the change counter, as SQLite itself does.
 */
function truncation(header: Buffer, size: number): string | undefined {
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65_536 : rawPageSize;
  const pages = header.readUInt32BE(28);
  const valid = header.readUInt32BE(24) === header.readUInt32BE(92);
  if (valid && pages > 0 && size < pages * pageSize) {
    return `truncated: ${size} bytes where its header says ${pages * pageSize}`;
  }
  return undefined;
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
