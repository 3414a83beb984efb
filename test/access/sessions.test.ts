import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import { hashSecret } from '../../server/access/secrets.js';
import { createApp } from '../../server/api/app.js';
import type { UserRow } from '../../server/store/access.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { apiTokenFor } from '../helpers/as-admin.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const MINUTE = 60_000;
const start = Date.UTC(2026, 10, 24, 9, 0);
// Idle 10 minutes, absolute 1 hour.
const estate = estateFrom(`${smallEstateYaml}access: { session: { idle: 10m, absolute: 1h } }\n`);

describe('sessions', () => {
  let store: SqliteStores;
  let now = start;
  let app: ReturnType<typeof createApp>;
  let user: UserRow;

  beforeEach(async () => {
    now = start;
    store = SqliteStores.open(join(tmp(), 'sessions.db'));
    await store.estate.syncEstate(estate, now);
    const webRoot = join(tmp(), 'web');
    mkdirSync(webRoot, { recursive: true });
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>Vantage</title>');
    app = createApp({
      store,
      clock: { now: () => now },
      logger: silentLogger,
      estate: () => estate,
      webRoot,
    });
    user = await store.access.putUser({
      id: 'u-viewer',
      email: 'board@nhs.net',
      name: 'Board Member',
      role: 'viewer',
      organisations: [],
      source: 'local',
      passwordHash: null,
      claims: null,
      createdAt: now,
      updatedAt: now,
      lastSignInAt: null,
    });
  });
  afterEach(async () => {
    await store.close();
  });

  const sessionFor = async (secret: string) => {
    await store.access.addSession({
      idHash: hashSecret(secret),
      userId: user.id,
      csrf: 'csrf-value',
      address: '127.0.0.1',
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + 60 * MINUTE,
    });
    return `vantage_session=${secret}`;
  };
  const checks = (cookie: string) => request(app).get('/api/v1/checks').set('cookie', cookie);

  it('ends after the idle time without a request, and says so', async () => {
    const cookie = await sessionFor('idle-secret');
    expect((await checks(cookie)).status).toBe(200);
    now += 9 * MINUTE;
    expect((await checks(cookie)).status).toBe(200);
    // Used a minute before the idle time ran out: it runs again from then.
    now += 9 * MINUTE;
    expect((await checks(cookie)).status).toBe(200);
    now += 10 * MINUTE;
    const ended = await checks(cookie);
    expect(ended.status).toBe(401);
    expect(ended.body.error.message).toContain('your session has ended');
    expect(await store.access.session(hashSecret('idle-secret'))).toBeUndefined();
  });

  it('ends at the absolute time however much it is used', async () => {
    const cookie = await sessionFor('busy-secret');
    for (let minute = 0; minute < 60; minute += 5) {
      now = start + minute * MINUTE;
      expect((await checks(cookie)).status, `at minute ${minute}`).toBe(200);
    }
    now = start + 60 * MINUTE;
    expect((await checks(cookie)).status).toBe(401);
  });

  it("ends at once when the user's role changes or the user is removed", async () => {
    const cookie = await sessionFor('role-secret');
    expect((await checks(cookie)).status).toBe(200);
    await store.access.changeRole(user.id, 'partner', ['riverside'], now);
    expect((await checks(cookie)).status).toBe(401);

    const again = await sessionFor('removed-secret');
    expect((await checks(again)).status).toBe(200);
    await store.access.removeUser(user.id);
    expect((await checks(again)).status).toBe(401);
  });

  it('sends a page asked for without a session to sign in, and an API call gets 401 JSON', async () => {
    const page = await request(app).get('/checks/epr-login?window=7d').set('accept', 'text/html');
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/sign-in?next=%2Fchecks%2Fepr-login%3Fwindow%3D7d');
    const api = await request(app).get('/api/v1/checks');
    expect(api.status).toBe(401);
    expect(api.headers['www-authenticate']).toContain('Bearer');
    expect(api.body.error.code).toBe('unauthorised');
  });

  it('refuses a revoked or unknown API token, and an agent token outside the agent routes', async () => {
    const token = await apiTokenFor(store, 'viewer');
    expect((await request(app).get('/api/v1/checks').set('authorization', `Bearer ${token}`)).status).toBe(
      200,
    );
    const id = /^vap_([0-9a-f]{8})_/.exec(token)?.[1] as string;
    await store.access.revokeApiToken(id, now);
    const revoked = await request(app).get('/api/v1/checks').set('authorization', `Bearer ${token}`);
    expect(revoked.status).toBe(401);
    expect(revoked.body.error.message).toBe('this API token has been revoked');
    const forged = await request(app)
      .get('/api/v1/checks')
      .set('authorization', `Bearer ${token.slice(0, -4)}AAAA`);
    expect(forged.status).toBe(401);
    const agent = await request(app)
      .get('/api/v1/checks')
      .set('authorization', `Bearer vat_00000000_${'a'.repeat(43)}`);
    expect(agent.status).toBe(403);
    expect(agent.body.error.message).toBe('an agent token opens only the agent routes');
  });

  it('keeps when an API token was last used', async () => {
    const token = await apiTokenFor(store, 'viewer');
    const id = /^vap_([0-9a-f]{8})_/.exec(token)?.[1] as string;
    expect((await store.access.apiToken(id))?.lastUsedAt).toBeNull();
    await request(app).get('/api/v1/checks').set('authorization', `Bearer ${token}`);
    expect((await store.access.apiToken(id))?.lastUsedAt).toBe(now);
  });

  it('answers the health routes without looking at credentials', async () => {
    expect((await request(app).get('/healthz').set('authorization', 'Bearer vap_nonsense')).status).toBe(200);
    expect((await request(app).get('/readyz').set('cookie', 'vantage_session=unknown')).status).toBe(200);
  });
});
