import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrganisationOutagesResponse } from '../../server/api/types.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { type AdminServer, adminServer } from '../helpers/admin-server.js';
import { estateFrom } from '../helpers/estates.js';
import { octoberEstateYaml, octoberPushed, SITES } from '../helpers/october-case.js';
import { useTmpDir } from '../helpers/tmp.js';

/*
 * October 2026 of test/helpers/october-case.ts (every figure worked out in test/api/compliance.test.ts),
 * over all hours:
 *   northgate hosts hill-view: A, Tue 6 Oct 09:00Z–09:30Z (30 min) and B, Sat 10 Oct 02:00Z–03:00Z
 *     (60 min), each at one site of three: the host's. Its G (20 min) and F (45 min) are the owner's.
 *   riverside owns epr and hosts st-annes: E at st-annes 26 Oct 07:50Z–08:10Z (20 min, host); G at
 *     hill-view 8 Oct 13:00Z–13:20Z (20 min, owner); F 20 Oct at every site, 45 min each the owner's,
 *     and st-annes failing 15 more at one site of three (host): 60 at st-annes, owner 45 + host 15.
 *     In all 20 + 20 + 60 + 45 + 45 = 190 minutes: owner 155, host 35.
 *   eastfield hosts marsh-lane: its F is the owner's, its failure inside maintenance is no outage: none.
 */

const tmp = useTmpDir();
const NOW = Date.UTC(2026, 10, 10, 12, 0);

describe('the outages attributed to one organisation', () => {
  let store: SqliteStores;
  let server: AdminServer;
  const outages = (org: string, period = '2026-10') =>
    server.get<OrganisationOutagesResponse>(`/api/v1/organisations/${org}/outages?period=${period}`);

  beforeAll(async () => {
    store = SqliteStores.open(join(tmp(), 'outages.db'));
    const estate = estateFrom(octoberEstateYaml);
    await store.estate.syncEstate(estate, NOW);
    server = await adminServer(store, estate, NOW);
    for (const site of SITES) await server.push(site, octoberPushed(site));
  }, 60_000);

  afterAll(async () => {
    await server.close();
    await store.close();
  });

  it("lists a site host's own outages only, with their minutes, over the month", async () => {
    const { status, body } = await outages('northgate');
    expect(status).toBe(200);
    expect(body.organisation).toEqual({ id: 'northgate', name: 'Northgate Community Trust' });
    expect(body.period).toEqual({ from: '2026-09-30T23:00:00.000Z', to: '2026-11-01T00:00:00.000Z' });
    expect(body.minutes).toBe(90);
    expect(body.outages).toEqual([
      {
        checkId: 'epr-login',
        checkName: 'EPR sign-in page',
        system: 'epr',
        vantagePoint: 'hill-view',
        from: '2026-10-06T09:00:00.000Z',
        to: '2026-10-06T09:30:00.000Z',
        minutes: 30,
        ours: 30,
        attribution: [{ organisation: 'northgate', role: 'host', minutes: 30 }],
      },
      {
        checkId: 'epr-login',
        checkName: 'EPR sign-in page',
        system: 'epr',
        vantagePoint: 'hill-view',
        from: '2026-10-10T02:00:00.000Z',
        to: '2026-10-10T03:00:00.000Z',
        minutes: 60,
        ours: 60,
        attribution: [{ organisation: 'northgate', role: 'host', minutes: 60 }],
      },
    ]);
  });

  it("lists an owner's outages everywhere and its own site's, oldest first", async () => {
    const { body } = await outages('riverside');
    expect(body.minutes).toBe(190);
    expect(body.outages.map((o) => [o.vantagePoint, o.from, o.minutes, o.ours])).toEqual([
      ['hill-view', '2026-10-08T13:00:00.000Z', 20, 20],
      ['hill-view', '2026-10-20T14:00:00.000Z', 45, 45],
      ['marsh-lane', '2026-10-20T14:00:00.000Z', 45, 45],
      ['st-annes', '2026-10-20T14:00:00.000Z', 60, 60],
      ['st-annes', '2026-10-26T07:50:00.000Z', 20, 20],
    ]);
    expect(body.outages[3]?.attribution).toEqual([
      { organisation: 'riverside', role: 'owner', minutes: 45 },
      { organisation: 'riverside', role: 'host', minutes: 15 },
    ]);
  });

  it('lists nothing for a host whose site failed only with every site, or in maintenance', async () => {
    const { status, body } = await outages('eastfield');
    expect([status, body.minutes, body.outages]).toEqual([200, 0, []]);
  });

  it('takes a rolling window ending now', async () => {
    // The 30 days before 10 November 12:00Z start on 11 October: F and E, and nothing of northgate's.
    const rolling = await outages('northgate', '30d');
    expect([rolling.body.period.from, rolling.body.outages]).toEqual(['2026-10-11T12:00:00.000Z', []]);
    expect((await outages('riverside', '30d')).body.minutes).toBe(45 + 45 + 60 + 20);
  });

  it('refuses an unknown organisation with a 404 and a bad period with a 400 naming it', async () => {
    const missing = await server.get<{ error: { message: string } }>('/api/v1/organisations/nobody/outages');
    expect([missing.status, missing.body.error.message]).toEqual([404, "no organisation with id 'nobody'"]);
    const bad = await server.get<{ error: { message: string } }>(
      '/api/v1/organisations/northgate/outages?period=soon',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("query parameter 'period'");
    const extra = await server.get('/api/v1/organisations/northgate/outages?from=2026-10-01');
    expect(extra.status).toBe(400);
  });
});
