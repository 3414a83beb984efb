import { join } from 'node:path';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import { createApp } from '../../server/api/app.js';
import type { Estate } from '../../server/config/schema.js';
import type { StatusResponse } from '../../server/status/types.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { apiTokenFor } from '../helpers/as-admin.js';
import { secretsOfStatusEstate, statusEstate, statusNow, statusRuns } from '../helpers/status-estate.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();

describe('GET /api/v1/status', () => {
  let store: SqliteStores;
  let estate: Estate;
  let app: ReturnType<typeof createApp>;
  let token: string;

  beforeEach(async () => {
    store = SqliteStores.open(join(tmp(), 'status.db'));
    estate = statusEstate();
    await store.estate.syncEstate(estate, statusNow);
    await store.results.recordRuns(statusRuns());
    app = createApp({ store, clock: { now: () => statusNow }, logger: silentLogger, estate: () => estate });
    token = `Bearer ${await apiTokenFor(store, 'viewer')}`;
  });
  afterEach(() => store.close());

  it("answers each system's state at each place, what is down in plain words, and the planned work", async () => {
    const answer = await request(app).get('/api/v1/status').set('authorization', token);
    expect(answer.status).toBe(200);
    const body = answer.body as StatusResponse;
    expect(body.at).toBe('2026-11-24T10:30:00.000Z');
    expect(body.places).toEqual([
      {
        name: "St Anne's Hospital",
        kind: 'site',
        siteId: 'st-annes',
        systems: [
          {
            system: 'Electronic patient record',
            systemId: 'epr',
            state: 'down',
            since: '2026-11-24T09:42:00.000Z',
          },
          { system: 'Email', systemId: 'mail', state: 'up' },
          { system: 'PACS image viewer', systemId: 'pacs', state: 'slow' },
        ],
      },
      {
        name: 'Marsh Lane Centre',
        kind: 'site',
        siteId: 'marsh-lane',
        systems: [
          {
            system: 'Electronic patient record',
            systemId: 'epr',
            state: 'down',
            since: '2026-11-24T09:45:00.000Z',
          },
          { system: 'Email', systemId: 'mail', state: 'down', since: '2026-11-24T09:50:00.000Z' },
          { system: 'PACS image viewer', systemId: 'pacs', state: 'down', since: '2026-11-24T10:05:00.000Z' },
        ],
      },
      {
        name: 'Oak View Surgery',
        kind: 'site',
        siteId: 'oak-view',
        systems: [
          {
            system: 'Electronic patient record',
            systemId: 'epr',
            state: 'down',
            since: '2026-11-24T09:42:00.000Z',
          },
          { system: 'Email', systemId: 'mail', state: 'up' },
          { system: 'PACS image viewer', systemId: 'pacs', state: 'up' },
          // Failing, but inside its planned upgrade: maintenance, not an incident.
          { system: 'Staff rota', systemId: 'rostering', state: 'maintenance' },
        ],
      },
      {
        name: 'the Vantage server',
        kind: 'server',
        systems: [{ system: 'Network core', systemId: 'net', state: 'unknown' }],
      },
    ]);
    expect(body.incidents).toEqual([
      {
        kind: 'system',
        text: 'Electronic patient record is not responding from any site since 09:42.',
        since: '2026-11-24T09:42:00.000Z',
        systems: ['Electronic patient record'],
        places: ["St Anne's Hospital", 'Marsh Lane Centre', 'Oak View Surgery'],
      },
      {
        kind: 'site',
        text: 'Marsh Lane Centre cannot reach 2 systems since 09:50.',
        since: '2026-11-24T09:50:00.000Z',
        systems: ['Email', 'PACS image viewer'],
        places: ['Marsh Lane Centre'],
      },
    ]);
    expect(body.maintenance).toEqual({
      now: [
        {
          title: 'Rota upgrade',
          from: '2026-11-24T10:00:00.000Z',
          to: '2026-11-24T11:00:00.000Z',
          systems: ['Staff rota'],
          sites: [],
        },
      ],
      next: [
        {
          title: 'Surgery network works',
          from: '2026-11-26T19:00:00.000Z',
          to: '2026-11-26T21:00:00.000Z',
          systems: [],
          sites: ['Oak View Surgery'],
        },
        {
          title: 'Email server patching',
          from: '2026-11-28T06:00:00.000Z',
          to: '2026-11-28T08:00:00.000Z',
          systems: ['Email'],
          sites: [],
        },
      ],
      until: '2026-12-01T10:30:00.000Z',
    });
  });

  it('calls a system down from fewer than half of its places each place’s own incident', async () => {
    // Back up at St Anne's and Oak View: the EPR is now down from Marsh Lane alone, with email and PACS.
    const later = statusNow + 60_000;
    await store.results.recordRuns(
      ['st-annes', 'oak-view'].map((site) => ({
        checkId: 'epr-login',
        vantagePoint: site,
        startedAt: statusNow,
        state: 'ok' as const,
        phases: null,
        status: 200,
      })),
    );
    const laterApp = createApp({
      store,
      clock: { now: () => later },
      logger: silentLogger,
      estate: () => estate,
    });
    const body = (await request(laterApp).get('/api/v1/status').set('authorization', token))
      .body as StatusResponse;
    expect(body.incidents.map((incident) => incident.text)).toEqual([
      'Marsh Lane Centre cannot reach 3 systems since 09:45.',
    ]);
    expect(body.incidents[0]?.systems).toEqual(['Electronic patient record', 'Email', 'PACS image viewer']);
  });

  it('is refused to someone not signed in unless access.public lists status', async () => {
    const refused = await request(app).get('/api/v1/status');
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('unauthorised');
  });

  it('shows names only to the public: no target, host, error, id or agent', async () => {
    estate.access.public = ['status'];
    const open = await request(app).get('/api/v1/status');
    expect(open.status).toBe(200);
    const body = open.body as StatusResponse;
    // The same states and words as signed in, without the ids.
    expect(body.incidents.map((incident) => incident.text)).toEqual([
      'Electronic patient record is not responding from any site since 09:42.',
      'Marsh Lane Centre cannot reach 2 systems since 09:50.',
    ]);
    expect(body.places[1]?.systems.map((cell) => cell.state)).toEqual(['down', 'down', 'down']);
    const text = open.text;
    for (const secret of secretsOfStatusEstate) expect(text, secret).not.toContain(secret);
    expect(text).not.toMatch(/"(siteId|systemId|checkId|vantagePoint|target|error|agent)"/);
  });
});
