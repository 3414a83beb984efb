import { join } from 'node:path';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { useTmpDir } from '../helpers/tmp.js';
import { agentsContract } from './agents-contract.js';
import { demoHistoryContract } from './demo-history-contract.js';
import { estateContract } from './estate-contract.js';
import { maintenanceContract } from './maintenance-contract.js';
import { notificationsContract } from './notifications-contract.js';
import { reportsContract } from './reports-contract.js';
import { resultsContract } from './results-contract.js';
import { storesContract } from './stores-contract.js';
import { surveyContract } from './survey-contract.js';

const tmp = useTmpDir();
let file = '';
const fresh = (name: string) => join(tmp(), `${name}-${Math.random().toString(36).slice(2)}.db`);

const factory = {
  async create() {
    file = fresh('store');
    return SqliteStores.open(file);
  },
  async reopen() {
    return SqliteStores.open(file);
  },
};

storesContract('SQLite', factory);
estateContract('SQLite', factory);
resultsContract('SQLite', async () => SqliteStores.open(fresh('results')));
agentsContract('SQLite', async () => SqliteStores.open(fresh('agents')));
surveyContract('SQLite', async () => SqliteStores.open(fresh('survey')));
maintenanceContract('SQLite', async () => SqliteStores.open(fresh('maintenance')));
reportsContract('SQLite', async () => SqliteStores.open(fresh('reports')));
demoHistoryContract('SQLite', async () => SqliteStores.open(fresh('demo-history')));
notificationsContract('SQLite', async () => SqliteStores.open(fresh('notifications')));
