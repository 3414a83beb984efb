/**
 * Whether an error is of the disk or the database file rather than of the data written: a
 * constraint failure is one bad write, a full disk fails every write after it.
 */
export function isStorageFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return STORAGE_CODES.some((storage) => code === storage || code.startsWith(`${storage}_`));
}

/** SQLite's primary result codes of storage trouble; extended codes (SQLITE_IOERR_WRITE) start with them. */
const STORAGE_CODES = [
  'SQLITE_FULL',
  'SQLITE_IOERR',
  'SQLITE_READONLY',
  'SQLITE_CANTOPEN',
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
];
