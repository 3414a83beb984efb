import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, fixtureNow, openApiFixture } from '../helpers/api-fixture.js';
import { type FormPass, formPass } from '../helpers/forms.js';
import { susFor } from '../helpers/survey.js';
import { type Route, routes } from './fuzz-routes.js';

/**
 * Every route the app mounts, with hostile paths, methods, headers and bodies: whatever is sent, the
 * answer is never a 5xx, a refused request stores nothing, and the server still answers afterwards.
 */

/** Mostly what is expected, with one part or another hostile, and sometimes all of it. */
const mostly = <T>(usual: fc.Arbitrary<T>, hostile: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 3, arbitrary: usual }, { weight: 2, arbitrary: hostile });

const prototypeKeys = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'prototype'];

/** A path segment: a real id, a prototype key, broken or tricky percent-encoding, or anything encoded. */
const segment = fc.oneof(
  fc.constantFrom('epr-login', 'usability-2026', 'usability-2025', 'app.js', 'nhsuk.css', 'index.html'),
  fc.constantFrom(...prototypeKeys),
  fc.constantFrom('%zz', '%', '%E0%A4%A', '%C0%AF', '%00', '..%2F..%2Fpackage.json', '%2e%2e', '.', '..'),
  fc.constantFrom('x'.repeat(5_000), 'icons/..', 'a%20b'),
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
);

const query = fc.oneof(
  fc.constant(''),
  fc.constantFrom(
    '?limit=-1',
    '?limit=1e309',
    '?limit=abc&limit=2',
    '?window=__proto__',
    '?window=7d&window=24h',
    '?by=constructor',
    '?by=site',
    '?with=usability-2025',
    '?with=%zz',
    '?__proto__=1',
    '?constructor[prototype]=1',
    '?from=2099-01-01&to=1',
    '?vantagePoint=toString',
    '?includeRetired=maybe',
    '?before=0&limit=501',
    '?action=note-added&actor=__proto__',
    '?%zz=1',
    '?from=2026-10-25T01:30&to=2026-10-26T00:00',
    '?from=2026-02-30T10:00',
    '?from=2026-10-25T01:30%2B01:00&to=2099-01-01T00:00Z',
    '?state=all&check=epr-login&system=epr&site=st-annes&organisation=riverside&since=2026-11-24T09:00',
    '?check=__proto__&system=constructor&site=toString',
    '?since=2099-01-01T00:00Z&until=1970-01-01T00:00Z',
    '?until=2026-10-25T01:30&limit=500',
  ),
  fc
    .array(fc.tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 })), { maxLength: 4 })
    .map(
      (pairs) => `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`,
    ),
);

const contentType = fc.constantFrom(
  undefined,
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=bogus',
  'application/json; charset=utf-16le',
  'application/json; charset="UTF-8"',
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=bogus',
  'multipart/form-data; boundary=x',
  'text/plain',
  'application/vnd.api+json',
  ';;;',
);

const contentEncoding = fc.constantFrom(
  undefined,
  'gzip',
  'deflate',
  'br',
  'identity',
  'bogus',
  'gzip, gzip',
);

/** Text of an object whose keys may be anything, `__proto__` included, written as given. */
const objectText = (entries: [string, string][]) =>
  `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`;

const key = fc.oneof(
  fc.constantFrom(...prototypeKeys),
  fc.constantFrom('epr', 'infra', 'sus1', 'sus10', 'umux1', 'infra.available', 'results', 'details'),
  fc.string({ maxLength: 20 }),
);
const jsonValue = fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value) ?? 'null');
const objectOf = (value: fc.Arbitrary<string>) =>
  fc.array(fc.tuple(key, value), { maxLength: 6 }).map(objectText);

const sus = susFor(70);
const surveyResponse = fc
  .record({
    organisation: mostly(fc.constant('"riverside"'), fc.oneof(fc.constant('"__proto__"'), jsonValue)),
    site: mostly(fc.constant('"st-annes"'), fc.oneof(fc.constant('"constructor"'), jsonValue)),
    staffGroup: mostly(fc.constant('"nursing"'), fc.oneof(fc.constant('"toString"'), jsonValue)),
    answers: fc.oneof(
      // A whole SUS for the system, with hostile company at either level.
      fc
        .tuple(
          mostly(fc.constant<[string, string][]>([]), fc.array(fc.tuple(key, jsonValue), { maxLength: 2 })),
          mostly(fc.constant<[string, string][]>([]), fc.array(fc.tuple(key, jsonValue), { maxLength: 2 })),
        )
        .map(([inside, beside]) =>
          objectText([
            [
              'epr',
              objectText([
                ...Object.entries(sus).map(([k, v]): [string, string] => [k, String(v)]),
                ...inside,
              ]),
            ],
            ...beside,
          ]),
        ),
      objectOf(objectOf(fc.oneof(fc.integer({ min: 0, max: 8 }).map(String), jsonValue))),
      jsonValue,
    ),
    comments: mostly(
      fc.string({ maxLength: 200 }).map((s) => JSON.stringify(s)),
      jsonValue,
    ),
  })
  .map((fields) => objectText(Object.entries(fields)));

const startedAt = fc.constantFrom(
  new Date(fixtureNow - 60_000).toISOString(),
  '2099-01-01T00:00:00.000Z',
  '+275760-09-13T00:00:00.000Z',
  'yesterday',
  '1970-01-01T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '2026-11-24T10:00:00-23:59',
);
const result = fc
  .record({
    id: fc.oneof(
      fc.uuid().map((id) => JSON.stringify(id)),
      jsonValue,
    ),
    checkId: fc.constantFrom('"epr-login"', '"__proto__"', '"nope"', '1'),
    startedAt: startedAt.map((s) => JSON.stringify(s)),
    state: fc.constantFrom('"ok"', '"fail"', '"skipped"', '"constructor"'),
    phases: fc.constantFrom(
      '{"dnsMs":1,"connectMs":1,"tlsMs":null,"ttfbMs":3,"transferMs":1,"totalMs":6}',
      'null',
      '{"totalMs":1e400}',
      '{"__proto__":{"totalMs":1}}',
    ),
    details: fc.oneof(objectOf(jsonValue), jsonValue),
  })
  .map((fields) => objectText(Object.entries(fields)));
const batch = fc.array(result, { maxLength: 5 }).map((items) => `{"results":[${items.join(',')}]}`);

const heartbeat = fc
  .record({
    version: fc.oneof(fc.constant('"1.0.0"'), jsonValue),
    sentAt: fc.oneof(fc.constant(String(fixtureNow)), jsonValue),
    outbox: fc.oneof(fc.constant('{"depth":0,"dropped":0,"oldestAt":null}'), objectOf(jsonValue)),
  })
  .map((fields) => objectText(Object.entries(fields)));

const formField = fc.oneof(
  fc.constantFrom(
    '_action',
    '_page',
    '_return',
    'organisation',
    'site',
    'staffGroup',
    'use.epr',
    'epr.sus1',
    'comment',
  ),
  fc.constantFrom(...prototypeKeys),
  fc.string({ maxLength: 10 }),
);
const formValue = fc.oneof(
  fc.constantFrom(
    'continue',
    'submit',
    'back',
    'change:__proto__',
    'change:about-you',
    'about-you',
    'check',
    'yes',
  ),
  fc.constantFrom(...prototypeKeys),
  fc.string({ maxLength: 20 }),
);
const form = fc.oneof(
  fc
    .array(fc.tuple(formField, formValue), { maxLength: 12 })
    .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')),
  fc.integer({ min: 900, max: 1_500 }).map((n) => Array.from({ length: n }, (_, i) => `f${i}=1`).join('&')),
  fc.constantFrom('a=%zz', '%=%', `comment=${'x'.repeat(40_000)}`),
);

const body = fc.oneof(
  fc.constant(''),
  surveyResponse,
  batch,
  heartbeat,
  form,
  jsonValue,
  objectOf(jsonValue),
  fc.integer({ min: 1, max: 300_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  fc.integer({ min: 1, max: 50_000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
  fc.integer({ min: 1_000, max: 200_000 }).map((n) => `{"${'k'.repeat(n)}":1}`),
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
);

const note = fc
  .record({
    text: mostly(
      fc.string({ maxLength: 300 }).map((t) => JSON.stringify(t)),
      jsonValue,
    ),
  })
  .map((fields) => objectText(Object.entries(fields)));
const grant = fc
  .record({
    role: mostly(fc.constantFrom('"admin"', '"partner"', '"viewer"'), jsonValue),
    organisations: mostly(fc.constantFrom('["riverside"]', '[]', '["__proto__"]'), jsonValue),
    label: mostly(fc.constant('"script"'), jsonValue),
  })
  .map((fields) => objectText(Object.entries(fields)));

const maintenance = fc
  .record({
    title: mostly(fc.constant('"Link upgrade"'), jsonValue),
    start: mostly(
      fc.constantFrom('"2026-10-25T00:30"', '"2026-10-25T01:30+01:00"', '"2026-03-29T01:30"'),
      jsonValue,
    ),
    end: mostly(
      fc.constantFrom('"2026-10-25T03:00"', '"2026-11-25T03:00Z"', '"2026-10-24T00:00"'),
      jsonValue,
    ),
    scope: mostly(
      fc.constantFrom(
        '{"systems":["epr"]}',
        '{"sites":["__proto__"]}',
        '{"tags":[]}',
        '{"checks":["epr-login"]}',
      ),
      jsonValue,
    ),
  })
  .map((fields) => objectText(Object.entries(fields)));

const report = fc
  .record({
    kind: mostly(fc.constantFrom('"month"', '"quarter"', '"year"'), jsonValue),
    period: mostly(fc.constantFrom('"2026-10"', '"2026-Q3"', '"2025"', '"2026-12"', '"2026"'), jsonValue),
  })
  .map((fields) => objectText(Object.entries(fields)));

/** What each kind of body route takes, as its clients send it. */
const natural = {
  response: { type: 'application/json', body: surveyResponse },
  form: { type: 'application/x-www-form-urlencoded', body: form },
  batch: { type: 'application/json', body: batch },
  heartbeat: { type: 'application/json', body: heartbeat },
  note: { type: 'application/json', body: note },
  grant: { type: 'application/json', body: grant },
  maintenance: { type: 'application/json', body: maintenance },
  report: { type: 'application/json', body: report },
} satisfies Record<NonNullable<Route['takes']>, { type: string; body: fc.Arbitrary<string> }>;

const hostileRequest = fc.constantFrom(...routes).chain((route) =>
  fc.record({
    route: fc.constant(route),
    id: route.ids ? mostly(fc.constantFrom(...route.ids), segment) : segment,
    query,
    method: fc.oneof(
      { weight: 6, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD') },
    ),
    contentType: route.takes ? mostly(fc.constant(natural[route.takes].type), contentType) : contentType,
    contentEncoding: mostly(fc.constant(undefined), contentEncoding),
    compress: fc.boolean(),
    token: fc.oneof(
      { weight: 5, arbitrary: fc.constant<string | undefined>('live') },
      { weight: 1, arbitrary: fc.constantFrom(undefined, 'vat_x_y', 'Bearer', 'vat_'.padEnd(300, 'a')) },
    ),
    body: route.takes ? mostly(natural[route.takes].body, body) : body,
    /** For a form: sent with the cookie and field of a form the server showed (mostly). */
    csrf: mostly(fc.constant(true), fc.constant(false)),
  }),
);

type HostileRequest = typeof hostileRequest extends fc.Arbitrary<infer T> ? T : never;

describe('hostile requests to every route', () => {
  // One database for the whole run (a folder of its own, as useTmpDir gives one per test).
  const dir = mkdtempSync(join(tmpdir(), 'vantage-fuzz-'));
  let fixture: ApiFixture;
  let server: Server;
  let now = fixtureNow;
  let pass: FormPass;

  beforeAll(async () => {
    // The clock moves a minute per request, so the survey's rate limit does not stop the form and
    // the API from reaching their checks.
    fixture = await openApiFixture(dir, () => now);
    pass = await formPass(fixture.bare);
    server = await new Promise<Server>((resolve) => {
      const listening = createServer(fixture.app).listen(0, '127.0.0.1', () => resolve(listening));
    });
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await fixture.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const send = (req: HostileRequest) => {
    const { port } = server.address() as AddressInfo;
    const method = req.method ?? req.route.method;
    const headers: Record<string, string> = {};
    if (req.contentType !== undefined) headers['Content-Type'] = req.contentType;
    if (req.contentEncoding !== undefined) headers['Content-Encoding'] = req.contentEncoding;
    if (req.route.agent && req.token !== undefined) {
      headers.Authorization = `Bearer ${req.token === 'live' ? fixture.token : req.token}`;
    }
    let text = req.body;
    if (req.route.takes === 'form' && req.csrf) {
      headers.Cookie = pass.cookie;
      text = `_csrf=${pass.csrf}&${text}`;
    }
    let payload = Buffer.from(text);
    if (req.compress && req.contentEncoding === 'gzip') payload = gzipSync(payload);
    // Framed by its length whatever the method (Node frames a GET's body by nothing otherwise).
    if (payload.length > 0) headers['Content-Length'] = String(payload.length);
    const path = req.route.path.replace(':id', req.id) + req.query;
    return new Promise<{ status: number; type: string; text: string }>((resolve, reject) => {
      const outgoing = httpRequest(
        { host: '127.0.0.1', port, method, path, headers, timeout: 5_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              type: res.headers['content-type'] ?? '',
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
        },
      );
      outgoing.on('timeout', () => outgoing.destroy(new Error(`${method} ${path} took over 5 s`)));
      outgoing.on('error', reject);
      outgoing.end(payload.length === 0 ? undefined : payload);
    });
  };

  it('names every route the app mounts', () => {
    // Each route's own path, as its router has it (routers are mounted under /api/v1 and the like).
    const mounted: { method: string; path: string }[] = [];
    const walk = (stack: { route?: { path: unknown; methods: object }; handle?: { stack?: unknown } }[]) => {
      for (const layer of stack) {
        if (layer.route && typeof layer.route.path === 'string') {
          for (const method of Object.keys(layer.route.methods)) {
            mounted.push({ method: method.toUpperCase(), path: layer.route.path });
          }
        } else if (Array.isArray(layer.handle?.stack)) {
          walk(layer.handle.stack);
        }
      }
    };
    walk((fixture.bare as unknown as { router: { stack: [] } }).router.stack);
    const missing = mounted.filter(
      ({ method, path }) => !routes.some((route) => route.method === method && route.path.endsWith(path)),
    );
    expect(mounted.length).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  });

  it('never answers 5xx, stores nothing it refuses, and answers /healthz after', async () => {
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(hostileRequest, async (req) => {
        now += 61_000;
        const before = fixture.rowCounts();
        // Only this request's faults: a shrunk case must fail by itself.
        fixture.errors.length = 0;
        const res = await send(req);
        const where = `${req.method ?? req.route.method} ${req.route.path} (${req.id}${req.query})`;
        expect(res.status, `${where}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
        expect(fixture.errors, where).toEqual([]);
        if (res.status >= 400) {
          refused += 1;
          expect(fixture.rowCounts(), where).toEqual(before);
          if (res.type.startsWith('application/json') && res.text !== '') {
            expect(JSON.parse(res.text).error.code, where).toMatch(/^[a-z_]+$/);
          }
        }
      }),
      { numRuns: 300 },
    );
    // Many cases are hostile through and through: were few refused, the generators would not be doing
    // their job (about 40% are).
    expect(refused).toBeGreaterThan(75);
    const health = await send({
      route: { method: 'GET', path: '/healthz' },
      id: '',
      query: '',
      method: undefined,
      contentType: undefined,
      contentEncoding: undefined,
      compress: false,
      token: undefined,
      body: '',
      csrf: false,
    });
    expect(health.status).toBe(200);
    expect(JSON.parse(health.text)).toEqual({ status: 'ok' });
  }, 60_000);
});
