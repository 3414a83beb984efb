import { existsSync } from 'node:fs';
import { formatConfigError, loadEstateFile } from '../config/load.js';
import type { Estate } from '../config/schema.js';
import { DatabaseError } from '../db/open.js';
import { demoEstateFile } from '../paths.js';
import { SqliteStores } from '../store/sqlite/stores.js';

/** The options of the commands that work on serve's database and estate file (or the demo's). */
export const WHERE_OPTIONS = {
  config: { type: 'string' },
  db: { type: 'string' },
  demo: { type: 'boolean', default: false },
} as const;

/** The database and estate file such a command works on, decided as serve decides them. */
export function whereOf(values: { config?: string; db?: string; demo?: boolean }): {
  dbFile: string;
  configFile: string;
} {
  return {
    dbFile: values.db ?? (values.demo ? 'data/demo.db' : 'data/vantage.db'),
    configFile: values.config ?? (values.demo ? demoEstateFile() : 'vantage.yaml'),
  };
}

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
