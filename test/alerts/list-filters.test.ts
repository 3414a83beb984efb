import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../runs/record.js';
import { createApp } from '../../server/api/app.js';
import { apiTokenFor } from '../helpers/as-admin.js';
import { useTmpDir } from '../helpers/tmp.js';
import {
  type AlertsFixture,
  ackKey,
  CHECKS,
  MINUTE,
  minutes,
  openAlerts,
  quietLogger,
  SITES,
  T0,
} from './fixture.js';

/**
 * The list of incidents, filtered by check, system, site, organisation and time in its query. Three
 * incidents on one real database: the EPR failing everywhere (minutes 0–3, then resolved), Marsh Lane's
 * link down for every system there (minute 10 on, still open), and the shared care record's API failing
 * at St Anne's only (minute 20 on, still open).
 */
const tmp = useTmpDir();
let fixture: AlertsFixture;
let app: ReturnType<typeof createApp>;
let viewer: { Authorization: string };
const ids = { epr: '', marshLane: '', stAnnes: '' };
const iso = (minute: number) => new Date(T0 + minute * MINUTE).toISOString();

/** Runs minute by minute, as the sites' agents would send them. */
async function each(f: AlertsFixture, runs: RunRecord[]) {
  const byMinute = new Map<number, RunRecord[]>();
  for (const r of runs) byMinute.set(r.startedAt, [...(byMinute.get(r.startedAt) ?? []), r]);
  for (const [, batch] of [...byMinute].sort((a, b) => a[0] - b[0])) await f.push(batch);
}

beforeAll(async () => {
  fixture = await openAlerts(tmp());
  const all = ['epr-login', 'email-web', 'shared-record', 'scr-api'];
  const notMarsh = SITES.filter((s) => s !== 'marsh-lane');
  await each(fixture, [
    ...minutes(['epr-login'], SITES, 0, 3, false),
    ...minutes(['epr-login'], SITES, 3, 5, true),
  ]);
  await each(fixture, [
    ...minutes(CHECKS, ['marsh-lane'], 10, 24, false),
    ...minutes(all, notMarsh, 10, 24, true),
  ]);
  await each(fixture, [
    ...minutes(['scr-api'], ['st-annes'], 24, 27, false),
    ...minutes(['scr-api'], ['canal-street', 'marsh-lane'], 24, 27, true),
  ]);
  const made = await fixture.store.incidents.list({ state: 'all', limit: 10 });
  expect(made.map((i) => i.grouping)).toEqual(['site:st-annes', 'site:marsh-lane', 'system:epr']);
  const grouped = new Map(made.map((i) => [i.grouping, i.id]));
  ids.epr = grouped.get('system:epr') ?? '';
  ids.marshLane = grouped.get('site:marsh-lane') ?? '';
  ids.stAnnes = grouped.get('site:st-annes') ?? '';
  app = createApp({
    store: fixture.store,
    clock: fixture.timers,
    logger: quietLogger,
    estate: () => fixture.estate,
    alerts: { ackKey },
  });
  viewer = { Authorization: `Bearer ${await apiTokenFor(fixture.store, 'viewer')}` };
});
afterAll(async () => {
  await fixture.close();
});

async function listed(query: string): Promise<string[]> {
  const answer = await request(app).get(`/api/v1/alerts?${query}`).set(viewer);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.items.map((i: { id: string }) => i.id);
}

async function refused(query: string): Promise<string> {
  const answer = await request(app).get(`/api/v1/alerts?${query}`).set(viewer);
  expect(answer.status).toBe(400);
  expect(answer.body.error.code).toBe('invalid');
  return answer.body.error.message;
}

describe('listing incidents with filters', () => {
  it('has the three incidents the scene makes, open ones first', async () => {
    expect(ids.epr && ids.marshLane && ids.stAnnes).toBeTruthy();
    expect(await listed('state=all')).toEqual([ids.stAnnes, ids.marshLane, ids.epr]);
    expect(await listed('')).toEqual([ids.stAnnes, ids.marshLane]);
  });

  it('keeps the incidents that cover a check, whoever they were for', async () => {
    expect(await listed('state=all&check=epr-login')).toEqual([ids.marshLane, ids.epr]);
    expect(await listed('state=all&check=scr-api')).toEqual([ids.stAnnes]);
    expect(await listed('check=epr-login')).toEqual([ids.marshLane]);
  });

  it("keeps a system's own incidents and a site's that its checks are part of", async () => {
    expect(await listed('state=all&system=epr')).toEqual([ids.marshLane, ids.epr]);
    expect(await listed('state=all&system=shared-record')).toEqual([ids.stAnnes, ids.marshLane]);
    expect(await listed('state=all&system=email')).toEqual([ids.marshLane]);
  });

  it("keeps a site's own incidents and those seen from it", async () => {
    expect(await listed('state=all&site=marsh-lane')).toEqual([ids.marshLane, ids.epr]);
    expect(await listed('state=all&site=st-annes')).toEqual([ids.stAnnes, ids.epr]);
    expect(await listed('state=all&site=north-wing')).toEqual([ids.epr]);
  });

  it('keeps the organisation responsible', async () => {
    expect(await listed('state=all&organisation=riverside')).toEqual([ids.stAnnes, ids.epr]);
    expect(await listed('state=all&organisation=eastfield')).toEqual([ids.marshLane]);
    expect(await listed('state=all&organisation=canal-gp')).toEqual([]);
  });

  it('keeps the incidents that touched the period between since and until', async () => {
    // The EPR's resolved at minute 4 (its second run up).
    expect(await listed(`state=all&since=${iso(6)}`)).toEqual([ids.stAnnes, ids.marshLane]);
    expect(await listed(`state=all&since=${iso(4)}`)).toEqual([ids.stAnnes, ids.marshLane, ids.epr]);
    expect(await listed(`state=all&until=${iso(5)}`)).toEqual([ids.epr]);
    expect(await listed(`state=all&since=${iso(6)}&until=${iso(15)}`)).toEqual([ids.marshLane]);
    expect(await listed(`since=${iso(6)}&until=${iso(15)}&organisation=riverside`)).toEqual([]);
    // London time, as the maintenance list takes it (November: UTC).
    expect(await listed('state=all&until=2026-11-24T09:45')).toEqual([ids.epr]);
  });

  it('filters before it counts: the limit keeps the newest that match', async () => {
    expect(await listed('state=all&limit=1')).toEqual([ids.stAnnes]);
    expect(await listed('state=all&check=epr-login&organisation=riverside&limit=1')).toEqual([ids.epr]);
    expect(await listed('state=all&site=north-wing&system=epr&limit=1')).toEqual([ids.epr]);
  });

  it('refuses what it cannot read with a 400 naming the parameter', async () => {
    expect(await refused('check=nope')).toBe("query parameter 'check': no check with id 'nope'");
    expect(await refused('system=epr-login')).toBe("query parameter 'system': no system with id 'epr-login'");
    expect(await refused('site=server')).toBe("query parameter 'site': no site with id 'server'");
    expect(await refused('organisation=__proto__')).toContain("query parameter 'organisation'");
    expect(await refused('since=yesterday')).toContain("query parameter 'since': not a time");
    expect(await refused('until=2026-02-30T10:00')).toContain("query parameter 'until'");
    expect(await refused(`since=${iso(10)}&until=${iso(5)}`)).toBe("query parameter 'until': before 'since'");
    expect(await refused('limit=0')).toContain("query parameter 'limit'");
    expect(await refused('limit=501')).toContain("query parameter 'limit'");
    expect(await refused('limit=1e2')).toContain("query parameter 'limit'");
    expect(await refused('check=epr-login&check=email-web')).toContain("query parameter 'check'");
    expect(await refused('state=closed')).toContain("query parameter 'state'");
    expect(await refused('sites=marsh-lane')).toContain("unknown query parameter 'sites'");
  });
});
