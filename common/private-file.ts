import { closeSync, openSync } from 'node:fs';

/**
 * Creates `file` empty, readable and writable by its owner only (0600), before SQLite opens it: a
 * database holds what others must not read. SQLite gives the -wal and -shm files it makes beside a
 * database the database file's own mode, so they are 0600 too. A file that exists is left alone.
 */
export function createPrivateFile(file: string): void {
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
