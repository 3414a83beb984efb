import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { createPrivateFile } from '../../common/private-file.js';
import { DatabaseError } from './open.js';

/** Held by one `vantage serve` for its whole life; released by close() or by the process ending. */
export interface DatabaseLock {
  readonly file: string;
  release(): void;
}

/**
 * Takes the lock that lets one server use a database file: `FILE.lock` beside it, held as an open
 * SQLite write transaction. The operating system drops that lock when the process ends, even by
 * SIGKILL, so a lock left by a dead server never blocks the next; a pid file would need guessing
 * whether its pid still names the same process. The database itself is not locked, so the commands
 * that work on a running server's database (token create, survey import) keep working.
 */
export function lockDatabase(dbFile: string): DatabaseLock {
  const file = `${dbFile}.lock`;
  mkdirSync(dirname(file), { recursive: true });
  let db: Database.Database;
  try {
    // It names the holder's pid: kept as private as the database it guards.
    createPrivateFile(file);
    db = new Database(file);
  } catch (error) {
    throw unusable(dbFile, file, error);
  }
  try {
    // No waiting: a held lock means another server, which will not let go.
    db.pragma('busy_timeout = 0');
    // The holder's pid need not survive a power cut: waiting for the disk cost ~50 ms of every start.
    db.pragma('synchronous = OFF');
  } catch (error) {
    db.close();
    throw unusable(dbFile, file, error);
  }
  try {
    take(db);
    db.exec(
      'CREATE TABLE IF NOT EXISTS holder (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER, since TEXT)',
    );
    // The holder is written and committed so a refused server can name it, then the lock is taken
    // again and kept. A server starting in between wins, and this one is refused below.
    db.prepare('INSERT OR REPLACE INTO holder (id, pid, since) VALUES (1, ?, ?)').run(
      process.pid,
      new Date().toISOString(),
    );
    db.exec('COMMIT');
    take(db);
  } catch (error) {
    const holder = holderOf(db);
    db.close();
    if (!isBusy(error)) {
      throw unusable(dbFile, file, error);
    }
    throw new DatabaseError(
      `database ${dbFile} is in use by another vantage serve${holder ? ` (pid ${holder.pid}, since ${holder.since})` : ''}. ` +
        'One server per database: stop that one first, or pass --db with another file. Nothing was changed.',
    );
  }
  let held = true;
  return {
    file,
    release() {
      if (!held) return;
      held = false;
      // The file stays: removing it could let a server waiting on the old file and one creating a
      // new file both believe they hold the lock.
      db.exec('ROLLBACK');
      db.close();
    },
  };
}

function unusable(dbFile: string, file: string, error: unknown): DatabaseError {
  return new DatabaseError(
    `cannot lock database ${dbFile}: ${file}: ${(error as Error).message}. ` +
      'The lock file holds nothing else: with no vantage serve running on this database, remove it.',
  );
}

function take(db: Database.Database): void {
  db.exec('BEGIN IMMEDIATE');
}

function holderOf(db: Database.Database): { pid: number; since: string } | undefined {
  try {
    if (db.inTransaction) db.exec('ROLLBACK');
    return db.prepare('SELECT pid, since FROM holder WHERE id = 1').get() as
      | { pid: number; since: string }
      | undefined;
  } catch {
    return undefined;
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}
