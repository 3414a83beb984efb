import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Stores } from '../../server/store/stores.js';

const HOUR = 3_600_000;
const t0 = Date.UTC(2026, 9, 24, 22, 0);
const window = (id: string, start: number, end: number) => ({
  id,
  title: `Work ${id}`,
  start,
  end,
  scope: { systems: ['epr'], sites: ['st-annes'] },
  createdBy: 'admin@example.org',
  createdAt: t0 - HOUR,
});

/** What every maintenance store must do: keep ad hoc windows, find them by period, end them early. */
export function maintenanceContract(name: string, create: () => Promise<Stores>): void {
  describe(`Maintenance store contract: ${name}`, () => {
    let store: Stores;
    beforeEach(async () => {
      store = await create();
    });
    afterEach(async () => {
      await store.close();
    });

    it('keeps a window as given and finds it by id', async () => {
      await store.maintenance.add(window('a', t0, t0 + 4 * HOUR));
      expect(await store.maintenance.window('a')).toEqual({
        ...window('a', t0, t0 + 4 * HOUR),
        endedAt: null,
        endedBy: null,
      });
      expect(await store.maintenance.window('b')).toBeUndefined();
    });

    it('finds the windows that cover some of a period, ends exclusive, in order of start', async () => {
      await store.maintenance.add(window('late', t0 + 2 * HOUR, t0 + 3 * HOUR));
      await store.maintenance.add(window('early', t0, t0 + HOUR));
      const ids = async (from: number, to: number) =>
        (await store.maintenance.overlapping(from, to)).map((w) => w.id);
      expect(await ids(t0 - HOUR, t0 + 4 * HOUR)).toEqual(['early', 'late']);
      expect(await ids(t0 + HOUR, t0 + 2 * HOUR)).toEqual([]);
      expect(await ids(t0 + HOUR - 1, t0 + 2 * HOUR + 1)).toEqual(['early', 'late']);
      expect(await ids(t0 + 3 * HOUR, t0 + 9 * HOUR)).toEqual([]);
    });

    it('ends a window at a time inside it, before it, or after it is over', async () => {
      await store.maintenance.add(window('inside', t0, t0 + 4 * HOUR));
      await store.maintenance.add(window('future', t0 + 8 * HOUR, t0 + 9 * HOUR));
      await store.maintenance.add(window('over', t0 - 4 * HOUR, t0 - 3 * HOUR));
      const at = t0 + HOUR + 60_000;
      expect(await store.maintenance.end('inside', at, 'cli:ops')).toBe(true);
      expect(await store.maintenance.end('future', at, 'cli:ops')).toBe(true);
      expect(await store.maintenance.end('over', at, 'cli:ops')).toBe(true);
      expect(await store.maintenance.end('missing', at, 'cli:ops')).toBe(false);
      expect(await store.maintenance.window('inside')).toMatchObject({
        start: t0,
        end: at,
        endedAt: at,
        endedBy: 'cli:ops',
      });
      // Not begun: left with no time at all, and no longer found for any period.
      expect(await store.maintenance.window('future')).toMatchObject({
        start: t0 + 8 * HOUR,
        end: t0 + 8 * HOUR,
      });
      expect((await store.maintenance.overlapping(t0 - 9 * HOUR, t0 + 9 * HOUR)).map((w) => w.id)).toEqual([
        'over',
        'inside',
      ]);
      expect(await store.maintenance.window('over')).toMatchObject({ end: t0 - 3 * HOUR, endedAt: at });
    });
  });
}
