import type { RequestListener } from 'node:http';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, londonDayOf } from '../../common/calendar.js';
import { silentLogger } from '../../common/logger.js';
import { everyPlan } from '../../runs/plan.js';
import type { RunRecord } from '../../runs/record.js';
import { createApp } from '../../server/api/app.js';
import { pruneOnce } from '../../server/results/retention.js';
import { londonDayStart } from '../../server/results/window.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { asAdmin } from '../helpers/as-admin.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const now = Date.UTC(2026, 10, 2, 12, 0, 0);
const MINUTE = 60_000;

function run(minutesAgo: number, vantagePoint: string, state: RunRecord['state'], totalMs = 200): RunRecord {
  return {
    checkId: 'epr-login',
    vantagePoint,
    startedAt: now - minutesAgo * MINUTE,
    state,
    phases:
      state === 'skipped'
        ? null
        : { dnsMs: 2, connectMs: 3, tlsMs: 10, ttfbMs: totalMs - 20, transferMs: 5, totalMs },
    ...(state === 'fail'
      ? { error: { class: 'http_status' as const, message: 'status 503, expected 200' }, status: 503 }
      : { status: 200 }),
  };
}

describe('checks API', () => {
  let store: SqliteStores;
  let app: RequestListener;

  beforeEach(async () => {
    store = SqliteStores.open(join(tmp(), 'checks.db'));
    await store.estate.syncEstate(estateFrom(smallEstateYaml), now - 3 * 86_400_000);
    const runs: RunRecord[] = [];
    for (let m = 0; m < 180; m++) {
      runs.push(run(m, 'st-annes', m % 20 === 0 ? 'fail' : 'ok', 100 + m));
      runs.push(run(m, 'marsh-lane', m % 10 === 0 ? 'degraded' : 'ok', 400 + m));
    }
    await store.results.recordRuns(runs);
    app = await asAdmin(createApp({ store, clock: { now: () => now }, logger: silentLogger }), store);
  });
  afterEach(async () => {
    await store.close();
  });

  it('lists checks with the latest result at each vantage point', async () => {
    const { body } = await request(app).get('/api/v1/checks').expect(200);
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({ id: 'epr-login', system: 'epr', from: ['st-annes', 'marsh-lane'] });
    expect(body.items[0].latest.map((l: { vantagePoint: string }) => l.vantagePoint).sort()).toEqual([
      'marsh-lane',
      'st-annes',
    ]);
    const stAnnes = body.items[0].latest.find((l: { vantagePoint: string }) => l.vantagePoint === 'st-annes');
    expect(stAnnes.result).toMatchObject({
      state: 'fail',
      ok: false,
      startedAt: new Date(now).toISOString(),
      status: 503,
    });
  });

  it('shows one check, and a 404 naming an unknown one', async () => {
    expect((await request(app).get('/api/v1/checks/epr-login').expect(200)).body.latest).toHaveLength(2);
    const missing = await request(app).get('/api/v1/checks/epr-logn').expect(404);
    expect(missing.body.error).toEqual({ code: 'not_found', message: "no check with id 'epr-logn'" });
  });

  it('pages raw results newest first, by vantage point and time', async () => {
    const first = await request(app)
      .get('/api/v1/checks/epr-login/results?limit=5&vantagePoint=st-annes')
      .expect(200);
    expect(first.body.items.map((r: { startedAt: string }) => r.startedAt)).toEqual(
      [0, 1, 2, 3, 4].map((m) => new Date(now - m * MINUTE).toISOString()),
    );
    expect(first.body.items[0]).toMatchObject({
      checkId: 'epr-login',
      vantagePoint: 'st-annes',
      ok: false,
      error: { class: 'http_status' },
    });
    expect(first.body.next).toBe(new Date(now - 4 * MINUTE).toISOString());
    const second = await request(app)
      .get(`/api/v1/checks/epr-login/results?limit=5&vantagePoint=st-annes&to=${first.body.next}`)
      .expect(200);
    expect(second.body.items[0].startedAt).toBe(new Date(now - 5 * MINUTE).toISOString());
    const window = await request(app)
      .get(
        `/api/v1/checks/epr-login/results?from=${new Date(now - 10 * MINUTE).toISOString()}&to=${new Date(now - 5 * MINUTE).toISOString()}`,
      )
      .expect(200);
    expect(window.body.items).toHaveLength(10); // five minutes, two vantage points
  });

  it('refuses bad queries with a 400 naming the parameter', async () => {
    const badTime = await request(app).get('/api/v1/checks/epr-login/results?from=yesterday').expect(400);
    expect(badTime.body.error.message).toMatch(/query parameter 'from': must be an ISO 8601 time/);
    const badWindow = await request(app).get('/api/v1/checks/epr-login/summary?window=2w').expect(400);
    expect(badWindow.body.error.message).toMatch(/query parameter 'window'/);
    expect(badWindow.body.error.message).toMatch(/24h/);
    await request(app).get('/api/v1/checks/epr-login/results?limit=0').expect(400);
  });

  it('summarises a window from rollups: counts, availability and percentiles, per vantage point', async () => {
    const { body } = await request(app).get('/api/v1/checks/epr-login/summary?window=24h').expect(200);
    expect(body).toMatchObject({ checkId: 'epr-login', window: '24h', source: 'hourly' });
    expect(body.overall.runs).toBe(360);
    expect(body.overall.counts).toEqual({ ok: 333, degraded: 18, fail: 9, skipped: 0 });
    expect(body.overall.availability).toBeCloseTo(351 / 360, 6);
    const stAnnes = body.vantagePoints.find((v: { vantagePoint: string }) => v.vantagePoint === 'st-annes');
    expect(stAnnes.availability).toBeCloseTo(171 / 180, 6);
    expect(stAnnes.totalMs).toEqual({ min: 100, mean: 189.5, max: 279 });
    // p95 of 100…279 is 270: the histogram's answer is within its ±9.5% resolution.
    expect(Math.abs(stAnnes.phases.totalMs.p95 / 270 - 1)).toBeLessThan(0.095);
    const year = await request(app).get('/api/v1/checks/epr-login/summary?window=365d').expect(200);
    expect(year.body.source).toBe('daily');
    expect(year.body.overall.counts).toEqual(body.overall.counts);
    // The state now at each place, beside the figures, so pages need not fetch the check as well.
    expect(body.states).toEqual([
      { vantagePoint: 'st-annes', state: 'fail', lastRunAt: new Date(now).toISOString() },
      { vantagePoint: 'marsh-lane', state: 'degraded', lastRunAt: new Date(now).toISOString() },
    ]);
  });

  it('gives a series per hour for charts, overall and per vantage point', async () => {
    const { body } = await request(app).get('/api/v1/checks/epr-login/series?window=24h').expect(200);
    expect(body.source).toBe('hourly');
    expect(body.items.map((p: { at: string }) => p.at)).toEqual(
      ['09', '10', '11', '12'].map((h) => `2026-11-02T${h}:00:00.000Z`),
    );
    expect(body.items.reduce((n: number, p: { runs: number }) => n + p.runs, 0)).toBe(360);
    expect(body.items[3]).toMatchObject({
      runs: 2,
      counts: { ok: 0, degraded: 1, fail: 1, skipped: 0 },
      availability: 0.5,
    });
    expect(body.items[0].phases.ttfbMs.p50).toBeGreaterThan(0);
    expect(body.vantagePoints.map((v: { vantagePoint: string }) => v.vantagePoint).sort()).toEqual([
      'marsh-lane',
      'st-annes',
    ]);
  });
});

describe('year-wide summary once raw runs are pruned', () => {
  let store: SqliteStores;
  afterEach(async () => {
    await store.close();
  });

  it('counts the runs a vantage point missed from its first run, not from the oldest run kept', async () => {
    // Hourly from one site for 300 days, silent for 10 of them long ago; raw runs are kept 35 days.
    const yaml = smallEstateYaml
      .replace('every: 1m', 'every: 1h')
      .replace('[st-annes, marsh-lane]', '[st-annes]');
    const estate = estateFrom(yaml);
    store = SqliteStores.open(join(tmp(), 'year.db'));
    await store.estate.syncEstate(estate, now - 400 * DAY_MS);
    const plan = everyPlan('epr-login', HOUR_MS);
    const firstDay = londonDayOf(now - 300 * DAY_MS);
    const silence = { from: now - 200 * DAY_MS, to: now - 190 * DAY_MS };
    const runs: RunRecord[] = [];
    let missed = 0;
    for (let at = plan(londonDayStart(firstDay) - 1); at <= now; at = plan(at)) {
      if (at >= silence.from && at < silence.to) missed += 1;
      else
        runs.push({
          checkId: 'epr-login',
          vantagePoint: 'st-annes',
          startedAt: at,
          state: 'ok',
          phases: null,
        });
    }
    for (let i = 0; i < runs.length; i += 1000) await store.results.recordRuns(runs.slice(i, i + 1000));
    expect((await pruneOnce(store.results, estate, now)).raw).toBeGreaterThan(6000);
    const app = await asAdmin(createApp({ store, clock: { now: () => now }, logger: silentLogger }), store);

    const { body } = await request(app).get('/api/v1/checks/epr-login/summary?window=365d').expect(200);
    expect(missed).toBe(240);
    expect(body.vantagePoints).toEqual([
      expect.objectContaining({
        vantagePoint: 'st-annes',
        runs: runs.length,
        expected: runs.length + missed,
        unknown: missed,
      }),
    ]);
  });
});
