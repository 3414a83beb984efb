import { join } from 'node:path';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/api/app.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { apiTokenFor } from '../helpers/as-admin.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';
import { signedIn } from '../helpers/sessions.js';
import { useTmpDir } from '../helpers/tmp.js';

/**
 * The small estate (riverside owns epr and hosts st-annes; eastfield hosts marsh-lane) with eastfield's
 * own system, a tag, and two file windows around the October change (London: 2026-10-25 02:00 BST is
 * 01:00 GMT).
 */
const yaml = smallEstateYaml
  .replace(
    '  - { id: marsh-lane, name: Marsh Lane Centre, host: eastfield }',
    '  - { id: marsh-lane, name: Marsh Lane Centre, host: eastfield, tags: [north] }',
  )
  .replace(
    '  - { id: epr, name: Electronic patient record, owner: riverside }',
    '  - { id: epr, name: Electronic patient record, owner: riverside }\n  - { id: pas, name: Patient administration, owner: eastfield }',
  )
  .concat(`maintenance:
  - { id: epr-upgrade, title: EPR upgrade, start: 2026-10-24T22:00, end: 2026-10-25T03:00, scope: { systems: [epr] } }
  - { id: sunday-patching, title: Sunday patching, cron: "0 6 * * 0", duration: 2h, scope: { sites: [marsh-lane] } }
`);

const tmp = useTmpDir();
/** Saturday 2026-10-24 12:00 UTC (13:00 BST), the day before the clocks go back. */
const saturdayNoon = Date.UTC(2026, 9, 24, 12, 0);
let now = saturdayNoon;
let store: SqliteStores;
let app: ReturnType<typeof createApp>;
let tokens: Record<'admin' | 'viewer' | 'riverside' | 'eastfield', string>;

beforeEach(async () => {
  now = saturdayNoon;
  store = SqliteStores.open(join(tmp(), 'maintenance.db'));
  const estate = estateFrom(yaml);
  await store.estate.syncEstate(estate, now);
  const logger = { info() {}, warn() {}, error: (m: string) => expect.fail(`logged an error: ${m}`) };
  app = createApp({ store, clock: { now: () => now }, logger, estate: () => estate });
  tokens = {
    admin: await apiTokenFor(store, 'admin'),
    viewer: await apiTokenFor(store, 'viewer'),
    riverside: await apiTokenFor(store, 'partner', ['riverside']),
    eastfield: await apiTokenFor(store, 'partner', ['eastfield']),
  };
});
afterEach(async () => {
  await store.close();
});

const add = (who: keyof typeof tokens, body: unknown) =>
  request(app)
    .post('/api/v1/maintenance')
    .set('Authorization', `Bearer ${tokens[who]}`)
    .send(body as object);
const end = (who: keyof typeof tokens, id: string) =>
  request(app).post(`/api/v1/maintenance/${id}/end`).set('Authorization', `Bearer ${tokens[who]}`);
const list = (query = '') =>
  request(app).get(`/api/v1/maintenance${query}`).set('Authorization', `Bearer ${tokens.viewer}`);
const stored = () => store.maintenance.overlapping(0, Date.UTC(2100, 0, 1));
const audited = async (action: string) => store.access.auditLog({ action, limit: 10 });

const eprWork = {
  title: 'EPR hotfix',
  start: '2026-10-24T14:00',
  end: '2026-10-24T16:00',
  scope: { systems: ['epr'] },
};

describe('adding an ad hoc maintenance window', () => {
  it('reads London times across the October change: 00:30 is BST, 01:30 (passed twice) the second, GMT one', async () => {
    const res = await add('admin', { ...eprWork, start: '2026-10-25T00:30', end: '2026-10-25T01:30' });
    expect(res.status).toBe(201);
    // 00:30 BST = 23:30 UTC the day before; 01:30 GMT = 01:30 UTC: two hours, not one.
    expect(res.body).toMatchObject({
      source: 'ad-hoc',
      start: '2026-10-24T23:30:00.000Z',
      end: '2026-10-25T01:30:00.000Z',
      occurrences: [{ from: '2026-10-24T23:30:00.000Z', to: '2026-10-25T01:30:00.000Z' }],
      scope: { systems: ['epr'] },
      createdBy: expect.stringMatching(/^token:/),
      endedAt: null,
    });
    // The first 01:30 (BST) is said with its offset: 00:30 UTC.
    const first = await add('admin', {
      ...eprWork,
      start: '2026-10-25T01:30+01:00',
      end: '2026-10-25T01:30Z',
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ start: '2026-10-25T00:30:00.000Z', end: '2026-10-25T01:30:00.000Z' });
    const rows = await stored();
    expect(rows.map((w) => [w.start, w.end])).toEqual([
      [Date.UTC(2026, 9, 24, 23, 30), Date.UTC(2026, 9, 25, 1, 30)],
      [Date.UTC(2026, 9, 25, 0, 30), Date.UTC(2026, 9, 25, 1, 30)],
    ]);
    const entries = await audited('maintenance-added');
    expect(entries).toHaveLength(2);
    expect(entries.find((e) => e.subject === `maintenance:${res.body.id}`)?.detail).toEqual({
      title: 'EPR hotfix',
      start: '2026-10-24T23:30:00.000Z',
      end: '2026-10-25T01:30:00.000Z',
      scope: { systems: ['epr'] },
    });
  });

  it('lets a partner of the owner add a window on its system and its site, and refuses the others by name', async () => {
    expect((await add('riverside', eprWork)).status).toBe(201);
    expect(
      (await add('riverside', { ...eprWork, scope: { sites: ['st-annes'], checks: ['epr-login'] } })).status,
    ).toBe(201);

    const other = await add('eastfield', eprWork);
    expect(other.status).toBe(403);
    expect(other.body.error.message).toContain("system 'epr' (owner riverside)");
    expect(other.body.error.message).toContain('you act for eastfield');
    expect(other.body.error.details.missing).toEqual(["system 'epr' (owner riverside)"]);

    // Every thing in scope must be theirs: one site of another's is enough to refuse the whole window.
    const mixed = await add('riverside', { ...eprWork, scope: { systems: ['epr'], sites: ['marsh-lane'] } });
    expect(mixed.status).toBe(403);
    expect(mixed.body.error.details.missing).toEqual(["site 'marsh-lane' (host eastfield)"]);
    const check = await add('eastfield', { ...eprWork, scope: { checks: ['epr-login'] } });
    expect(check.status).toBe(403);
    expect(check.body.error.details.missing).toEqual(["check 'epr-login' (system epr, owner riverside)"]);

    // A tag may reach anyone's checks: admins only.
    const tagged = await add('eastfield', { ...eprWork, scope: { tags: ['north'] } });
    expect(tagged.status).toBe(403);
    expect(tagged.body.error.message).toContain('needs the admin role');
    expect((await add('admin', { ...eprWork, scope: { tags: ['north'] } })).status).toBe(201);

    const viewer = await add('viewer', eprWork);
    expect(viewer.status).toBe(403);
    expect(viewer.body.error.details).toMatchObject({ have: 'viewer' });
    expect((await request(app).post('/api/v1/maintenance').send(eprWork)).status).toBe(401);
    expect((await stored()).map((w) => w.createdBy.startsWith('token:'))).toEqual([true, true, true]);
  });

  it('takes a signed-in partner with the session’s CSRF value, and refuses the cookie without it', async () => {
    const partner = await signedIn(store, 'partner', ['eastfield'], { now });
    const body = { ...eprWork, scope: { systems: ['pas'], sites: ['marsh-lane'] } };
    const without = await request(app).post('/api/v1/maintenance').set('Cookie', partner.cookie).send(body);
    expect(without.status).toBe(403);
    const res = await request(app)
      .post('/api/v1/maintenance')
      .set('Cookie', partner.cookie)
      .set('X-CSRF-Token', partner.csrf)
      .send(body);
    expect(res.status).toBe(201);
    expect(res.body.createdBy).toBe(partner.user.email);
    const viewer = await signedIn(store, 'viewer', [], { now });
    const refused = await request(app)
      .post('/api/v1/maintenance')
      .set('Cookie', viewer.cookie)
      .set('X-CSRF-Token', viewer.csrf)
      .send(body);
    expect(refused.status).toBe(403);
    expect(await stored()).toHaveLength(1);
  });

  it('answers each mistake with a 400 naming the field, and stores nothing', async () => {
    const cases: [unknown, string, string][] = [
      [{ ...eprWork, start: 'tomorrow' }, "field 'start'", "'tomorrow' is not a time"],
      [{ ...eprWork, start: '2026-02-30T10:00' }, "field 'start'", 'is not a time'],
      [{ ...eprWork, end: '2026-10-24T14:00' }, "field 'end'", 'is not after start'],
      // Now is 13:00 BST: 12:40 is 20 minutes ago, too long; 12:50 (below) is allowed.
      [
        { ...eprWork, start: '2026-10-24T12:40' },
        "field 'start'",
        '2026-10-24T11:40:00.000Z is more than 15 minutes ago',
      ],
      // 14:00 BST to 14:00 GMT a week on is 169 hours: the clocks went back between.
      [{ ...eprWork, end: '2026-10-31T14:00' }, "field 'end'", 'at most 7 days long; this one is 169.0 h'],
      [
        { ...eprWork, scope: { systems: ['eprr'] } },
        "field 'scope.systems'",
        "no system 'eprr' (did you mean 'epr'?)",
      ],
      [{ ...eprWork, scope: { sites: ['nowhere'] } }, "field 'scope.sites'", "no site 'nowhere'"],
      [{ ...eprWork, scope: { tags: ['south'] } }, "field 'scope.tags'", "no tag 'south'"],
      [{ ...eprWork, scope: {} }, "field 'scope'", 'give systems, sites, checks or tags'],
      [{ ...eprWork, scope: { systems: [] } }, "field 'scope'", 'give systems, sites, checks or tags'],
      [{ ...eprWork, title: '' }, "field 'title'", 'must not be empty'],
      [{ ...eprWork, colour: 'red' }, "field 'colour'", ''],
      [{ ...eprWork, scope: { system: ['epr'] } }, "unknown field 'system'", ''],
    ];
    for (const [body, field, words] of cases) {
      const res = await add('admin', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message).toContain(field);
      expect(res.body.error.message).toContain(words);
    }
    // Exactly seven days (168 hours) is allowed: to 13:00 GMT.
    expect((await add('admin', { ...eprWork, end: '2026-10-31T13:00' })).status).toBe(201);
    expect((await add('admin', { ...eprWork, start: '2026-10-24T12:50' })).status).toBe(201);
    expect(await stored()).toHaveLength(2);
  });
});

describe('listing maintenance windows', () => {
  it('lists the file windows and the ad hoc ones together, with their time in the period and the ones coming up', async () => {
    const added = await add('riverside', eprWork);
    expect(added.status).toBe(201);
    // Saturday 00:00 BST to Monday 00:00 GMT, London time: 49 hours across the change.
    const res = await list('?from=2026-10-24T00:00&to=2026-10-26T00:00');
    expect(res.status).toBe(200);
    expect(res.body.period).toEqual({ from: '2026-10-23T23:00:00.000Z', to: '2026-10-26T00:00:00.000Z' });
    const brief = (items: { id: string; source: string; occurrences: unknown }[]) =>
      items.map(({ id, source, occurrences }) => ({ id, source, occurrences }));
    const expected = [
      // 22:00 BST to 03:00 GMT: six hours, not five.
      {
        id: 'epr-upgrade',
        source: 'file',
        occurrences: [{ from: '2026-10-24T21:00:00.000Z', to: '2026-10-25T03:00:00.000Z' }],
      },
      // Sunday 06:00, now GMT.
      {
        id: 'sunday-patching',
        source: 'file',
        occurrences: [{ from: '2026-10-25T06:00:00.000Z', to: '2026-10-25T08:00:00.000Z' }],
      },
      {
        id: added.body.id,
        source: 'ad-hoc',
        occurrences: [{ from: '2026-10-24T13:00:00.000Z', to: '2026-10-24T15:00:00.000Z' }],
      },
    ];
    expect(brief(res.body.items)).toEqual(expected);
    expect(res.body.items[1].file).toEqual({ cron: '0 6 * * 0', duration: '2h' });
    // From now (Saturday 12:00 UTC) for 7 days: the same three.
    expect(res.body.upcoming).toMatchObject({
      from: '2026-10-24T12:00:00.000Z',
      to: '2026-10-31T12:00:00.000Z',
    });
    expect(brief(res.body.upcoming.items)).toEqual(expected);
    // On Monday, only the next Sunday's patching is to come.
    now = Date.UTC(2026, 9, 26, 12, 0);
    expect(brief((await list()).body.upcoming.items)).toEqual([
      {
        id: 'sunday-patching',
        source: 'file',
        occurrences: [{ from: '2026-11-01T06:00:00.000Z', to: '2026-11-01T08:00:00.000Z' }],
      },
    ]);

    // A week earlier, the patching was at 06:00 BST (05:00 UTC); the ad hoc window is not in that period.
    const before = await list('?from=2026-10-18T00:00&to=2026-10-19T00:00');
    expect(brief(before.body.items)).toEqual([
      { id: 'epr-upgrade', source: 'file', occurrences: [] },
      {
        id: 'sunday-patching',
        source: 'file',
        occurrences: [{ from: '2026-10-18T05:00:00.000Z', to: '2026-10-18T07:00:00.000Z' }],
      },
    ]);
  });

  it('refuses a bad period with a 400 naming the parameter', async () => {
    for (const [query, words] of [
      ['?from=yesterday', "query parameter 'from'"],
      ['?from=2026-10-24T00:00&to=2026-10-23T00:00', "query parameter 'to': not after 'from'"],
      ['?from=2025-01-01T00:00Z&to=2026-10-24T00:00Z', 'at most 366 days'],
      ['?since=2026-10-24T00:00', "query parameter 'since'"],
    ] as const) {
      const res = await list(query);
      expect(res.status, query).toBe(400);
      expect(res.body.error.message).toContain(words);
    }
  });
});

describe('ending an ad hoc maintenance window', () => {
  it('ends it at the clock’s now, for the admin or a partner of what it covers, and says so in the audit log', async () => {
    const added = await add('admin', eprWork);
    const id = added.body.id as string;
    now = Date.UTC(2026, 9, 24, 13, 47);
    const refused = await end('eastfield', id);
    expect(refused.status).toBe(403);
    expect(refused.body.error.details.missing).toEqual(["system 'epr' (owner riverside)"]);
    expect((await end('viewer', id)).status).toBe(403);

    const res = await end('riverside', id);
    expect(res.status).toBe(200);
    // 14:00 BST was 13:00 UTC; ended at 13:47 UTC: 47 minutes of maintenance.
    expect(res.body).toMatchObject({
      start: '2026-10-24T13:00:00.000Z',
      end: '2026-10-24T13:47:00.000Z',
      endedAt: '2026-10-24T13:47:00.000Z',
      endedBy: expect.stringMatching(/^token:/),
      occurrences: [{ from: '2026-10-24T13:00:00.000Z', to: '2026-10-24T13:47:00.000Z' }],
    });
    const listed = await list('?from=2026-10-24T00:00Z&to=2026-10-25T00:00Z');
    expect(listed.body.items.find((w: { id: string }) => w.id === id).occurrences).toEqual([
      { from: '2026-10-24T13:00:00.000Z', to: '2026-10-24T13:47:00.000Z' },
    ]);
    const [entry] = await audited('maintenance-ended');
    expect(entry).toMatchObject({
      at: now,
      subject: `maintenance:${id}`,
      detail: {
        title: 'EPR hotfix',
        end: '2026-10-24T13:47:00.000Z',
        plannedEnd: '2026-10-24T15:00:00.000Z',
      },
    });

    const again = await end('admin', id);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('already ended');
  });

  it('says a file window is changed in the estate file (409), an unknown one is not found, and one over is over', async () => {
    const file = await end('admin', 'epr-upgrade');
    expect(file.status).toBe(409);
    expect(file.body.error.message).toContain('edit the file');
    expect((await end('admin', 'no-such-window')).status).toBe(404);
    const added = await add('admin', eprWork);
    now = Date.UTC(2026, 9, 24, 15, 0);
    const over = await end('admin', added.body.id);
    expect(over.status).toBe(409);
    expect(over.body.error.message).toContain('already over');
    expect(await audited('maintenance-ended')).toEqual([]);
  });
});
