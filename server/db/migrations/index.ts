import { sql as estate } from './0001-estate.js';
import { sql as results } from './0002-results.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every schema change in order; a migration, once released, is never edited. */
export const migrations: Migration[] = [
  { version: 1, name: 'estate', sql: estate },
  { version: 2, name: 'results', sql: results },
];

export const latestVersion = migrations.length;
