import { join } from 'node:path';
import { SqliteStore } from '../../server/store/sqlite.js';
import { useTmpDir } from '../helpers/tmp.js';
import { storeContract } from './contract.js';
import { runsContract } from './runs-contract.js';

const tmp = useTmpDir();
let file = '';

storeContract('SQLite', {
  async create() {
    file = join(tmp(), `store-${Math.random().toString(36).slice(2)}.db`);
    return SqliteStore.open(file);
  },
  async reopen() {
    return SqliteStore.open(file);
  },
});

runsContract('SQLite', async () =>
  SqliteStore.open(join(tmp(), `runs-${Math.random().toString(36).slice(2)}.db`)),
);
