import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockDatabase } from '../../server/db/lock.js';
import { DatabaseError, openDatabase } from '../../server/db/open.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();

describe('the lock of a database', () => {
  it('is held by one holder at a time, naming the holder to the one refused', () => {
    const db = join(tmp(), 'vantage.db');
    const first = lockDatabase(db);
    expect(() => lockDatabase(db)).toThrow(DatabaseError);
    expect(() => lockDatabase(db)).toThrow(
      new RegExp(`vantage\\.db is in use by another vantage serve \\(pid ${process.pid}, since `),
    );
    first.release();
    const second = lockDatabase(db);
    second.release();
  });

  it('says what to do with a lock file that is not one', () => {
    const db = join(tmp(), 'vantage.db');
    writeFileSync(`${db}.lock`, 'not a lock at all, but long enough to be read as a header'.repeat(10));
    expect(() => lockDatabase(db)).toThrow(
      /cannot lock database .*vantage\.db: .*vantage\.db\.lock: file is not a database\. The lock file holds nothing else: with no vantage serve running on this database, remove it\./,
    );
    rmSync(`${db}.lock`);
    lockDatabase(db).release();
  });

  it('leaves the database itself open to other writers', () => {
    const file = join(tmp(), 'vantage.db');
    const lock = lockDatabase(file);
    const db = openDatabase(file);
    db.prepare("INSERT INTO organisations (id, name, kind, updated_at) VALUES ('a', 'A', 'acute', 1)").run();
    db.close();
    lock.release();
  });
});
