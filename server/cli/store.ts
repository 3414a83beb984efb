import { DatabaseError } from '../db/open.js';
import { SqliteStore } from '../store/sqlite.js';

/** A command's own failure, said in words: printed as `vantage <command>: message`, exit 1. */
export class CommandError extends Error {}

/** Runs `work` on the database file and closes it after; a database refused is a CommandError. */
export async function withStore<T>(file: string, work: (store: SqliteStore) => Promise<T>): Promise<T> {
  let store: SqliteStore;
  try {
    store = SqliteStore.open(file);
  } catch (error) {
    if (error instanceof DatabaseError) throw new CommandError(error.message);
    throw error;
  }
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
