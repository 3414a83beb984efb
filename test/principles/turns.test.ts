import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latencyCompliance } from '../../server/principles/latency.js';
import { parsePeriod } from '../../server/principles/period.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { generateEstateYaml } from '../bench/generate-estate.js';
import { estateFrom } from '../helpers/estates.js';

const NOW = Date.parse('2026-12-03T12:00:00Z');
const DAY = 86_400_000;

/**
 * A period of every check takes seconds at an economy's scale; while it is worked out, probes must
 * still run and requests be answered. These cases show the event loop gets its turns meanwhile.
 */
describe('working out a period of every check leaves the event loop its turns', () => {
  const estate = estateFrom(generateEstateYaml({ sites: 20, checks: 2_500 }));
  let dir: string;
  let store: SqliteStores;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vantage-turns-'));
    store = SqliteStores.open(join(dir, 'vantage.db'));
    await store.estate.syncEstate(estate, NOW);
    // One up stretch over the last 30 days for every check at its first vantage point.
    store.db.exec(
      `INSERT INTO state_timeline (check_key, vp, from_ms, to_ms, state)
       SELECT key, 0, ${NOW - 30 * DAY}, ${NOW}, 0 FROM checks`,
    );
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads every check timeline, with turns between batches of checks', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('turn'));
    await store.results.timelines(NOW - 7 * DAY, NOW, () => order.push('check'));
    const checks = order.filter((o) => o === 'check').length;
    expect(checks).toBe(estate.checks.length);
    const turn = order.indexOf('turn');
    // The turn came after the first batch and before the last check.
    expect(turn).toBeGreaterThan(0);
    expect(turn).toBeLessThan(order.length - 1);
  });

  it('lets a latency principle work check by check with turns between', async () => {
    let turns = 0;
    let working = true;
    const tick = () => {
      if (!working) return;
      turns++;
      setImmediate(tick);
    };
    setImmediate(tick);
    const sources = {
      results: {
        // Each check's hours take a millisecond to read: 2,500 of them far outlast one turn.
        hourlyPhases: async () => {
          const until = performance.now() + 1;
          while (performance.now() < until);
          return [];
        },
      },
      maintenance: { overlapping: async () => [] },
    };
    const principle = { id: 'fast', title: 'Fast', metric: 'latency', target: '3s', hours: '24x7' } as const;
    await latencyCompliance(estate, sources, principle, parsePeriod('7d', NOW));
    working = false;
    // About 2.5 s of work in slices of a few tens of milliseconds: dozens of turns.
    expect(turns).toBeGreaterThan(10);
  });
});
