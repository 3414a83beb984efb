import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/open.js';
import { cutBodies, cutBytes, END_TO_END_LENGTH, numbers } from '../../server/db/repos/end-to-end.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();

describe('rows read end to end', () => {
  it('reads lists of integers, signs and large numbers included', () => {
    expect(numbers('7')).toEqual([7]);
    expect(numbers('0,12,-1,-305,498948,20790')).toEqual([0, 12, -1, -305, 498948, 20790]);
  });

  it('gives back each blob and text as stored, empty ones and bytes that are not text included', () => {
    const db = openDatabase(join(tmp(), 'rows.db'));
    db.exec('CREATE TABLE t (k INTEGER PRIMARY KEY, body ANY NOT NULL) STRICT');
    const bodies: (Uint8Array | string)[] = [
      Buffer.from([0, 255, 0, 1]),
      '{"st-annes":{"s":[1],"h":[2]}}',
      Buffer.alloc(0),
      'Marsh Lane — café',
      Buffer.from([0xc3]),
      '',
    ];
    const insert = db.prepare('INSERT INTO t (k, body) VALUES (?, ?)');
    for (const [k, body] of bodies.entries()) insert.run(k, body);
    const [keys, lengths, all] = db
      .prepare<[], [string, string, Uint8Array]>(
        `SELECT group_concat(k), group_concat(${END_TO_END_LENGTH('body')}), CAST(group_concat(body, '') AS BLOB)
         FROM (SELECT k, body FROM t ORDER BY k)`,
      )
      .raw(true)
      .get() as [string, string, Uint8Array];
    expect(numbers(keys)).toEqual([0, 1, 2, 3, 4, 5]);
    const read = cutBodies(numbers(lengths), all);
    expect(read.map((body) => (typeof body === 'string' ? body : [...body]))).toEqual(
      bodies.map((body) => (typeof body === 'string' ? body : [...body])),
    );
    expect(() => cutBytes([1, 2], all)).toThrow(/end to end/);
    db.close();
  });
});
