import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import { parseEstate } from '../../server/config/load.js';
import { dueAt, ReportSchedule } from '../../server/reports/schedule.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';
import { ManualTimers } from '../helpers/manual-timers.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('the first-of-the-month reports', () => {
  let store: SqliteStores;
  let timers: ManualTimers;
  let schedule: ReportSchedule;

  const start = (at: number, settings = '') => {
    timers = new ManualTimers(at);
    schedule = new ReportSchedule({
      store: store.reports,
      sources: { results: store.results, maintenance: store.maintenance, survey: store.survey },
      timers,
      logger: silentLogger,
    });
    schedule.apply(estateFrom(`${smallEstateYaml}${settings}`));
    schedule.start();
  };
  const ids = async () =>
    (await store.reports.list()).map((r) => [r.id, r.createdBy, new Date(r.createdAt).toISOString()]);

  beforeEach(() => {
    store = SqliteStores.open(join(tmp(), 'schedule.db'));
  });
  afterEach(async () => {
    await schedule.stop();
    await store.close();
  });

  it('makes the month before once, shortly after London midnight on the 1st, and never again', async () => {
    // 23:00 on 30 November (GMT): looks at 23:01, then every 15 minutes.
    start(Date.UTC(2026, 10, 30, 23, 0));
    await timers.advance(61 * MINUTE); // 00:01 on 1 December: too soon after midnight
    expect(await ids()).toEqual([]);
    await timers.advance(15 * MINUTE); // 00:16
    expect(await ids()).toEqual([['2026-11', 'schedule', '2026-12-01T00:16:00.000Z']]);
    await timers.advance(30 * HOUR); // the rest of the 1st and into the 2nd
    expect(await ids()).toEqual([['2026-11', 'schedule', '2026-12-01T00:16:00.000Z']]);
  });

  it('in summer time, goes by London midnight (23:00 UTC), and adds the quarter when settings ask', async () => {
    start(Date.UTC(2026, 5, 30, 22, 50), 'settings: { reports: { quarterly: true } }\n');
    await timers.advance(HOUR); // looks at 22:51, 23:06 (00:06 BST on 1 July)
    expect((await ids()).map((r) => r[0])).toEqual(['2026-Q2', '2026-06']);
  });

  it('makes none when monthly is off, and leaves a report already there as it is', async () => {
    start(Date.UTC(2026, 10, 30, 23, 0), 'settings: { reports: { monthly: false } }\n');
    await timers.advance(3 * HOUR);
    expect(await ids()).toEqual([]);
    expect(await schedule.runOnce()).toEqual([]);
  });

  it('says which reports are due at an instant', () => {
    expect(dueAt(Date.UTC(2027, 0, 1, 0, 4), {})).toEqual([]);
    expect(dueAt(Date.UTC(2027, 0, 1, 0, 5), { quarterly: true })).toEqual([
      { kind: 'month', period: '2026-12' },
      { kind: 'quarter', period: '2026-Q4' },
    ]);
    expect(dueAt(Date.UTC(2026, 1, 1, 9), { quarterly: true })).toEqual([
      { kind: 'month', period: '2026-01' },
    ]);
    expect(dueAt(Date.UTC(2026, 1, 2, 9), undefined)).toEqual([]);
  });

  it('refuses settings that are not switches, where they are written', () => {
    const result = parseEstate(
      `${smallEstateYaml}settings: { reports: { monthly: 'yes', weekly: true } }\n`,
      'estate.yaml',
      {},
    );
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors.map((e) => `${e.line}:${e.col}: ${e.message}`)).toEqual([
        expect.stringMatching(/^18:\d+: settings\.reports\.monthly: /),
        expect.stringMatching(/^18:\d+: settings\.reports.*weekly/),
      ]);
  });
});
