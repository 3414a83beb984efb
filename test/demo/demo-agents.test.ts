import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hourOf } from '../../common/calendar.js';
import { silentLogger } from '../../common/logger.js';
import { createApp } from '../../server/api/app.js';
import { type DemoAgents, startDemoAgents } from '../../server/demo/demo-agents.js';
import { startDemoTargets } from '../../server/demo/targets.js';
import { summariseSlices } from '../../server/results/summary.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { estateFrom } from '../helpers/estates.js';
import { useTmpDir } from '../helpers/tmp.js';
import { until } from '../helpers/until.js';

const tmp = useTmpDir();
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const estateYaml = (targets: string) => `organisations:
  - { id: riverside, name: Riverside Hospitals NHS Trust, kind: acute }
  - { id: leaside, name: Leaside Community NHS Trust, kind: community }
sites:
  - { id: st-annes, name: St Anne's Hospital, host: riverside }
  - { id: marsh-lane, name: Marsh Lane Centre, host: leaside }
  - { id: quiet-house, name: Quiet House, host: leaside }
systems:
  - { id: epr, name: Electronic patient record, owner: riverside }
checks:
  - { id: epr-login, system: epr, type: http, target: 'http://${targets}/epr/login', every: 1s, from: [st-annes, marsh-lane] }
`;

describe('demo agents', () => {
  it('run each site through its own link, so a congested link slows that site alone', {
    timeout: 30_000,
  }, async () => {
    const targets = await startDemoTargets({ random: () => 0.5 });
    cleanups.push(() => targets.close());
    const store = SqliteStores.open(join(tmp(), 'demo.db'));
    cleanups.push(() => store.close());
    const estate = estateFrom(estateYaml(targets.address));
    await store.estate.syncEstate(estate, Date.now());
    const app = createApp({ store, clock: { now: Date.now }, logger: silentLogger });
    const server: Server = await new Promise((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    cleanups.push(() => server.closeAllConnections());

    const agents: DemoAgents = await startDemoAgents({
      estate,
      store: store.agents,
      server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      targets: targets.address,
      dir: join(tmp(), 'agents'),
      logger: silentLogger,
      version: '1.2.3',
      condition: (site) => ({ latencyMs: site === 'marsh-lane' ? 300 : 0, lossRate: 0, down: false }),
    });
    cleanups.push(() => agents.close());
    expect(agents.sites).toEqual(['st-annes', 'marsh-lane']); // quiet-house has nothing to run

    const summary = async () =>
      summariseSlices(
        await store.results.rollups('epr-login', 'hourly', hourOf(Date.now()) - 1, hourOf(Date.now()) + 1),
      );
    const seen = await until(
      summary,
      (s) => s.vantagePoints.length === 2 && s.vantagePoints.every((v) => v.runs >= 3),
      20_000,
    );
    const ttfb = Object.fromEntries(
      seen.vantagePoints.map((v) => [v.vantagePoint, v.phases.ttfbMs.p50 ?? 0]),
    );
    // One round trip to connect and one for the request: the link's 300 ms shows at Marsh Lane only.
    expect((ttfb['marsh-lane'] ?? 0) - (ttfb['st-annes'] ?? 0)).toBeGreaterThan(250);
    expect(ttfb['st-annes']).toBeLessThan(250);

    const beats = await store.agents.heartbeats();
    expect(beats.map((b) => [b.site, b.version])).toEqual([
      ['marsh-lane', '1.2.3'],
      ['st-annes', '1.2.3'],
    ]);
    expect((await store.agents.tokens()).filter((t) => t.revokedAt === null).map((t) => t.label)).toEqual([
      'demo agent',
      'demo agent',
    ]);
  });
});
