import { isStorageFailure } from '../../db/failure.js';
import type { Db } from '../../db/open.js';

/**
 * Whether the database takes writes, shared by every store on it: the last write the disk refused
 * is kept until a write succeeds again, and readiness reports it.
 */
export class WriteHealth {
  readonly #db: Db;
  #closed = false;
  #failure: Error | undefined;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Runs a write, remembering whether the database refused it for want of space or a working disk. */
  run<T>(write: () => T): T {
    try {
      const result = write();
      this.#failure = undefined;
      return result;
    } catch (error) {
      if (isStorageFailure(error)) this.#failure = error as Error;
      throw error;
    }
  }

  ping(): void {
    if (this.#closed) throw new Error('the store is closed');
    // A full disk lets a transaction begin and fails only when pages are written, so the last real
    // write's outcome is what says whether writes work.
    if (this.#failure) throw this.#failure;
    // Taking the write lock proves the database can be written without writing anything.
    this.#db.exec('BEGIN IMMEDIATE');
    this.#db.exec('ROLLBACK');
  }

  /** Whether this is the first close. */
  close(): boolean {
    if (this.#closed) return false;
    this.#closed = true;
    return true;
  }
}
