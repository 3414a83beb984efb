import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../common/logger.js';
import { type RunningServer, startServer } from '../../server/serve.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { smallEstateYaml } from '../helpers/estates.js';
import { signedIn } from '../helpers/sessions.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();

describe('a server nobody can sign in to yet', () => {
  const running: RunningServer[] = [];
  afterEach(async () => {
    for (const server of running.splice(0)) await server.close();
  });

  const serve = async (db: string) => {
    const config = join(tmp(), 'estate.yaml');
    writeFileSync(config, smallEstateYaml);
    const warnings: string[] = [];
    const logger: Logger = {
      info() {},
      warn: (message, fields) => warnings.push(`${message} ${JSON.stringify(fields ?? {})}`),
      error() {},
    };
    running.push(await startServer({ configFile: config, dbFile: db, port: 0, host: '127.0.0.1', logger }));
    return warnings;
  };

  it('says at start how to make the first administrator, and says nothing once there is one', async () => {
    const db = join(tmp(), 'vantage.db');
    const first = await serve(db);
    expect(first.join('\n')).toContain(
      'nobody can sign in yet: make the first administrator with vantage user add',
    );
    expect(first.join('\n')).toContain(`--role admin --config ${join(tmp(), 'estate.yaml')} --db ${db}`);
    await running.pop()?.close();

    const store = SqliteStores.open(db);
    await signedIn(store, 'admin');
    await store.close();
    expect((await serve(db)).join('\n')).not.toContain('nobody can sign in yet');
  });
});
