import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import { createApp } from '../../server/api/app.js';
import type { MaintenanceResponse } from '../../server/api/types.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { apiTokenFor } from '../helpers/as-admin.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';
import { useTmpDir } from '../helpers/tmp.js';

/**
 * The small estate (epr-login runs from st-annes and marsh-lane) with a second system and three file
 * windows: one on epr (every vantage point), one on marsh-lane (that site only), one on pas (not epr).
 */
const yaml = smallEstateYaml
  .replace(
    '  - { id: epr, name: Electronic patient record, owner: riverside }',
    '  - { id: epr, name: Electronic patient record, owner: riverside }\n  - { id: pas, name: Patient administration, owner: eastfield }',
  )
  .concat(`maintenance:
  - { id: epr-upgrade, title: EPR upgrade, start: 2026-10-24T22:00, end: 2026-10-25T03:00, scope: { systems: [epr] } }
  - { id: marsh-switch, title: Marsh Lane switch, start: 2026-10-24T14:00, end: 2026-10-24T15:00, scope: { sites: [marsh-lane] } }
  - { id: pas-upgrade, title: PAS upgrade, start: 2026-10-24T20:00, end: 2026-10-24T21:00, scope: { systems: [pas] } }
`);

const tmp = useTmpDir();
/** Saturday 2026-10-24 12:00 UTC (13:00 BST). */
const now = Date.UTC(2026, 9, 24, 12, 0);

describe('GET /api/v1/maintenance?check=: the windows a check page shades', () => {
  let store: SqliteStores;
  let app: ReturnType<typeof createApp>;
  let token: string;

  beforeAll(async () => {
    store = SqliteStores.open(join(tmp(), 'maintenance.db'));
    const estate = estateFrom(yaml);
    await store.estate.syncEstate(estate, now);
    app = createApp({ store, clock: { now: () => now }, logger: silentLogger, estate: () => estate });
    token = await apiTokenFor(store, 'viewer');
  });
  afterAll(async () => {
    await store.close();
  });

  const list = (query: string) =>
    request(app).get(`/api/v1/maintenance${query}`).set('Authorization', `Bearer ${token}`);

  it('lists only the windows covering the check, each with the vantage points it covers', async () => {
    const answer = await list('?check=epr-login&from=2026-10-24T00:00Z&to=2026-10-26T00:00Z');
    expect(answer.status).toBe(200);
    const body = answer.body as MaintenanceResponse;
    expect(body.items.map((w) => [w.id, w.vantagePoints, w.occurrences])).toEqual([
      [
        'epr-upgrade',
        ['st-annes', 'marsh-lane'],
        // 22:00 BST on Saturday to 03:00 GMT on Sunday: the clocks went back at 02:00 BST, so six hours.
        [{ from: '2026-10-24T21:00:00.000Z', to: '2026-10-25T03:00:00.000Z' }],
      ],
      [
        'marsh-switch',
        ['marsh-lane'],
        [{ from: '2026-10-24T13:00:00.000Z', to: '2026-10-24T14:00:00.000Z' }],
      ],
    ]);
    // Coming up in the next 7 days, for this check only: the same two.
    expect(body.upcoming.items.map((w) => w.id)).toEqual(['epr-upgrade', 'marsh-switch']);
  });

  it('lists every window, without vantage points, when no check is asked about', async () => {
    const answer = await list('?from=2026-10-24T00:00Z&to=2026-10-26T00:00Z');
    const body = answer.body as MaintenanceResponse;
    expect(body.items.map((w) => w.id)).toEqual(['epr-upgrade', 'marsh-switch', 'pas-upgrade']);
    expect(body.items.every((w) => w.vantagePoints === undefined)).toBe(true);
  });

  it('answers 404 naming the query parameter for a check the estate does not have', async () => {
    const answer = await list('?check=no-such-check');
    expect(answer.status).toBe(404);
    expect(answer.body.error.message).toBe("query parameter 'check': no check with id 'no-such-check'");
  });
});
