import { formatConfigError, loadEstateFile } from '../config/load.js';
import type { Estate } from '../config/schema.js';
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

/**
 * The estate file a command works from; an invalid one prints its located errors and is the
 * command's failure, with `why` it was needed when given.
 */
export function loadEstate(file: string, err: (line: string) => void, why?: string): Estate {
  const loaded = loadEstateFile(file, process.env);
  if (!loaded.ok) {
    for (const error of loaded.errors) err(formatConfigError(error));
    throw new CommandError(`the estate file ${file} is invalid${why ? `; ${why}` : ''}`);
  }
  return loaded.estate;
}
