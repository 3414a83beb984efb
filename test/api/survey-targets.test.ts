import { join } from 'node:path';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import { createApp } from '../../server/api/app.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { apiTokenFor } from '../helpers/as-admin.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const estate = estateFrom(
  smallEstateYaml
    .replace(
      'checks:',
      `  - { id: mail, name: Email, owner: eastfield, tags: [office] }
  - { id: rota, name: Staff rota, owner: eastfield }
checks:`,
    )
    .concat(`surveys:
  - { id: usability-2026, title: IT usability survey 2026, opens: 2026-10-01, closes: 2026-12-31, systems: { epr: sus, mail: umux-lite, rota: umux-lite } }
principles:
  - { id: epr-up, title: EPR available, metric: availability, target: 99.9% }
  - { id: usable, title: Usable systems, metric: survey-score, target: 68, scope: { systems: [epr] } }
  - { id: office-usable, title: Office systems usable, metric: survey-score, target: 70, scope: { tags: [office] } }
`),
);

describe('GET /api/v1/surveys/:id/targets', () => {
  let store: SqliteStores;
  let app: ReturnType<typeof createApp>;
  beforeEach(async () => {
    store = SqliteStores.open(join(tmp(), 'targets.db'));
    app = createApp({
      store,
      clock: { now: () => Date.UTC(2026, 10, 24) },
      logger: silentLogger,
      estate: () => estate,
    });
  });
  afterEach(() => store.close());

  it("gives each rated system the target of each survey-score principle that covers it, on the instrument's scale", async () => {
    const answer = await request(app)
      .get('/api/v1/surveys/usability-2026/targets')
      .set('authorization', `Bearer ${await apiTokenFor(store, 'viewer')}`);
    expect(answer.status).toBe(200);
    // The rota is rated but no principle covers it; the availability principle sets no survey target.
    expect(answer.body).toEqual({
      items: [
        { system: 'epr', instrument: 'sus', principle: 'usable', title: 'Usable systems', target: 68 },
        {
          system: 'mail',
          instrument: 'umux-lite',
          principle: 'office-usable',
          title: 'Office systems usable',
          target: 70,
        },
      ],
    });
  });

  it('is for those signed in, and names a survey that does not exist', async () => {
    expect((await request(app).get('/api/v1/surveys/usability-2026/targets')).status).toBe(401);
    const missing = await request(app)
      .get('/api/v1/surveys/usability-1999/targets')
      .set('authorization', `Bearer ${await apiTokenFor(store, 'viewer')}`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe("no survey 'usability-1999'");
  });
});
