import type { RequestListener } from 'node:http';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import { createApp } from '../../server/api/app.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { apiTokenFor } from '../helpers/as-admin.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';
import { type SignedIn, signedIn } from '../helpers/signed-in.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();

describe('notes on systems and sites', () => {
  let store: SqliteStores;
  let app: RequestListener;
  let now: number;
  let riverside: SignedIn;
  let eastfield: SignedIn;
  let viewer: SignedIn;
  let admin: SignedIn;
  let riversideToken: string;

  const as = (who: SignedIn) => ({ Cookie: who.cookie, 'X-CSRF-Token': who.csrf });
  const add = (path: string, who: Record<string, string>, text: unknown = 'Wi-Fi controller replaced') =>
    request(app).post(path).set(who).send({ text });

  beforeEach(async () => {
    now = Date.UTC(2026, 10, 24, 10);
    store = SqliteStores.open(join(tmp(), 'notes.db'));
    const estate = estateFrom(smallEstateYaml);
    await store.estate.syncEstate(estate, now);
    app = createApp({ store, clock: { now: () => now }, logger: silentLogger, estate: () => estate });
    riverside = await signedIn(
      store,
      {
        email: 'it@riverside.example.org',
        name: 'Riverside IT',
        role: 'partner',
        organisations: ['riverside'],
      },
      now,
    );
    eastfield = await signedIn(
      store,
      {
        email: 'it@eastfield.example.org',
        name: 'Eastfield IT',
        role: 'partner',
        organisations: ['eastfield'],
      },
      now,
    );
    viewer = await signedIn(store, { email: 'reader@example.org', role: 'viewer' }, now);
    admin = await signedIn(store, { email: 'cio@example.org', name: 'CIO', role: 'admin' }, now);
    riversideToken = await apiTokenFor(store, 'partner', ['riverside']);
  });
  afterEach(async () => {
    await store.close();
  });

  it('lets a partner of the system’s owner add a note, which everyone who reads sees', async () => {
    const added = await add('/api/v1/systems/epr/notes', as(riverside), '  EPR upgrade on Saturday  ').expect(
      201,
    );
    expect(added.body).toEqual({
      id: expect.any(Number),
      subject: { kind: 'system', id: 'epr' },
      author: 'it@riverside.example.org',
      authorName: 'Riverside IT',
      text: 'EPR upgrade on Saturday',
      at: new Date(now).toISOString(),
    });
    now += 60_000;
    await add('/api/v1/systems/epr/notes', { Authorization: `Bearer ${riversideToken}` }, 'Second').expect(
      201,
    );
    const list = await request(app).get('/api/v1/systems/epr/notes').set(as(viewer)).expect(200);
    expect(list.body.items.map((n: { text: string }) => n.text)).toEqual([
      'Second',
      'EPR upgrade on Saturday',
    ]);
    expect(list.body.items[0]).toMatchObject({
      author: expect.stringMatching(/^token:/),
      authorName: 'test',
    });
    const [entry] = await store.access.auditLog({
      action: 'note-added',
      actor: 'it@riverside.example.org',
      limit: 5,
    });
    expect(entry).toMatchObject({ subject: 'system:epr', detail: { note: added.body.id } });
  });

  it('refuses a partner of another organisation, naming the one needed, and a viewer', async () => {
    const other = await add('/api/v1/systems/epr/notes', as(eastfield)).expect(403);
    expect(other.body.error.message).toBe(
      "adding a note on system 'epr' needs a partner of riverside (the system's owner), or admin; you act for eastfield",
    );
    expect(other.body.error.details).toEqual({ needs: 'partner of riverside', have: 'partner' });
    const reader = await add('/api/v1/systems/epr/notes', as(viewer)).expect(403);
    expect(reader.body.error.message).toBe(
      'adding a note needs the partner role for the organisation responsible, or admin',
    );
    await add('/api/v1/systems/epr/notes', {}).expect(401);
    expect(await store.access.notes('system', 'epr')).toEqual([]);
  });

  it('judges a site by its host: Eastfield notes Marsh Lane, Riverside may not', async () => {
    await add('/api/v1/sites/marsh-lane/notes', as(eastfield)).expect(201);
    const refused = await add('/api/v1/sites/marsh-lane/notes', as(riverside)).expect(403);
    expect(refused.body.error.message).toContain("needs a partner of eastfield (the site's host)");
    await add('/api/v1/sites/st-annes/notes', { Authorization: `Bearer ${riversideToken}` }).expect(201);
    await add('/api/v1/sites/st-annes/notes', as(admin)).expect(201);
    const notes = await request(app).get('/api/v1/sites/st-annes/notes').set(as(viewer)).expect(200);
    expect(notes.body.items).toHaveLength(2);
  });

  it('needs the session’s CSRF token with a cookie', async () => {
    const without = await request(app)
      .post('/api/v1/systems/epr/notes')
      .set({ Cookie: riverside.cookie })
      .send({ text: 'forged' })
      .expect(403);
    expect(without.body.error.details).toEqual({ needs: 'X-CSRF-Token' });
    await request(app)
      .post('/api/v1/systems/epr/notes')
      .set({ Cookie: riverside.cookie, 'X-CSRF-Token': eastfield.csrf })
      .send({ text: 'forged' })
      .expect(403);
    expect(await store.access.notes('system', 'epr')).toEqual([]);
  });

  it('refuses empty or overlong text and unknown subjects', async () => {
    const empty = await add('/api/v1/systems/epr/notes', as(admin), '   ').expect(400);
    expect(empty.body.error.message).toBe("field 'text': must not be empty");
    const long = await add('/api/v1/systems/epr/notes', as(admin), 'x'.repeat(2_001)).expect(400);
    expect(long.body.error.message).toBe("field 'text': must be at most 2,000 characters");
    await add('/api/v1/systems/epr/notes', as(admin), 'y'.repeat(2_000)).expect(201);
    const wrongType = await add('/api/v1/systems/epr/notes', as(admin), 42).expect(400);
    expect(wrongType.body.error.message).toMatch(/^field 'text'/);
    const missing = await add('/api/v1/systems/pas/notes', as(riverside)).expect(404);
    expect(missing.body.error.message).toBe("no system with id 'pas'");
    await request(app).get('/api/v1/sites/nowhere/notes').set(as(viewer)).expect(404);
    await add('/api/v1/sites/nowhere/notes', as(admin)).expect(404);
  });

  it('lets a note be removed by its author or an admin only', async () => {
    const first = await add('/api/v1/systems/epr/notes', as(riverside), 'first').expect(201);
    const second = await add('/api/v1/systems/epr/notes', as(riverside), 'second').expect(201);
    // Another partner of the same organisation is not the author.
    const colleague = await signedIn(
      store,
      { email: 'desk@riverside.example.org', role: 'partner', organisations: ['riverside'] },
      now,
    );
    const refused = await request(app)
      .delete(`/api/v1/notes/${first.body.id}`)
      .set(as(colleague))
      .expect(403);
    expect(refused.body.error.message).toBe('removing a note needs its author, or the admin role');
    await request(app).delete(`/api/v1/notes/${first.body.id}`).set(as(viewer)).expect(403);
    await request(app).delete(`/api/v1/notes/${first.body.id}`).set({ Cookie: riverside.cookie }).expect(403);
    await request(app).delete(`/api/v1/notes/${first.body.id}`).set(as(riverside)).expect(204);
    await request(app).delete(`/api/v1/notes/${second.body.id}`).set(as(admin)).expect(204);
    await request(app).delete(`/api/v1/notes/${second.body.id}`).set(as(admin)).expect(404);
    await request(app).delete('/api/v1/notes/abc').set(as(admin)).expect(404);
    expect(await store.access.notes('system', 'epr')).toEqual([]);
    const removed = await store.access.auditLog({ action: 'note-removed', limit: 5 });
    expect(removed.map((e) => [e.actor, e.detail?.note])).toEqual([
      ['cio@example.org', second.body.id],
      ['it@riverside.example.org', first.body.id],
    ]);
  });
});
