import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Stores } from '../../server/store/stores.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';

/** New, empty stores; and the same ones again, once closed. */
export interface StoresFactory {
  create(): Promise<Stores>;
  reopen(): Promise<Stores>;
}

const HOUR = 3_600_000;
const t0 = Date.UTC(2026, 10, 1, 9);

/**
 * What every estate store must do, whatever keeps the data. Each implementation runs these cases
 * with a factory that gives new, empty stores (and can reopen the same ones, to show data outlives
 * them).
 */
export function estateContract(name: string, factory: StoresFactory): void {
  describe(`Estate store contract: ${name}`, () => {
    let store: Stores;
    beforeEach(async () => {
      store = await factory.create();
    });
    afterEach(async () => {
      await store.close();
    });

    it('starts empty and takes the estate', async () => {
      expect(await store.estate.readEstate()).toEqual({
        organisations: [],
        sites: [],
        systems: [],
        checks: [],
      });
      const report = await store.estate.syncEstate(estateFrom(smallEstateYaml), t0);
      expect(report.organisations.added).toEqual(['riverside', 'eastfield']);
      expect(report.sites.added).toEqual(['st-annes', 'marsh-lane']);
      expect(report.systems.added).toEqual(['epr']);
      expect(report.checks.added).toEqual(['epr-login']);
      const estate = await store.estate.readEstate();
      expect(estate.sites).toEqual([
        {
          id: 'st-annes',
          name: "St Anne's Hospital",
          host: 'riverside',
          kind: null,
          tags: [],
          retiredAt: null,
        },
        {
          id: 'marsh-lane',
          name: 'Marsh Lane Centre',
          host: 'eastfield',
          kind: null,
          tags: [],
          retiredAt: null,
        },
      ]);
      expect(estate.checks[0]).toMatchObject({
        id: 'epr-login',
        system: 'epr',
        type: 'http',
        from: ['st-annes', 'marsh-lane'],
      });
      expect(estate.checks[0]?.definition).toMatchObject({ every: '1m', expect: { status: [200] } });
    });

    it('changes nothing when the same estate is synced again', async () => {
      await store.estate.syncEstate(estateFrom(smallEstateYaml), t0);
      const before = await store.estate.readEstate();
      const report = await store.estate.syncEstate(estateFrom(smallEstateYaml), t0 + HOUR);
      for (const kind of Object.values(report))
        expect(kind).toEqual({ added: [], changed: [], restored: [], retired: [] });
      expect(await store.estate.readEstate()).toEqual(before);
    });

    it('renames in place: a new display name changes nothing else', async () => {
      await store.estate.syncEstate(estateFrom(smallEstateYaml), t0);
      const renamed = smallEstateYaml.replace("St Anne's Hospital", "St Anne's University Hospital");
      const report = await store.estate.syncEstate(estateFrom(renamed), t0 + HOUR);
      expect(report.sites).toEqual({ added: [], changed: ['st-annes'], restored: [], retired: [] });
      expect(report.checks.changed).toEqual([]);
      const estate = await store.estate.readEstate();
      expect(estate.sites.map((s) => [s.id, s.name, s.host])).toEqual([
        ['st-annes', "St Anne's University Hospital", 'riverside'],
        ['marsh-lane', 'Marsh Lane Centre', 'eastfield'],
      ]);
    });

    it('retires a removed check and site, keeps them, and restores them when they return', async () => {
      await store.estate.syncEstate(estateFrom(smallEstateYaml), t0);
      const withoutCheck = smallEstateYaml.slice(0, smallEstateYaml.indexOf('checks:'));
      const withoutMarshLane = withoutCheck.replace(/ {2}- \{ id: marsh-lane.*\n/, '');
      const report = await store.estate.syncEstate(estateFrom(withoutMarshLane), t0 + HOUR);
      expect(report.checks.retired).toEqual(['epr-login']);
      expect(report.sites.retired).toEqual(['marsh-lane']);

      expect((await store.estate.readEstate()).checks).toEqual([]);
      expect(await store.estate.activeCheckIds()).toEqual([]);
      const all = await store.estate.readEstate({ includeRetired: true });
      expect(all.checks.map((c) => [c.id, c.retiredAt])).toEqual([['epr-login', t0 + HOUR]]);
      expect(all.sites.find((s) => s.id === 'marsh-lane')?.retiredAt).toBe(t0 + HOUR);

      const back = await store.estate.syncEstate(estateFrom(smallEstateYaml), t0 + 2 * HOUR);
      expect(back.checks.restored).toEqual(['epr-login']);
      expect(back.sites.restored).toEqual(['marsh-lane']);
      expect((await store.estate.readEstate()).checks.map((c) => c.retiredAt)).toEqual([null]);
      expect(await store.estate.activeCheckIds()).toEqual(['epr-login']);
    });

    it('follows a change of host and of the sites a check runs from', async () => {
      await store.estate.syncEstate(estateFrom(smallEstateYaml), t0);
      const changed = smallEstateYaml
        .replace('host: eastfield }', 'host: riverside }')
        .replace('from: [st-annes, marsh-lane]', 'from: [marsh-lane]');
      const report = await store.estate.syncEstate(estateFrom(changed), t0 + HOUR);
      expect(report.sites.changed).toEqual(['marsh-lane']);
      expect(report.checks.changed).toEqual(['epr-login']);
      const estate = await store.estate.readEstate();
      expect(estate.sites.find((s) => s.id === 'marsh-lane')?.host).toBe('riverside');
      expect(estate.checks[0]?.from).toEqual(['marsh-lane']);
    });

    it('keeps the estate after it is closed and opened again', async () => {
      await store.estate.syncEstate(estateFrom(smallEstateYaml), t0);
      const before = await store.estate.readEstate();
      await store.close();
      store = await factory.reopen();
      expect(await store.estate.readEstate()).toEqual(before);
    });
  });
}
