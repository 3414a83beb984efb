import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Outbox } from '../../agent/outbox.js';
import { silentLogger } from '../../common/logger.js';
import { lockDatabase } from '../../server/db/lock.js';
import { openDatabase } from '../../server/db/open.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();

/** The file and its -wal and -shm, each with its permission bits. */
function modes(file: string): Record<string, string> {
  return Object.fromEntries(
    [file, `${file}-wal`, `${file}-shm`]
      .filter((path) => existsSync(path))
      .map((path) => [path.slice(file.length) || 'file', (statSync(path).mode & 0o777).toString(8)]),
  );
}

describe('files that hold what others must not read', () => {
  it('creates the server database, its WAL and shared memory 0600, in a folder it makes', () => {
    const file = join(tmp(), 'data', 'vantage.db');
    const db = openDatabase(file);
    try {
      expect(modes(file)).toEqual({ file: '600', '-wal': '600', '-shm': '600' });
    } finally {
      db.close();
    }
  });

  it("creates the server's lock beside its database 0600", () => {
    const file = join(tmp(), 'data', 'vantage.db');
    const lock = lockDatabase(file);
    try {
      expect(modes(lock.file)).toMatchObject({ file: '600' });
    } finally {
      lock.release();
    }
  });

  it("creates the agent's outbox, its WAL and shared memory 0600", () => {
    const file = join(tmp(), 'agent', 'outbox.db');
    const outbox = Outbox.open(file, { logger: silentLogger });
    try {
      outbox.add({ id: 'r1', at: Date.now(), payload: { ok: true } });
      expect(modes(file)).toEqual({ file: '600', '-wal': '600', '-shm': '600' });
    } finally {
      outbox.close();
    }
  });
});
