import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveEnv } from '../../common/env-references.js';
import { parseEstate } from '../../server/config/load.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { useTmpDir } from '../helpers/tmp.js';
import { estateHead, guardedCheck, SECRETS, secretsInFiles } from './fixture.js';

const tmp = useTmpDir();

describe('a database written before secrets were kept as references', () => {
  it("has its checks' old values overwritten at the first sync, not left in free space", async () => {
    const yaml = [
      estateHead,
      guardedCheck('epr-login', '127.0.0.1:9'),
      guardedCheck('epr-b', '127.0.0.1:9'),
      '',
    ];
    const loaded = parseEstate(yaml.join('\n'), 'estate.yaml', SECRETS);
    if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
    const file = join(tmp(), 'vantage.db');

    // What an earlier Vantage stored: the checks as resolved.
    const before = SqliteStores.open(file);
    await before.estate.syncEstate(resolveEnv(loaded.estate, SECRETS), 1_000);
    before.close();
    expect(secretsInFiles(file)).not.toEqual([]);

    const after = SqliteStores.open(file);
    await after.estate.syncEstate(loaded.estate, 2_000);
    expect((await after.estate.getCheck('epr-login'))?.target).toBe(
      'http://127.0.0.1:9/login/${PATH_KEY}?key=${QUERY_KEY}',
    );
    after.close();
    expect(secretsInFiles(file)).toEqual([]);
  });
});
