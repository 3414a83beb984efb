import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allWindows, maintenanceOf } from '../../server/principles/windows.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';
import { useTmpDir } from '../helpers/tmp.js';

const estate = estateFrom(
  smallEstateYaml.concat(`maintenance:
  - { id: sunday-patching, title: Sunday patching, cron: "0 6 * * 0", duration: 2h, scope: { sites: [marsh-lane] } }
  - { id: epr-upgrade, title: EPR upgrade, start: 2026-10-24T22:00, end: 2026-10-25T03:00, scope: { systems: [epr] } }
`),
);
const at = (day: number, hour: number, minute = 0) => Date.UTC(2026, 9, day, hour, minute);
const check = { id: 'epr-login', system: 'epr', tags: [] };

const tmp = useTmpDir();
let store: SqliteStores;
beforeEach(() => {
  store = SqliteStores.open(join(tmp(), 'windows.db'));
});
afterEach(async () => {
  await store.close();
});

const adHoc = (id: string, start: number, end: number, scope: object) => ({
  id,
  title: id,
  start,
  end,
  scope,
  createdBy: 'cli:ops',
  createdAt: start,
});

describe('every maintenance window from one source', () => {
  it('gives the file windows and the ad hoc ones as one list, each with its time in the period', async () => {
    await store.maintenance.add(adHoc('ad-hoc-a', at(25, 0, 30), at(25, 1, 30), { sites: ['st-annes'] }));
    await store.maintenance.add(adHoc('ad-hoc-later', at(27, 9), at(27, 10), { systems: ['epr'] }));
    // Sunday 2026-10-25, London day (00:00 BST to 24:00 GMT): 25 hours.
    const windows = await allWindows(estate, store.maintenance, at(24, 23), at(26, 0));
    expect(windows.map(({ id, source, spans }) => ({ id, source, spans }))).toEqual([
      { id: 'sunday-patching', source: 'file', spans: [{ from: at(25, 6), to: at(25, 8) }] },
      // 22:00 BST on Saturday began before the day: clipped to its start.
      { id: 'epr-upgrade', source: 'file', spans: [{ from: at(24, 23), to: at(25, 3) }] },
      { id: 'ad-hoc-a', source: 'ad-hoc', spans: [{ from: at(25, 0, 30), to: at(25, 1, 30) }] },
    ]);
    expect(windows[2]?.adHoc?.createdBy).toBe('cli:ops');
  });

  it('says what covers a check at each vantage point, overlapping windows merged', async () => {
    await store.maintenance.add(adHoc('ad-hoc-a', at(25, 2), at(25, 4), { checks: ['epr-login'] }));
    await store.maintenance.add(adHoc('ad-hoc-b', at(25, 5), at(25, 7), { sites: ['marsh-lane'] }));
    const windows = await allWindows(estate, store.maintenance, at(25, 0), at(26, 0));
    const marsh = { id: 'marsh-lane', tags: [] };
    const annes = { id: 'st-annes', tags: [] };
    // At st-annes: the EPR upgrade (to 03:00) and the ad hoc window on the check (to 04:00), as one.
    expect(maintenanceOf(windows, { check, site: annes })).toEqual([{ from: at(25, 0), to: at(25, 4) }]);
    // At marsh-lane as well: its own ad hoc window and the patching, 05:00 to 08:00.
    expect(maintenanceOf(windows, { check, site: marsh })).toEqual([
      { from: at(25, 0), to: at(25, 4) },
      { from: at(25, 5), to: at(25, 8) },
    ]);
  });

  it('reads an ended window as it was ended, and no store windows with no estate', async () => {
    await store.maintenance.add(adHoc('ad-hoc-a', at(25, 2), at(25, 4), { checks: ['epr-login'] }));
    await store.maintenance.end('ad-hoc-a', at(25, 2, 47), 'cli:ops');
    const windows = await allWindows(undefined, store.maintenance, at(25, 0), at(26, 0));
    expect(windows.map((w) => [w.id, w.spans])).toEqual([
      ['ad-hoc-a', [{ from: at(25, 2), to: at(25, 2, 47) }]],
    ]);
  });
});
