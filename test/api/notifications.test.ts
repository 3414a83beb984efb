import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { message } from '../alerts/outbox/messages.js';
import { type ApiFixture, fixtureNow, openApiFixture } from '../helpers/api-fixture.js';
import { apiTokenFor } from '../helpers/as-admin.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const SECRET_URL = 'https://hooks.example.org/workflows/riverside-secret-key';
let fixture: ApiFixture;
let tokens: Record<'admin' | 'viewer' | 'riverside' | 'eastfield', string>;

beforeEach(async () => {
  fixture = await openApiFixture(tmp());
  fixture.estate.channels = [
    { id: 'riverside-teams', organisation: 'riverside', type: 'teams', url: SECRET_URL },
    { id: 'eastfield-mail', organisation: 'eastfield', type: 'email', to: ['it@eastfield.example.org'] },
  ];
  tokens = {
    admin: await apiTokenFor(fixture.store, 'admin'),
    viewer: await apiTokenFor(fixture.store, 'viewer'),
    riverside: await apiTokenFor(fixture.store, 'partner', ['riverside']),
    eastfield: await apiTokenFor(fixture.store, 'partner', ['eastfield']),
  };
  const n = fixture.store.notifications;
  await n.enqueue('riverside-teams', message('r1', 'inc-r'), fixtureNow - 3_000);
  await n.enqueue('riverside-teams', message('r2', 'inc-r', 'resolved'), fixtureNow - 2_000);
  await n.enqueue('eastfield-mail', message('e1', 'inc-e'), fixtureNow - 1_000);
  // r1 was given up; e1 was delivered.
  await n.markUndelivered(1, fixtureNow - 2_500, 'https://hooks.example.org/… answered 400');
  await n.markSent(3, fixtureNow - 500);
});
afterEach(async () => {
  await fixture.close();
});

const get = (who: keyof typeof tokens, query = '') =>
  request(fixture.bare).get(`/api/v1/notifications${query}`).set('Authorization', `Bearer ${tokens[who]}`);
const retry = (who: keyof typeof tokens, id: string) =>
  request(fixture.bare)
    .post(`/api/v1/notifications/${id}/retry`)
    .set('Authorization', `Bearer ${tokens[who]}`);

describe('GET /api/v1/notifications', () => {
  it("shows an admin every channel's last delivery and the messages, newest first, never a channel's secret", async () => {
    const answer = await get('admin');
    expect(answer.status).toBe(200);
    expect(answer.body.items.map((item: { idempotencyKey: string }) => item.idempotencyKey)).toEqual([
      'e1',
      'r2',
      'r1',
    ]);
    expect(answer.body.channels).toEqual([
      {
        id: 'eastfield-mail',
        organisation: 'eastfield',
        lastDelivery: { at: new Date(fixtureNow - 500).toISOString(), ok: true, reason: null },
        pending: 0,
        undelivered: 0,
      },
      {
        id: 'riverside-teams',
        organisation: 'riverside',
        lastDelivery: {
          at: new Date(fixtureNow - 2_500).toISOString(),
          ok: false,
          reason: 'https://hooks.example.org/… answered 400',
        },
        pending: 1,
        undelivered: 1,
      },
    ]);
    expect(answer.body.items[2]).toEqual({
      id: '1',
      channel: 'riverside-teams',
      state: 'undelivered',
      event: 'opened',
      idempotencyKey: 'r1',
      alert: { id: 'inc-r', title: message('r1').alert.title, severity: 'critical' },
      createdAt: new Date(fixtureNow - 3_000).toISOString(),
      attempts: 1,
      lastAttemptAt: new Date(fixtureNow - 2_500).toISOString(),
      lastError: 'https://hooks.example.org/… answered 400',
      nextAttemptAt: null,
      sentAt: null,
    });
    expect(answer.text).not.toContain('riverside-secret-key');
    expect(answer.text).not.toContain('ackUrl');
  });

  it('filters by state and channel, and pages with next', async () => {
    const undelivered = await get('admin', '?state=undelivered');
    expect(undelivered.body.items.map((item: { id: string }) => item.id)).toEqual(['1']);
    const pending = await get('admin', '?state=pending&channel=riverside-teams');
    expect(pending.body.items.map((item: { id: string }) => item.id)).toEqual(['2']);
    const page = await get('admin', '?limit=2');
    expect(page.body.items.map((item: { id: string }) => item.id)).toEqual(['3', '2']);
    expect(page.body.next).toBe('2');
    const rest = await get('admin', `?limit=2&before=${page.body.next}`);
    expect(rest.body.items.map((item: { id: string }) => item.id)).toEqual(['1']);
    expect(rest.body.next).toBeUndefined();
  });

  it("shows a partner only their organisations' channels, and refuses a viewer", async () => {
    const riverside = await get('riverside');
    expect(riverside.status).toBe(200);
    expect(riverside.body.channels.map((c: { id: string }) => c.id)).toEqual(['riverside-teams']);
    expect(riverside.body.items.map((item: { channel: string }) => item.channel)).toEqual([
      'riverside-teams',
      'riverside-teams',
    ]);
    const other = await get('eastfield', '?channel=riverside-teams');
    expect(other.status).toBe(403);
    expect(other.body.error.message).toContain("channel 'riverside-teams'");
    expect((await get('viewer')).status).toBe(403);
    expect((await request(fixture.bare).get('/api/v1/notifications')).status).toBe(401);
  });

  it('answers bad queries with a 400 naming the parameter', async () => {
    for (const [query, name] of [
      ['?state=lost', 'state'],
      ['?limit=0', 'limit'],
      ['?limit=9999', 'limit'],
      ['?before=abc', 'before'],
      ['?colour=red', 'colour'],
    ]) {
      const answer = await get('admin', query);
      expect(answer.status, query).toBe(400);
      expect(answer.body.error.message, query).toContain(`'${name}'`);
    }
  });
});

describe('POST /api/v1/notifications/:id/retry', () => {
  it('puts an undelivered message back at the head of its channel, for an admin only, and records who', async () => {
    expect((await retry('riverside', '1')).status).toBe(403);
    const answer = await retry('admin', '1');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      id: '1',
      state: 'pending',
      nextAttemptAt: new Date(fixtureNow).toISOString(),
    });
    expect((await fixture.store.notifications.head('riverside-teams'))?.id).toBe(1);
    const audit = await fixture.store.access.auditLog({ action: 'notification-retried', limit: 5 });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'notification-retried', subject: 'notification:1' });
  });

  it('refuses one that is not undelivered (409) and one that does not exist (404)', async () => {
    expect((await retry('admin', '2')).status).toBe(409);
    expect((await retry('admin', '3')).status).toBe(409);
    expect((await retry('admin', '99')).status).toBe(404);
    expect((await retry('admin', 'abc')).status).toBe(404);
    expect((await retry('admin', '99999999999999999999')).status).toBe(404);
  });
});
