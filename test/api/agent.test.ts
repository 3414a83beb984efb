import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Registry } from 'prom-client';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../common/logger.js';
import { MAX_BATCH } from '../../runs/agent-wire.js';
import type { RunRecord } from '../../runs/record.js';
import { createApp } from '../../server/api/app.js';
import { publishingResults, StoredResults } from '../../server/results/stream.js';
import { createAgentToken } from '../../server/site-agents/tokens.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { withResults } from '../../server/store/stores.js';
import { apiTokenFor, tokenParts } from '../helpers/as-admin.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const t0 = Date.UTC(2026, 10, 2, 12, 0, 0);

/** The small estate plus a site with no checks and a check run from the server. */
const estateYaml = smallEstateYaml
  .replace('sites:\n', 'sites:\n  - { id: canal-street, name: Canal Street Surgery, host: riverside }\n')
  .concat(`  - { id: epr-central, system: epr, type: http, target: 'https://epr.example.org/', every: 1m }
`);

function result(i: number, overrides: Record<string, unknown> = {}) {
  return {
    id: `run-${i}`,
    checkId: 'epr-login',
    startedAt: new Date(t0 + i * 60_000).toISOString(),
    ok: true,
    state: 'ok',
    phases: { dnsMs: 1.5, connectMs: 2, tlsMs: 9, ttfbMs: 120, transferMs: 1, totalMs: 133.5 },
    status: 200,
    ...overrides,
  };
}

describe('agent API', () => {
  let store: SqliteStores;
  let app: ReturnType<typeof createApp>;
  let adminToken = '';
  const asAdminHeader = () => ({ authorization: `Bearer ${adminToken}` });
  let now = t0;
  const tokens: Record<string, string> = {};
  /** Runs handed on to /metrics, as serve does. */
  let observed: RunRecord[] = [];

  const stored = async () =>
    (await store.results.listResults('epr-login', { from: 0, to: Number.MAX_SAFE_INTEGER, limit: 1000 }))
      .items;

  beforeEach(async () => {
    // Reading the API takes a user or an API token; the agents' routes take their own.
    now = t0 + 3_600_000;
    store = SqliteStores.open(join(tmp(), 'agent.db'));
    await store.estate.syncEstate(estateFrom(estateYaml), t0);
    for (const site of ['st-annes', 'canal-street', 'no-such-site']) {
      tokens[site] = (await createAgentToken(store.agents, { site, label: null, at: t0 })).token;
    }
    adminToken = await apiTokenFor(store);
    observed = [];
    // As serve does: what is stored is published to the stream /metrics subscribes to.
    const stream = new StoredResults(silentLogger);
    stream.subscribe('test', (records) => {
      observed.push(...records);
    });
    app = createApp({
      store: withResults(store, publishingResults(store.results, stream)),
      clock: { now: () => now },
      logger: silentLogger,
    });
  });
  afterEach(async () => {
    await store.close();
  });

  const as = (site: string) => ({ Authorization: `Bearer ${tokens[site]}` });

  it('refuses a request without a token, with a token it never issued, and says why', async () => {
    const none = await request(app).get('/api/v1/agent/assignments');
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toContain('Bearer');
    expect(none.body.error.message).toBe('send the agent token as Authorization: Bearer <token>');
    const garbage = await request(app).get('/api/v1/agent/assignments').set('Authorization', 'Bearer hello');
    expect(garbage.status).toBe(401);
    expect(garbage.body.error.message).toContain('not an agent token');
    const forged = `${tokens['st-annes']?.slice(0, -4)}AAAA`;
    const wrong = await request(app)
      .get('/api/v1/agent/assignments')
      .set('Authorization', `Bearer ${forged}`);
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toBe('token not recognised');
  });

  it('refuses a stranger before reading the body: no inflating or parsing for a request without a live token', async () => {
    // Inflates to 17 MiB: a 413 if it were read, so a 401 shows the token was checked first.
    const bomb = gzipSync(
      JSON.stringify({ results: [result(0, { details: { banner: 'x'.repeat(17 << 20) } })] }),
    );
    const post = () =>
      request(app)
        .post('/api/v1/agent/results')
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'gzip')
        .serialize((raw: Buffer) => raw as unknown as string);
    const none = await post().send(bomb);
    expect(none.status).toBe(401);
    expect(none.body.error.message).toBe('send the agent token as Authorization: Bearer <token>');
    const forged = await post()
      .set('Authorization', `Bearer ${tokens['st-annes']?.slice(0, -4)}AAAA`)
      .send(bomb);
    expect(forged.status).toBe(401);
    expect(forged.body.error.message).toBe('token not recognised');
    const notGzip = await post().set('Authorization', 'Bearer hello').send(Buffer.from('{"results": ['));
    expect(notGzip.status).toBe(401);
    expect(notGzip.body.error.message).toContain('not an agent token');
  });

  it('assigns a site its own checks only, and an unchanged estate costs a 304', async () => {
    const first = await request(app).get('/api/v1/agent/assignments').set(as('st-annes'));
    expect(first.status).toBe(200);
    expect(first.body.site).toEqual({ id: 'st-annes', name: "St Anne's Hospital" });
    expect(first.body.checks.map((c: { id: string }) => c.id)).toEqual(['epr-login']);
    expect(first.body.systems).toEqual([
      { id: 'epr', name: 'Electronic patient record', owner: 'riverside' },
    ]);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await request(app)
      .get('/api/v1/agent/assignments')
      .set(as('st-annes'))
      .set('If-None-Match', etag);
    expect(again.status).toBe(304);
    expect(again.text).toBe('');

    const idle = await request(app).get('/api/v1/agent/assignments').set(as('canal-street'));
    expect(idle.body.checks).toEqual([]);
    const gone = await request(app).get('/api/v1/agent/assignments').set(as('no-such-site'));
    expect(gone.status).toBe(403);
    expect(gone.body.error.message).toContain("site 'no-such-site', which is not in the estate");
  });

  it('stores a compressed batch once, however often it is retried, late results in their own hours', async () => {
    const batch = {
      results: [
        result(0),
        result(1),
        result(2, {
          state: 'fail',
          ok: false,
          status: 503,
          error: { class: 'http_status', message: 'status 503, expected 200' },
        }),
      ],
    };
    const body = gzipSync(JSON.stringify(batch));
    const send = () =>
      request(app)
        .post('/api/v1/agent/results')
        .set(as('st-annes'))
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'gzip')
        .serialize((raw: Buffer) => raw as unknown as string)
        .send(body);
    const first = await send();
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ received: 3, stored: 3, duplicates: 0 });
    const retry = await send();
    expect(retry.body).toEqual({ received: 3, stored: 0, duplicates: 3 });
    // The retry adds nothing to /metrics: each run is counted once.
    expect(observed.map((run) => run.startedAt)).toEqual(batch.results.map((r) => Date.parse(r.startedAt)));
    const items = await stored();
    expect(items).toHaveLength(3);
    expect(items.every((item) => item.vantagePoint === 'st-annes')).toBe(true);
    expect(items[0]?.error).toEqual({ class: 'http_status', message: 'status 503, expected 200' });
    const hours = await store.results.rollups('epr-login', 'hourly', 0, Number.MAX_SAFE_INTEGER);
    expect(hours.map((h) => [h.vantagePoint, h.row.ok, h.row.fail])).toEqual([['st-annes', 2, 1]]);
  });

  it('refuses results for checks not assigned to the site (403) and stores none of the batch', async () => {
    const response = await request(app)
      .post('/api/v1/agent/results')
      .set(as('canal-street'))
      .send({ results: [result(0), result(1, { checkId: 'epr-central' })] });
    expect(response.status).toBe(403);
    expect(response.body.error.message).toContain(
      "results[0]: check 'epr-login' is not assigned to site 'canal-street'",
    );
    expect(response.body.error.message).toContain('nothing was stored');
    expect(response.body.error.details.items.map((i: { index: number }) => i.index)).toEqual([0, 1]);
    const elsewhere = await request(app)
      .post('/api/v1/agent/results')
      .set(as('st-annes'))
      .send({ results: [result(0, { vantagePoint: 'marsh-lane' })] });
    expect(elsewhere.status).toBe(403);
    expect(await stored()).toEqual([]);
  });

  it('names each bad item of a malformed batch (400) and stores none of it', async () => {
    const response = await request(app)
      .post('/api/v1/agent/results')
      .set(as('st-annes'))
      .send({
        results: [
          result(0),
          result(1, {
            phases: { dnsMs: null, connectMs: 2, tlsMs: null, ttfbMs: 5, transferMs: 1, totalMs: 'slow' },
          }),
          result(2, { startedAt: 'yesterday', colour: 'blue' }),
        ],
      });
    expect(response.status).toBe(400);
    const message = response.body.error.message as string;
    expect(message).toContain('results[1].phases.totalMs');
    expect(message).toContain('results[2].startedAt');
    expect(message).toContain("results[2]: unknown field 'colour'");
    expect(message).not.toContain('results[0]');
    expect(await stored()).toEqual([]);

    const notJson = await request(app)
      .post('/api/v1/agent/results')
      .set(as('st-annes'))
      .set('Content-Type', 'application/json')
      .send('{"results": [');
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe('invalid_json');
  });

  it('refuses results dated more than 5 minutes ahead of its clock (400 naming each), stores none of the batch, and counts them', async () => {
    const registry = new Registry();
    const counted = createApp({ store, clock: { now: () => now }, logger: silentLogger, metrics: registry });
    const send = (results: unknown[]) =>
      request(counted).post('/api/v1/agent/results').set(as('st-annes')).send({ results });
    const future = [
      result(0),
      result(1),
      result(2),
      result(3, { startedAt: '2099-01-01T00:00:00.000Z' }),
      result(4, { startedAt: new Date(now + 6 * 60_000).toISOString() }),
    ];
    const refused = await send(future);
    expect(refused.status).toBe(400);
    const message = refused.body.error.message as string;
    expect(message).toMatch(
      /^results\[3\]\.startedAt: 2099-01-01T00:00:00\.000Z is [\d,]+ days ahead of the server's clock \(2026-11-02T13:00:00\.000Z\)/,
    );
    expect(message).toContain(
      "results[4].startedAt: 2026-11-02T13:06:00.000Z is 6 minutes ahead of the server's clock (2026-11-02T13:00:00.000Z); results more than 5 minutes ahead are refused",
    );
    expect(refused.body.error.details.items.map((item: { index: number }) => item.index)).toEqual([3, 4]);
    expect(await stored()).toEqual([]);
    const metrics = await registry.metrics();
    expect(metrics).toContain('vantage_pushed_results_refused_total{reason="future"} 2');
    expect(metrics).toContain('vantage_pushed_results_refused_total{reason="invalid"} 0');

    // The rest, sent again without the refused ones (as the agent does), and a run started a little
    // ahead (clocks differ by seconds), are stored.
    const rest = await send([...future.slice(0, 3), result(64)]);
    expect(rest.status).toBe(200);
    expect(rest.body).toMatchObject({ received: 4, stored: 4 });
    expect((await stored()).map((run) => new Date(run.startedAt).toISOString())).toContain(
      new Date(now + 4 * 60_000).toISOString(),
    );
    expect(await registry.metrics()).toContain('vantage_pushed_results_refused_total{reason="future"} 2');
  });

  it('counts malformed results and results for checks not assigned to the site in /metrics', async () => {
    const registry = new Registry();
    const counted = createApp({ store, clock: { now: () => now }, logger: silentLogger, metrics: registry });
    const send = (results: unknown[]) =>
      request(counted).post('/api/v1/agent/results').set(as('st-annes')).send({ results });
    expect((await send([result(0), result(1, { state: 'sideways' })])).status).toBe(400);
    expect((await send([result(0), result(2, { checkId: 'epr-central' })])).status).toBe(403);
    const metrics = await registry.metrics();
    expect(metrics).toContain('vantage_pushed_results_refused_total{reason="invalid"} 1');
    expect(metrics).toContain('vantage_pushed_results_refused_total{reason="unassigned"} 1');
    expect(await stored()).toEqual([]);
  });

  it(`refuses an oversized batch (413): more than ${MAX_BATCH} results, or too many bytes`, async () => {
    const many = Array.from({ length: MAX_BATCH + 1 }, (_, i) => result(i));
    const tooMany = await request(app)
      .post('/api/v1/agent/results')
      .set(as('st-annes'))
      .send({ results: many });
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.error.message).toContain('at most 5,000 results');
    const huge = JSON.stringify({
      results: [result(0, { details: { banner: 'x'.repeat(17 * 1024 * 1024) } })],
    });
    const tooBig = await request(app)
      .post('/api/v1/agent/results')
      .set(as('st-annes'))
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .serialize((raw: Buffer) => raw as unknown as string)
      .send(gzipSync(huge));
    expect(tooBig.status).toBe(413);
    const notGzip = await request(app)
      .post('/api/v1/agent/results')
      .set(as('st-annes'))
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .send('{"results": []}');
    expect(notGzip.status).toBe(400);
    expect(notGzip.body.error.message).toContain('does not decompress');
    // Brotli's decoder fails with codes of its own; any of them is the sender's mistake too.
    for (const garbage of ['{"results": []}', 'x'.repeat(100), '\u00ff\u00fe\u0000\u0001']) {
      const notBrotli = await request(app)
        .post('/api/v1/agent/results')
        .set(as('st-annes'))
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'br')
        .send(garbage);
      expect(notBrotli.status).toBe(400);
      expect(notBrotli.body.error.message).toContain('does not decompress');
    }
    expect(await stored()).toEqual([]);
  });

  it('refuses a revoked token at once', async () => {
    const before = await request(app).get('/api/v1/agent/assignments').set(as('st-annes'));
    expect(before.status).toBe(200);
    const id = tokenParts(tokens['st-annes'] ?? '').id;
    expect(await store.agents.revokeToken(id, now)).toBe(true);
    const after = await request(app)
      .post('/api/v1/agent/results')
      .set(as('st-annes'))
      .send({ results: [result(0)] });
    expect(after.status).toBe(401);
    expect(after.body.error.message).toBe(`token '${id}' was revoked at ${new Date(now).toISOString()}`);
    expect(await stored()).toEqual([]);
  });

  it('keeps heartbeats: last seen, version, clock offset, backlog; silence and skew are shown', async () => {
    const beat = await request(app)
      .post('/api/v1/agent/heartbeat')
      .set(as('st-annes'))
      .send({
        version: '0.1.0',
        sentAt: now + 5_000,
        outbox: { depth: 42, dropped: 0, oldestAt: now - 60_000 },
      });
    expect(beat.status).toBe(200);
    expect(beat.body).toEqual({ serverTime: now });
    const bad = await request(app)
      .post('/api/v1/agent/heartbeat')
      .set(as('st-annes'))
      .send({ version: '0.1.0', sentAt: 'now', outbox: { depth: -1, dropped: 0, oldestAt: null } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("field 'sentAt'");

    const agents = async () =>
      (await request(app).get('/api/v1/agents').set(asAdminHeader())).body.items as Record<string, unknown>[];
    const stAnnes = (await agents()).find((a) => a.site === 'st-annes');
    expect(stAnnes).toMatchObject({
      host: 'riverside',
      state: 'online',
      version: '0.1.0',
      clockOffsetMs: 5_000,
      clockSkewed: true,
      checks: 1,
      tokens: 1,
      outbox: { depth: 42, dropped: 0, oldestAt: new Date(now - 60_000).toISOString() },
    });
    expect((await agents()).find((a) => a.site === 'canal-street')).toMatchObject({
      state: 'never-seen',
      lastSeen: null,
    });
    expect(JSON.stringify(await agents())).not.toContain(tokens['st-annes'] ?? 'no token');
    now += 46_000;
    expect((await agents()).find((a) => a.site === 'st-annes')).toMatchObject({ state: 'silent' });
  });

  it('shows a vantage point whose results stopped as unknown, not down', async () => {
    await request(app)
      .post('/api/v1/agent/results')
      .set(as('st-annes'))
      .send({ results: [result(0)] });
    now = t0 + 60_000;
    const fresh = await request(app).get('/api/v1/checks/epr-login').set(asAdminHeader());
    expect(fresh.body.vantagePoints).toEqual([
      { vantagePoint: 'st-annes', state: 'ok', lastRunAt: new Date(t0).toISOString() },
      { vantagePoint: 'marsh-lane', state: 'unknown', lastRunAt: null, reason: 'no result yet' },
    ]);
    now = t0 + 4 * 60_000 + 11_000; // three runs missed, and the timeout of the last
    const silent = await request(app).get('/api/v1/checks/epr-login').set(asAdminHeader());
    expect(silent.body.vantagePoints[0]).toEqual({
      vantagePoint: 'st-annes',
      state: 'unknown',
      lastRunAt: new Date(t0).toISOString(),
      reason: `no result for 3 runs: the last started ${new Date(t0).toISOString()}`,
      missedRuns: 3,
    });
    const list = await request(app).get('/api/v1/checks').set(asAdminHeader());
    const item = list.body.items.find((c: { id: string }) => c.id === 'epr-login');
    expect(item.vantagePoints[0].state).toBe('unknown');
  });

  it('counts the runs a silent vantage point missed as unknown, apart from failures', async () => {
    const results = Array.from({ length: 5 }, (_, i) => result(i));
    await request(app).post('/api/v1/agent/results').set(as('st-annes')).send({ results });
    now = t0 + 30 * 60_000; // five runs, then silence for 25 minutes
    const summary = await request(app)
      .get('/api/v1/checks/epr-login/summary?window=24h')
      .set(asAdminHeader());
    const [stAnnes] = summary.body.vantagePoints;
    expect(stAnnes).toMatchObject({
      vantagePoint: 'st-annes',
      runs: 5,
      availability: 1,
      expected: 30,
      unknown: 25,
    });
    expect(stAnnes.counts.fail).toBe(0);
  });
});
