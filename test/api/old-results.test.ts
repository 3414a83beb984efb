import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hourOf } from '../../common/calendar.js';
import type { ComplianceResponse, OutagesResponse } from '../../server/api/types.js';
import { pruneOnce } from '../../server/results/retention.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { type AdminServer, adminServer } from '../helpers/admin-server.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();

/** Now is 1 December 2026; the runs are of Wednesday 4 February 2026, 300 days before (GMT). */
const NOW = Date.UTC(2026, 11, 1, 12, 0);
const DAY_FROM = Date.UTC(2026, 1, 4, 0, 0);
const OUTAGE = [Date.UTC(2026, 1, 4, 10, 0), Date.UTC(2026, 1, 4, 10, 30)] as const;
const MINUTE = 60_000;

const yaml = smallEstateYaml.concat(`principles:
  - { id: epr-always, title: EPR available at all times, metric: availability, target: 99.9%, hours: 24x7, scope: { systems: [epr], sites: [st-annes] } }
`);

/** A day of St Anne's runs a minute apart, failing 10:00–10:30. */
function aDayOfRuns() {
  return Array.from({ length: 24 * 60 }, (_, minute) => {
    const at = DAY_FROM + minute * MINUTE;
    const fail = at >= OUTAGE[0] && at < OUTAGE[1];
    return {
      id: `old-${minute}`,
      checkId: 'epr-login',
      startedAt: new Date(at).toISOString(),
      state: fail ? 'fail' : 'ok',
      phases: { dnsMs: 1, connectMs: 2, tlsMs: 3, ttfbMs: 40, transferMs: 1, totalMs: 47 },
      ...(fail ? { error: { class: 'timeout', message: 'no answer in 10s' } } : {}),
    };
  });
}

describe('results 300 days old, from an agent back after a long outage', () => {
  let store: SqliteStores;
  let server: AdminServer;
  const get = async <T>(path: string): Promise<T> => {
    const answer = await server.get<T>(path);
    expect(answer.status, path).toBe(200);
    return answer.body;
  };

  beforeAll(async () => {
    store = SqliteStores.open(join(tmp(), 'old.db'));
    const estate = estateFrom(yaml);
    await store.estate.syncEstate(estate, NOW);
    server = await adminServer(store, estate, NOW);
    await server.push('st-annes', aDayOfRuns());
    // The raw runs are past their 35 days and go at the next pruning; what they decided stays.
    expect((await pruneOnce(store.results, estate, NOW)).raw).toBe(24 * 60);
  });

  afterAll(async () => {
    await server.close();
    await store.close();
  });

  it('are taken, and their rollups and timeline kept when the raw runs are pruned', async () => {
    const hourly = await store.results.rollups(
      'epr-login',
      'hourly',
      hourOf(DAY_FROM),
      hourOf(DAY_FROM) + 24,
    );
    const counts = hourly.reduce(
      (sum, slice) => ({ ok: sum.ok + slice.row.ok, fail: sum.fail + slice.row.fail }),
      { ok: 0, fail: 0 },
    );
    expect(counts).toEqual({ ok: 24 * 60 - 30, fail: 30 });
    const timeline = await store.results.timeline('epr-login', DAY_FROM, DAY_FROM + 86_400_000);
    // The last run's state holds its minute and a tenth more (66 s).
    expect(timeline.get('st-annes')).toEqual([
      { from: DAY_FROM, to: OUTAGE[0], state: 'up' },
      { from: OUTAGE[0], to: OUTAGE[1], state: 'down' },
      { from: OUTAGE[1], to: DAY_FROM + 86_400_000 + 6_000, state: 'up' },
    ]);
  });

  it('count in that month’s compliance and outages exactly as fresh runs would', async () => {
    const answer = await get<ComplianceResponse>('/api/v1/principles/epr-always/compliance?period=2026-02');
    // February 2026 is 40,320 minutes; the runs cover 24 h and 6 s of it (23:59's run holds 66 s), 30 minutes down.
    const item = answer.items.find((i) => i.site === 'st-annes');
    expect(item?.minutes).toEqual({ up: 1_410.1, down: 30, maintenance: 0, unknown: 40_320 - 1_440.1 });
    expect(item?.attribution).toEqual([{ organisation: 'riverside', role: 'owner', minutes: 30 }]);
    const outages = await get<OutagesResponse>(
      `/api/v1/checks/epr-login/outages?from=${new Date(DAY_FROM).toISOString()}&to=2026-02-05T00:00:00Z`,
    );
    expect(JSON.stringify(outages)).toContain(new Date(OUTAGE[0]).toISOString());
    expect(JSON.stringify(outages)).toContain(new Date(OUTAGE[1]).toISOString());
  });
});
