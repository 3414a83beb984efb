import type { RequestListener } from 'node:http';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import { createApp } from '../../server/api/app.js';
import type { Estate } from '../../server/config/schema.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { apiTokenFor, tokenParts } from '../helpers/as-admin.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';
import { type SignedIn, signedIn } from '../helpers/signed-in.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();

describe('admin API: who is asking, users, API tokens and the audit log', () => {
  let store: SqliteStores;
  let app: RequestListener;
  let now: number;
  let estate: Estate;
  let adminToken: string;
  let partnerToken: string;
  let viewerToken: string;
  let admin: SignedIn;
  let partner: SignedIn;
  let viewer: SignedIn;
  /** Every body the API answered with, to search for what must never leave it. */
  let answers: string[];

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const session = (who: SignedIn, csrf = true) => ({
    Cookie: who.cookie,
    ...(csrf ? { 'X-CSRF-Token': who.csrf } : {}),
  });
  const seen = <T extends { text: string }>(response: T): T => {
    answers.push(response.text);
    return response;
  };

  beforeEach(async () => {
    now = Date.UTC(2026, 10, 24, 10);
    answers = [];
    store = SqliteStores.open(join(tmp(), 'access.db'));
    estate = estateFrom(smallEstateYaml);
    await store.estate.syncEstate(estate, now);
    app = createApp({ store, clock: { now: () => now }, logger: silentLogger, estate: () => estate });
    adminToken = await apiTokenFor(store, 'admin');
    partnerToken = await apiTokenFor(store, 'partner', ['riverside']);
    viewerToken = await apiTokenFor(store, 'viewer');
    admin = await signedIn(
      store,
      { email: 'cio@example.org', name: 'Chief Information Officer', role: 'admin' },
      now,
    );
    partner = await signedIn(
      store,
      {
        email: 'it@riverside.example.org',
        name: 'Riverside IT',
        role: 'partner',
        organisations: ['riverside'],
      },
      now,
    );
    viewer = await signedIn(store, { email: 'reader@example.org', name: 'Reader', role: 'viewer' }, now);
  });
  afterEach(async () => {
    // Nothing secret in any answer: no password or secret hash, no session or token secret.
    const secrets = [
      ...(await store.access.apiTokens()).map((t) => t.secretHash),
      ...[admin, partner, viewer].map((p) => p.secret),
      'passwordHash',
      'secretHash',
      'claims',
    ];
    for (const text of answers) for (const secret of secrets) expect(text).not.toContain(secret);
    await store.close();
  });

  describe('GET /api/v1/me', () => {
    it('names a signed-in person, their role, the CSRF value and what they may act on', async () => {
      const me = seen(await request(app).get('/api/v1/me').set(session(partner, false)).expect(200));
      expect(me.body).toEqual({
        kind: 'user',
        name: 'Riverside IT',
        email: 'it@riverside.example.org',
        role: 'partner',
        organisations: ['riverside'],
        organisationNames: ['Riverside Hospitals NHS Trust'],
        source: 'local',
        csrf: partner.csrf,
        can: { admin: false, actOn: { systems: ['epr'], sites: ['st-annes'] } },
      });
      expect(me.headers['cache-control']).toBe('no-store');
      const asViewer = seen(await request(app).get('/api/v1/me').set(session(viewer)).expect(200));
      expect(asViewer.body.can).toEqual({ admin: false, actOn: { systems: [], sites: [] } });
      const asAdmin = seen(await request(app).get('/api/v1/me').set(session(admin)).expect(200));
      expect(asAdmin.body.can).toEqual({
        admin: true,
        actOn: { systems: ['epr'], sites: ['st-annes', 'marsh-lane'] },
      });
    });

    it('names an API token by its label, with no CSRF value, and refuses anyone else', async () => {
      const me = seen(await request(app).get('/api/v1/me').set(bearer(partnerToken)).expect(200));
      expect(me.body).toEqual({
        kind: 'api-token',
        name: 'test',
        role: 'partner',
        organisations: ['riverside'],
        organisationNames: ['Riverside Hospitals NHS Trust'],
        can: { admin: false, actOn: { systems: ['epr'], sites: ['st-annes'] } },
      });
      const anonymous = seen(await request(app).get('/api/v1/me').expect(401));
      expect(anonymous.body.error.code).toBe('unauthorised');
    });
  });

  describe('users', () => {
    it('lists users for admins only, without password hashes or claims', async () => {
      const list = seen(await request(app).get('/api/v1/users').set(bearer(adminToken)).expect(200));
      expect(list.body.items.map((u: { email: string }) => u.email)).toEqual([
        'cio@example.org',
        'it@riverside.example.org',
        'reader@example.org',
      ]);
      expect(Object.keys(list.body.items[0]).sort()).toEqual(
        [
          'createdAt',
          'email',
          'id',
          'lastSignInAt',
          'name',
          'organisations',
          'role',
          'source',
          'updatedAt',
        ].sort(),
      );
      expect(list.body.items[0].lastSignInAt).toBe(new Date(now).toISOString());
      for (const who of [bearer(partnerToken), session(viewer)]) {
        const refused = seen(await request(app).get('/api/v1/users').set(who).expect(403));
        expect(refused.body.error.message).toBe('listing users needs the admin role');
        expect(refused.body.error.details.needs).toBe('admin');
      }
      seen(await request(app).get('/api/v1/users').expect(401));
    });

    it('changes a role, ends that person’s sessions at once, and records it', async () => {
      seen(await request(app).get('/api/v1/me').set(session(viewer)).expect(200));
      const changed = seen(
        await request(app)
          .patch(`/api/v1/users/${viewer.user.id}`)
          .set(session(admin))
          .send({ role: 'partner', organisations: ['eastfield'] })
          .expect(200),
      );
      expect(changed.body).toMatchObject({ role: 'partner', organisations: ['eastfield'] });
      // The old session is gone: the next request with it must sign in again.
      const ended = seen(await request(app).get('/api/v1/me').set(session(viewer)).expect(401));
      expect(ended.body.error.message).toMatch(/^your session has ended/);
      const [entry] = await store.access.auditLog({ action: 'role-changed', limit: 10 });
      expect(entry).toMatchObject({
        actor: 'cio@example.org',
        subject: 'reader@example.org',
        detail: {
          from: { role: 'viewer', organisations: [] },
          to: { role: 'partner', organisations: ['eastfield'] },
        },
      });
      expect(entry?.address).toMatch(/127\.0\.0\.1/);
    });

    it('leaves the role of someone who signs in through the identity provider to it', async () => {
      const person = await store.access.putUser({
        ...viewer.user,
        id: 'from-entra',
        email: 'nurse@riverside.nhs.uk',
        source: 'oidc',
        claims: ['role:Vantage.Viewer'],
      });
      const refused = seen(
        await request(app)
          .patch(`/api/v1/users/${person.id}`)
          .set(session(admin))
          .send({ role: 'admin' })
          .expect(409),
      );
      expect(refused.body.error.message).toContain(
        'signs in through the identity provider, which decides their role',
      );
      expect((await store.access.user(person.id))?.role).toBe('viewer');
    });

    it('refuses a role change naming what is wrong: unknown organisation, missing or extra organisations', async () => {
      const send = async (body: object) =>
        seen(await request(app).patch(`/api/v1/users/${viewer.user.id}`).set(bearer(adminToken)).send(body));
      const unknown = await send({ role: 'partner', organisations: ['riverside', 'nowhere'] });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toBe(
        "field 'organisations.1': no organisation 'nowhere' in the estate",
      );
      const none = await send({ role: 'partner' });
      expect(none.body.error.message).toBe(
        "field 'organisations': a partner acts for at least one organisation",
      );
      const extra = await send({ role: 'viewer', organisations: ['riverside'] });
      expect(extra.body.error.message).toMatch(/^field 'organisations': only a partner has organisations/);
      const badRole = await send({ role: 'owner' });
      expect(badRole.status).toBe(400);
      expect(badRole.body.error.message).toMatch(/^field 'role'/);
      const stranger = await send({ role: 'viewer', password: 'x' });
      expect(stranger.body.error.message).toBe("unknown field 'password'");
      const missing = seen(
        await request(app)
          .patch('/api/v1/users/no-such-user')
          .set(bearer(adminToken))
          .send({ role: 'viewer' }),
      );
      expect(missing.status).toBe(404);
      expect((await store.access.user(viewer.user.id))?.role).toBe('viewer');
    });

    it('needs the session’s CSRF token for a change made with a cookie', async () => {
      const without = seen(
        await request(app)
          .patch(`/api/v1/users/${viewer.user.id}`)
          .set(session(admin, false))
          .send({ role: 'admin' })
          .expect(403),
      );
      expect(without.body.error.details).toEqual({ needs: 'X-CSRF-Token' });
      seen(
        await request(app)
          .delete(`/api/v1/users/${viewer.user.id}`)
          .set({ Cookie: admin.cookie, 'X-CSRF-Token': viewer.csrf })
          .expect(403),
      );
      expect((await store.access.user(viewer.user.id))?.role).toBe('viewer');
    });

    it('removes a user and their sessions, but never the admin asking', async () => {
      seen(await request(app).delete(`/api/v1/users/${partner.user.id}`).set(session(admin)).expect(204));
      expect(await store.access.user(partner.user.id)).toBeUndefined();
      seen(await request(app).get('/api/v1/me').set(session(partner)).expect(401));
      const [entry] = await store.access.auditLog({ action: 'user-removed', limit: 10 });
      expect(entry).toMatchObject({ actor: 'cio@example.org', subject: 'it@riverside.example.org' });

      const self = seen(
        await request(app).delete(`/api/v1/users/${admin.user.id}`).set(session(admin)).expect(409),
      );
      expect(self.body.error.message).toBe('you cannot remove your own account; another admin can');
      seen(
        await request(app)
          .patch(`/api/v1/users/${admin.user.id}`)
          .set(session(admin))
          .send({ role: 'viewer' })
          .expect(409),
      );
      seen(await request(app).delete('/api/v1/users/nobody').set(bearer(adminToken)).expect(404));
      seen(
        await request(app).delete(`/api/v1/users/${viewer.user.id}`).set(bearer(partnerToken)).expect(403),
      );
      expect(await store.access.user(viewer.user.id)).toBeDefined();
    });
  });

  describe('API tokens', () => {
    it('makes a token shown once, lists it without its secret, and revokes it', async () => {
      const made = seen(
        await request(app)
          .post('/api/v1/api-tokens')
          .set(session(admin))
          .send({ role: 'partner', organisations: ['eastfield'], label: '  Eastfield reports  ' })
          .expect(201),
      );
      expect(made.body).toMatchObject({
        role: 'partner',
        organisations: ['eastfield'],
        label: 'Eastfield reports',
        createdBy: 'cio@example.org',
        revokedAt: null,
        lastUsedAt: null,
      });
      const token: string = made.body.token;
      expect(token).toMatch(/^vap_[0-9a-f]{8}_/);
      // The token works at once, with what it was given.
      const me = await request(app).get('/api/v1/me').set(bearer(token)).expect(200);
      expect(me.body.can.actOn).toEqual({ systems: [], sites: ['marsh-lane'] });

      const list = seen(await request(app).get('/api/v1/api-tokens').set(bearer(adminToken)).expect(200));
      const listed = list.body.items.find((t: { id: string }) => t.id === made.body.id);
      expect(listed.lastUsedAt).toBe(new Date(now).toISOString());
      expect(list.text).not.toContain(tokenParts(token).secret);

      const revoked = seen(
        await request(app).delete(`/api/v1/api-tokens/${made.body.id}`).set(bearer(adminToken)).expect(200),
      );
      expect(revoked.body.revokedAt).toBe(new Date(now).toISOString());
      const refused = seen(await request(app).get('/api/v1/me').set(bearer(token)).expect(401));
      expect(refused.body.error.message).toBe('this API token has been revoked');
      const again = seen(
        await request(app).delete(`/api/v1/api-tokens/${made.body.id}`).set(bearer(adminToken)).expect(409),
      );
      expect(again.body.error.message).toMatch(/was revoked already/);
      seen(await request(app).delete('/api/v1/api-tokens/00000000').set(bearer(adminToken)).expect(404));

      const actions = (await store.access.auditLog({ limit: 10 })).map((e) => [e.action, e.subject]);
      expect(actions).toEqual([
        ['api-token-revoked', `api-token:${made.body.id}`],
        ['api-token-created', `api-token:${made.body.id}`],
      ]);
      const logged = JSON.stringify(await store.access.auditLog({ limit: 10 }));
      expect(logged).not.toContain(tokenParts(token).secret);
    });

    it('is for admins only, and refuses a token for an unknown organisation', async () => {
      for (const who of [bearer(partnerToken), bearer(viewerToken), session(partner)]) {
        const refused = seen(await request(app).post('/api/v1/api-tokens').set(who).send({ role: 'admin' }));
        expect(refused.status).toBe(403);
        expect(refused.body.error.message).toBe('making an API token needs the admin role');
        seen(await request(app).get('/api/v1/api-tokens').set(who).expect(403));
      }
      const bad = seen(
        await request(app)
          .post('/api/v1/api-tokens')
          .set(bearer(adminToken))
          .send({ role: 'partner', organisations: ['westfield'] })
          .expect(400),
      );
      expect(bad.body.error.message).toBe(
        "field 'organisations.0': no organisation 'westfield' in the estate",
      );
      const count = (await store.access.apiTokens()).length;
      expect(count).toBe(3);
    });
  });

  describe('GET /api/v1/audit', () => {
    beforeEach(async () => {
      for (let i = 0; i < 5; i++) {
        await store.access.audit({
          at: now - (5 - i) * 60_000,
          actor: i % 2 === 0 ? 'cio@example.org' : 'token:abcd0123',
          action: i % 2 === 0 ? 'role-changed' : 'api-token-created',
          subject: `subject-${i}`,
          address: '10.0.0.1',
          detail: null,
        });
      }
    });

    it('answers newest first, a page at a time, with filters', async () => {
      const first = seen(await request(app).get('/api/v1/audit?limit=2').set(bearer(adminToken)).expect(200));
      expect(first.body.items.map((e: { subject: string }) => e.subject)).toEqual(['subject-4', 'subject-3']);
      expect(first.body.items[0]).toEqual({
        seq: 5,
        at: new Date(now - 60_000).toISOString(),
        actor: 'cio@example.org',
        action: 'role-changed',
        subject: 'subject-4',
        address: '10.0.0.1',
        detail: null,
      });
      const second = seen(
        await request(app).get(`/api/v1/audit?limit=2&before=${first.body.next}`).set(bearer(adminToken)),
      );
      expect(second.body.items.map((e: { subject: string }) => e.subject)).toEqual([
        'subject-2',
        'subject-1',
      ]);
      const last = seen(
        await request(app).get(`/api/v1/audit?limit=2&before=${second.body.next}`).set(bearer(adminToken)),
      );
      expect(last.body.items.map((e: { subject: string }) => e.subject)).toEqual(['subject-0']);
      expect(last.body.next).toBeUndefined();

      const byActor = seen(
        await request(app).get('/api/v1/audit?actor=token%3Aabcd0123').set(bearer(adminToken)),
      );
      expect(byActor.body.items.map((e: { subject: string }) => e.subject)).toEqual([
        'subject-3',
        'subject-1',
      ]);
      const byAction = seen(
        await request(app).get('/api/v1/audit?action=role-changed&limit=1').set(session(admin)),
      );
      expect(byAction.body.items.map((e: { subject: string }) => e.subject)).toEqual(['subject-4']);
      expect(byAction.body.next).toBe(5);
      const from = new Date(now - 3 * 60_000).toISOString();
      const to = new Date(now - 60_000).toISOString();
      const window = seen(
        await request(app).get(`/api/v1/audit?from=${from}&to=${to}`).set(bearer(adminToken)),
      );
      expect(window.body.items.map((e: { subject: string }) => e.subject)).toEqual([
        'subject-3',
        'subject-2',
      ]);
    });

    it('refuses a bad query naming the field, and anyone but an admin', async () => {
      const cases: [string, string][] = [
        ['limit=0', "query parameter 'limit'"],
        ['limit=501', "query parameter 'limit'"],
        ['limit=ten', "query parameter 'limit': must be a whole number"],
        ['before=-1', "query parameter 'before': must be a whole number"],
        ['from=yesterday', "query parameter 'from': must be an ISO 8601 time"],
        ['who=me', "unknown query parameter 'who'"],
      ];
      for (const [query, message] of cases) {
        const refused = seen(await request(app).get(`/api/v1/audit?${query}`).set(bearer(adminToken)));
        expect(refused.status, query).toBe(400);
        expect(refused.body.error.message, query).toContain(message);
      }
      const partnerAsks = seen(await request(app).get('/api/v1/audit').set(session(partner)).expect(403));
      expect(partnerAsks.body.error.message).toBe('reading the audit log needs the admin role');
      seen(await request(app).get('/api/v1/audit').set(bearer(viewerToken)).expect(403));
      seen(await request(app).get('/api/v1/audit').expect(401));
    });
  });
});
