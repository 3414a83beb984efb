import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { ackToken } from '../../server/alerts/ack-link.js';
import { createApp } from '../../server/api/app.js';
import { apiTokenFor } from '../helpers/as-admin.js';
import { useTmpDir } from '../helpers/tmp.js';
import { type AlertsFixture, ackKey, MINUTE, minutes, openAlerts, quietLogger, SITES } from './fixture.js';

const tmp = useTmpDir();
let fixture: AlertsFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

/** Riverside's incident (epr failing everywhere), the app over the same database, and a caller of each kind. */
async function scene() {
  const f = await openAlerts(tmp());
  fixture = f;
  await f.push(minutes(['epr-login'], SITES, 0, 3, false));
  const [incident] = await f.store.incidents.list({ state: 'open', limit: 10 });
  if (!incident) throw new Error('no incident opened');
  const app = createApp({
    store: f.store,
    clock: f.timers,
    logger: quietLogger,
    estate: () => f.estate,
    alerts: { ackKey, acknowledged: (i) => f.subsystem.engine.acknowledged(i) },
  });
  const bearer = async (role: 'admin' | 'partner' | 'viewer', organisations: string[] = []) => ({
    Authorization: `Bearer ${await apiTokenFor(f.store, role, organisations)}`,
  });
  return {
    f,
    app,
    incident,
    admin: await bearer('admin'),
    riverside: await bearer('partner', ['riverside']),
    eastfield: await bearer('partner', ['eastfield']),
    viewer: await bearer('viewer'),
  };
}

describe('acknowledging an incident through the API', () => {
  it('lets a partner of the organisation responsible in, and refuses others with 403', async () => {
    const { f, app, incident, riverside, eastfield, viewer, admin } = await scene();
    const path = `/api/v1/alerts/${incident.id}/ack`;
    const other = await request(app).post(path).set(eastfield);
    expect(other.status).toBe(403);
    expect(other.body.error.message).toContain('riverside');
    expect((await request(app).post(path).set(viewer)).status).toBe(403);
    expect((await request(app).post(path)).status).toBe(401);
    const done = await request(app).post(path).set(riverside);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      id: incident.id,
      state: 'acknowledged',
      acknowledgedBy: expect.stringMatching(/^token:/),
    });
    expect(done.body.timeline.map((e: { kind: string }) => e.kind)).toContain('acknowledged');
    const again = await request(app).post(path).set(admin);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('already acknowledged');
    expect(f.notifier.to('riverside-it').map((m) => m.event)).toEqual(['opened', 'acknowledged']);
    expect(f.notifier.to('riverside-it')[1]?.alert.acknowledgedBy).toMatch(/^token:/);
    const audit = await f.store.access.auditLog({ action: 'alert.acknowledge', limit: 10 });
    expect(audit.map((a) => a.subject)).toEqual([incident.id]);
  });

  it('lets an admin in; 404 for an unknown alert, 409 once resolved', async () => {
    const { f, app, incident, admin } = await scene();
    expect((await request(app).post('/api/v1/alerts/424242/ack').set(admin)).status).toBe(404);
    expect((await request(app).post('/api/v1/alerts/not-a-number/ack').set(admin)).status).toBe(404);
    await f.push(minutes(['epr-login'], SITES, 3, 5, true));
    const resolved = await request(app).post(`/api/v1/alerts/${incident.id}/ack`).set(admin);
    expect(resolved.status).toBe(409);
    expect(resolved.body.error.message).toContain('resolved');
  });

  it('lists incidents with their timelines, open ones or all, for one organisation or every one', async () => {
    const { f, app, incident, viewer } = await scene();
    const open = await request(app).get('/api/v1/alerts?state=open').set(viewer);
    expect(open.status).toBe(200);
    expect(open.body.items).toHaveLength(1);
    expect(open.body.items[0]).toMatchObject({
      id: incident.id,
      state: 'open',
      responsible: {
        organisation: 'riverside',
        organisationName: 'Riverside Hospitals NHS Trust',
        role: 'owner',
      },
      sites: [...SITES].sort(),
    });
    expect(open.body.items[0].timeline.map((e: { kind: string }) => e.kind)).toEqual(['opened', 'notified']);
    expect(open.body.items[0].timeline[1].detail).toEqual({
      event: 'opened',
      channel: 'riverside-it',
      handedOver: true,
    });
    const theirs = await request(app).get('/api/v1/alerts?organisation=eastfield').set(viewer);
    expect(theirs.body.items).toEqual([]);
    await f.push(minutes(['epr-login'], SITES, 3, 5, true));
    expect((await request(app).get('/api/v1/alerts').set(viewer)).body.items).toEqual([]);
    const all = await request(app).get('/api/v1/alerts?state=all&organisation=riverside').set(viewer);
    expect(all.body.items.map((i: { state: string }) => i.state)).toEqual(['resolved']);
    const one = await request(app).get(`/api/v1/alerts/${incident.id}`).set(viewer);
    expect(one.body).toMatchObject({ id: incident.id, state: 'resolved', checks: ['epr-login'] });
    expect(one.body.series).toHaveLength(SITES.length);
    expect((await request(app).get('/api/v1/alerts/424242').set(viewer)).status).toBe(404);
    expect((await request(app).get(`/api/v1/alerts/${incident.id}`)).status).toBe(401);
    const bad = await request(app).get('/api/v1/alerts?state=closed').set(viewer);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('state');
  });
});

describe('acknowledging through the signed link in a message', () => {
  it('shows a confirm page, and acknowledges only when its button is pressed', async () => {
    const { f, app, incident } = await scene();
    const link = new URL(f.notifier.to('riverside-it')[0]?.alert.ackUrl as string);
    const page = await request(app).get(`${link.pathname}${link.search}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(incident.title);
    expect((await f.store.incidents.incident(incident.id))?.acknowledgedAt).toBeNull();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] as string;
    const cookie = (page.headers['set-cookie'] as unknown as string[])[0]?.split(';')[0] as string;
    const token = link.searchParams.get('token') as string;
    const posted = await request(app)
      .post(link.pathname)
      .set('Cookie', cookie)
      .type('form')
      .send({ _csrf: csrf, token });
    expect(posted.status).toBe(200);
    expect(posted.text).toContain('Alert acknowledged');
    expect(await f.store.incidents.incident(incident.id)).toMatchObject({ acknowledgedBy: 'signed link' });
    expect(f.notifier.to('riverside-it').map((m) => m.event)).toEqual(['opened', 'acknowledged']);
    const withoutForm = await request(app).post(link.pathname).type('form').send({ token });
    expect(withoutForm.status).toBe(403);
  });

  it('refuses a tampered link (400), one for another alert (400) and an expired one (410), with a page saying so', async () => {
    const { f, app, incident } = await scene();
    const now = f.timers.now();
    const good = ackToken(ackKey, incident.id, now + 3_600_000);
    const [expiry, mac] = good.split('.') as [string, string];
    const tampered = `${expiry}.${mac.startsWith('A') ? 'B' : 'A'}${mac.slice(1)}`;
    const lengthened = `${Number(expiry) + 86_400_000}.${mac}`;
    for (const token of [tampered, lengthened, 'nonsense', '']) {
      const answer = await request(app).get(`/alerts/${incident.id}/ack?token=${encodeURIComponent(token)}`);
      expect(answer.status, token).toBe(400);
      expect(answer.text).toContain('This link is not valid');
    }
    const otherAlert = await request(app).get(`/alerts/999/ack?token=${good}`);
    expect(otherAlert.status).toBe(400);
    const expired = ackToken(ackKey, incident.id, now - MINUTE);
    const old = await request(app).get(`/alerts/${incident.id}/ack?token=${expired}`);
    expect(old.status).toBe(410);
    expect(old.text).toContain('This link has expired');
    expect((await f.store.incidents.incident(incident.id))?.acknowledgedAt).toBeNull();
  });
});
