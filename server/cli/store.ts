import { existsSync } from 'node:fs';
import { formatConfigError, loadEstateFile } from '../config/load.js';
import type { Estate } from '../config/schema.js';
import { DatabaseError } from '../db/open.js';
import { SqliteStores } from '../store/sqlite/stores.js';

/** A command's own failure, said in words: printed as `vantage <command>: message`, exit 1. */
export class CommandError extends Error {}

/**
 * Runs `work` on the database file and closes it after; a database refused is a CommandError.
 * Commands that only read or change what is there pass `{ create: false }`: a missing database is
 * then a mistake said as such (a wrong --db, or serve not yet run), not an empty one made in its place.
 */
export async function withStore<T>(
  file: string,
  work: (store: SqliteStores) => Promise<T>,
  options: { create: boolean } = { create: true },
): Promise<T> {
  if (!options.create && !existsSync(file)) {
    throw new CommandError(
      `there is no database at ${file}: give serve's with --db FILE (serve makes it when it first runs)`,
    );
  }
  let store: SqliteStores;
  try {
    store = SqliteStores.open(file);
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
  if (!existsSync(file)) {
    throw new CommandError(
      `there is no estate file ${file}: give it with --config FILE${why ? `; ${why}` : ''}`,
    );
  }
  const loaded = loadEstateFile(file, process.env);
  if (!loaded.ok) {
    for (const error of loaded.errors) err(formatConfigError(error));
    throw new CommandError(`the estate file ${file} is invalid${why ? `; ${why}` : ''}`);
  }
  return loaded.estate;
}
