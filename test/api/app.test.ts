import type { RequestListener } from 'node:http';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Logger, silentLogger } from '../../common/logger.js';
import { createApp } from '../../server/api/app.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { asAdmin } from '../helpers/as-admin.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const clock = { now: () => Date.UTC(2026, 10, 1, 9) };

describe('HTTP API', () => {
  let store: SqliteStores;
  let logged: string[];
  let app: RequestListener;

  beforeEach(async () => {
    store = SqliteStores.open(join(tmp(), 'api.db'));
    await store.estate.syncEstate(estateFrom(smallEstateYaml), clock.now());
    logged = [];
    const logger: Logger = {
      ...silentLogger,
      error: (message, fields) => logged.push(`${message} ${JSON.stringify(fields)}`),
    };
    app = await asAdmin(createApp({ store, clock, logger }), store);
  });
  afterEach(async () => {
    await store.close();
  });

  it('answers liveness and readiness', async () => {
    expect((await request(app).get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await request(app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready' });
  });

  it('is not ready while still starting, or once the database is closed', async () => {
    let started = false;
    const starting = await asAdmin(
      createApp({ store, clock, logger: silentLogger, isReady: () => started }),
      store,
    );
    expect((await request(starting).get('/readyz')).status).toBe(503);
    started = true;
    expect((await request(starting).get('/readyz')).status).toBe(200);
    await store.close();
    const closed = await request(app).get('/readyz');
    expect(closed.status).toBe(503);
    expect(closed.body.error.code).toBe('unavailable');
  });

  it('serves the estate: organisations with what they host and own, sites, systems, checks', async () => {
    const response = await request(app).get('/api/v1/estate').expect(200);
    expect(response.body.organisations).toEqual([
      {
        id: 'riverside',
        name: 'Riverside Hospitals NHS Trust',
        kind: 'acute',
        sites: ['st-annes'],
        systems: ['epr'],
      },
      {
        id: 'eastfield',
        name: 'Eastfield Mental Health NHS Trust',
        kind: 'mental-health',
        sites: ['marsh-lane'],
        systems: [],
      },
    ]);
    expect(response.body.sites).toEqual([
      { id: 'st-annes', name: "St Anne's Hospital", host: 'riverside', tags: [], checks: ['epr-login'] },
      { id: 'marsh-lane', name: 'Marsh Lane Centre', host: 'eastfield', tags: [], checks: ['epr-login'] },
    ]);
    expect(response.body.systems).toEqual([
      { id: 'epr', name: 'Electronic patient record', owner: 'riverside', tags: [], checks: ['epr-login'] },
    ]);
    expect(response.body.checks).toEqual([
      {
        id: 'epr-login',
        system: 'epr',
        type: 'http',
        target: 'https://epr.example.org/login',
        schedule: { every: '1m' },
        timeout: '10s',
        runsFrom: 'sites',
        from: ['st-annes', 'marsh-lane'],
        expect: { status: [200], bodyContains: 'Sign in', degradedMs: 2000 },
      },
    ]);
  });

  it('never returns check secrets: headers, bodies or credentials in URLs', async () => {
    const secret = smallEstateYaml
      .replace('https://epr.example.org/login', 'https://probe:hunter2@epr.example.org/login')
      .replace(
        '    every: 1m\n',
        '    every: 1m\n    headers: { Authorization: Bearer s3cret }\n    body: password=hunter2\n',
      );
    await store.estate.syncEstate(estateFrom(secret), clock.now());
    const text = (await request(app).get('/api/v1/estate').expect(200)).text;
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('s3cret');
    expect(text).toContain('https://epr.example.org/login');
  });

  it('shows retired entities only when asked', async () => {
    await store.estate.syncEstate(
      estateFrom(smallEstateYaml.slice(0, smallEstateYaml.indexOf('checks:'))),
      clock.now() + 1000,
    );
    expect((await request(app).get('/api/v1/estate')).body.checks).toEqual([]);
    const all = await request(app).get('/api/v1/estate?includeRetired=true').expect(200);
    expect(all.body.checks[0]).toMatchObject({ id: 'epr-login', retiredAt: '2026-11-01T09:00:01.000Z' });
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await request(app).get('/api/v1/nothing-here').expect(404);
    expect(response.body).toEqual({
      error: { code: 'not_found', message: 'no such route: GET /api/v1/nothing-here' },
    });
    expect((await request(app).get('/no/such/page')).status).toBe(404);
  });

  it('answers malformed JSON with a 400 and no stack trace', async () => {
    const response = await request(app)
      .post('/api/v1/surveys/usability-2026/responses')
      .set('content-type', 'application/json')
      .send('{"organisations": [')
      .expect(400);
    expect(response.body.error.code).toBe('invalid_json');
    expect(response.text).not.toMatch(/at .*\.(js|ts):\d+/);
  });

  it('answers an unknown query parameter with a 400 naming it', async () => {
    const response = await request(app).get('/api/v1/estate?includeRetierd=true').expect(400);
    expect(response.body.error).toMatchObject({
      code: 'invalid',
      message: "unknown query parameter 'includeRetierd'",
    });
  });

  it('turns an unexpected failure into a 500 that says nothing of internals, and logs it', async () => {
    const broken = await asAdmin(
      createApp({
        store: {
          ...store,
          estate: { readEstate: () => Promise.reject(new Error('disk on fire at /var/lib/secret')) },
        } as unknown as SqliteStores,
        clock,
        logger: {
          ...silentLogger,
          error: (message, fields) => logged.push(`${message} ${JSON.stringify(fields)}`),
        },
      }),
      store,
    );
    const response = await request(broken).get('/api/v1/estate').expect(500);
    expect(response.body).toEqual({
      error: { code: 'internal', message: 'internal error; the server log has the details' },
    });
    expect(logged.join('\n')).toContain('disk on fire');
  });
});
