import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertEveryRouteRuled, declaredRoutes } from '../../server/access/route-rules.js';
import { allow, provideAccessContext, read } from '../../server/access/rules.js';
import { ackToken } from '../../server/alerts/ack-link.js';
import type { PublicPart } from '../../server/config/schema.js';
import { type ApiFixture, fixtureAckKey, fixtureNow, openApiFixture } from '../helpers/api-fixture.js';
import { apiTokenFor, tokenParts } from '../helpers/as-admin.js';
import {
  ACT,
  ADMIN,
  AGENT,
  ANYONE,
  type Callers,
  makeCallers,
  type Outcome,
  type Outcomes,
  outcomeOf,
  PAGE,
  type Principal,
  PUBLIC,
  PUBLIC_PAGE,
  principals,
  READ,
} from './callers.js';
import { postForm } from './forms.js';

/** Who may use each route: every route the app declares, asked by every kind of caller (callers.ts). */

interface Expected {
  /** The path asked for, its parameters filled from the fixture. */
  url: string;
  outcomes: Outcomes;
  /** A change's body: JSON, or a form (its page asked for first, for the form's own CSRF field). */
  body?: { json: unknown } | { form: Record<string, string>; page: string; fresh?: boolean };
}

const row = (url: string, outcomes: Outcomes, body?: Expected['body']): Expected => ({
  url,
  outcomes,
  ...(body ? { body } : {}),
});

const ACK_TOKEN = ackToken(fixtureAckKey, '1', fixtureNow + 3_600_000);

/** Dashboard pages are routed by pattern; the key is the pattern as Express holds it. */
const SURVEY_PAGES = String.raw`^\/surveys(\/[a-z0-9-]+)?$`;
const OTHER_PAGES = String.raw`^\/(?!api\/|metrics$|survey\/|sign-in|sign-out|auth\/)[^.]*$`;

/**
 * One line per route the app declares: `METHOD path` (as Express holds it) → the address asked, its
 * parameters filled from the fixture, who gets in (ANYONE, READ, PUBLIC, PAGE, AGENT, ACT on something
 * riverside answers for, ADMIN), and for a change its body. A route added to the app without a line
 * here fails the first test below.
 */
const EXPECTED: Record<string, Expected> = {
  'GET /healthz': row('/healthz', ANYONE),
  'GET /readyz': row('/readyz', ANYONE),
  'GET /metrics': row('/metrics', PUBLIC),
  'GET /api/v1/estate': row('/api/v1/estate', READ),
  'GET /api/v1/checks': row('/api/v1/checks', READ),
  'GET /api/v1/checks/:id': row('/api/v1/checks/epr-login', READ),
  'GET /api/v1/checks/:id/results': row('/api/v1/checks/epr-login/results', READ),
  'GET /api/v1/checks/:id/summary': row('/api/v1/checks/epr-login/summary', READ),
  'GET /api/v1/checks/:id/series': row('/api/v1/checks/epr-login/series', READ),
  'GET /api/v1/systems/:id/responsibility': row('/api/v1/systems/epr/responsibility', READ),
  'GET /api/v1/principles': row('/api/v1/principles', READ),
  'GET /api/v1/compliance': row('/api/v1/compliance?period=2026-10', READ),
  'GET /api/v1/organisations/:id/compliance': row('/api/v1/organisations/riverside/compliance', READ),
  'GET /api/v1/organisations/:id/outages': row('/api/v1/organisations/riverside/outages', READ),
  'GET /api/v1/principles/:id/compliance': row(
    '/api/v1/principles/epr-available/compliance?period=2026-10',
    READ,
  ),
  'GET /api/v1/checks/:id/outages': row('/api/v1/checks/epr-login/outages', READ),
  'GET /api/v1/agents': row('/api/v1/agents', READ),
  'GET /api/v1/status': row('/api/v1/status', PUBLIC),
  'GET /api/v1/overview': row('/api/v1/overview?period=2026-10', READ),
  'GET /api/v1/overview/now': row('/api/v1/overview/now', READ),
  'GET /api/v1/agent/assignments': row('/api/v1/agent/assignments', AGENT),
  'POST /api/v1/agent/heartbeat': row('/api/v1/agent/heartbeat', AGENT, { json: {} }),
  'POST /api/v1/agent/results': row('/api/v1/agent/results', AGENT, { json: { results: [] } }),
  'GET /api/v1/surveys': row('/api/v1/surveys', PUBLIC),
  'POST /api/v1/surveys/:id/responses': row('/api/v1/surveys/usability-2026/responses', ANYONE, {
    json: {},
  }),
  'GET /api/v1/surveys/:id/results': row('/api/v1/surveys/usability-2026/results', PUBLIC),
  'GET /api/v1/surveys/:id/comments': row('/api/v1/surveys/usability-2026/comments', READ),
  'GET /api/v1/surveys/:id/targets': row('/api/v1/surveys/usability-2026/targets', READ),
  'GET /api/v1/surveys/:id/compare': row(
    '/api/v1/surveys/usability-2026/compare?with=usability-2025',
    PUBLIC,
  ),
  'GET /survey/assets/nhsuk.css': row('/survey/assets/nhsuk.css', ANYONE),
  'GET /survey/assets/site-filter.js': row('/survey/assets/site-filter.js', ANYONE),
  'GET /survey/:id': row('/survey/usability-2026', ANYONE),
  'POST /survey/:id': row('/survey/usability-2026', ANYONE, {
    form: { page: 'start' },
    page: '/survey/usability-2026/about-you',
  }),
  'GET /survey/:id/about-you': row('/survey/usability-2026/about-you', ANYONE),
  'GET /survey/:id/thank-you': row('/survey/usability-2026/thank-you', ANYONE),
  [`GET ${SURVEY_PAGES}`]: row('/surveys/usability-2026', PUBLIC_PAGE),
  'GET /status': row('/status', PUBLIC_PAGE),
  'GET /sign-in': row('/sign-in', ANYONE),
  'POST /sign-in': row('/sign-in', ANYONE, {
    form: { email: 'nobody@example.org', password: 'not the password' },
    page: '/sign-in',
    fresh: true,
  }),
  // Demo accounts are offered only by a server started with --demo: a 404 here, to everyone alike.
  'POST /sign-in/demo': row('/sign-in/demo', ANYONE, {
    form: { account: 'cio' },
    page: '/sign-in',
    fresh: true,
  }),
  // Signed in, the page's sign-out form carries the session's value: the sessions end (made again after).
  'POST /sign-out': row('/sign-out', ANYONE, { form: {}, page: '/sign-in' }),
  // Sign-in through the identity provider: not set up in this estate, a 404 page to everyone alike.
  'GET /auth/oidc': row('/auth/oidc', ANYONE),
  'GET /auth/callback': row('/auth/callback', ANYONE),
  'GET /api/v1/me': row('/api/v1/me', READ),
  'GET /api/v1/systems/:id/notes': row('/api/v1/systems/epr/notes', READ),
  'POST /api/v1/systems/:id/notes': row('/api/v1/systems/epr/notes', ACT, {
    json: { text: 'Link upgrade booked' },
  }),
  'GET /api/v1/sites/:id/notes': row('/api/v1/sites/st-annes/notes', READ),
  'POST /api/v1/sites/:id/notes': row('/api/v1/sites/st-annes/notes', ACT, {
    json: { text: 'Switch replaced' },
  }),
  // Anyone signed in may ask; only the note's author or an admin may remove it (the route decides, 403).
  'DELETE /api/v1/notes/:id': row('/api/v1/notes/999999', READ),
  'GET /api/v1/maintenance': row('/api/v1/maintenance', READ),
  // The whole scope must be riverside's for its partners (maintenance-rule.ts): epr is.
  'POST /api/v1/maintenance': row('/api/v1/maintenance', ACT, {
    json: {
      title: 'Link upgrade',
      start: '2026-11-24T20:00',
      end: '2026-11-24T22:00',
      scope: { systems: ['epr'] },
    },
  }),
  // No such window: a 404 to every partner and admin alike; viewers are refused before it is looked for.
  'POST /api/v1/maintenance/:id/end': row('/api/v1/maintenance/no-such-window/end', {
    ...READ,
    viewer: 403,
    'api-token': 403,
  }),
  // Partners see their organisations' channels only (none, for eastfield's here): the route filters.
  'GET /api/v1/notifications': row('/api/v1/notifications', { ...ACT, 'partner-other': 'ok' }),
  'POST /api/v1/notifications/:id/retry': row('/api/v1/notifications/999/retry', ADMIN),
  // Partners see their organisations' channels only (none here): the route filters.
  'GET /api/v1/channels': row('/api/v1/channels', { ...ACT, 'partner-other': 'ok' }),
  // No such channel: a 404 to every partner and admin alike; viewers are refused before it is looked for.
  'POST /api/v1/channels/:id/test': row('/api/v1/channels/no-such-channel/test', {
    ...READ,
    viewer: 403,
    'api-token': 403,
  }),
  'GET /api/v1/users': row('/api/v1/users', ADMIN),
  'PATCH /api/v1/users/:id': row('/api/v1/users/nobody', ADMIN, { json: { role: 'viewer' } }),
  'DELETE /api/v1/users/:id': row('/api/v1/users/nobody', ADMIN),
  'GET /api/v1/api-tokens': row('/api/v1/api-tokens', ADMIN),
  'POST /api/v1/api-tokens': row('/api/v1/api-tokens', ADMIN, {
    json: { role: 'viewer', label: 'route table' },
  }),
  'DELETE /api/v1/api-tokens/:id': row('/api/v1/api-tokens/00000000', ADMIN),
  'GET /api/v1/audit': row('/api/v1/audit', ADMIN),
  'GET /api/v1/reports': row('/api/v1/reports', READ),
  'GET /api/v1/reports/:id': row('/api/v1/reports/2026-09', READ),
  'POST /api/v1/reports': row('/api/v1/reports', ADMIN, { json: { kind: 'month', period: '2026-10' } }),
  'POST /api/v1/reports/:id/reissue': row('/api/v1/reports/no-such-report/reissue', ADMIN),
  'GET /reports/:id.csv': row('/reports/2026-09.csv', READ),
  'GET /reports/:id.pdf': row('/reports/2026-09.pdf', PAGE),
  'GET /reports/:id': row('/reports/2026-09', PAGE),
  'GET /api/v1/alerts': row('/api/v1/alerts?state=all', READ),
  'GET /api/v1/alerts/:id': row('/api/v1/alerts/1', READ),
  // Incident 1 is riverside's (epr's owner): once acknowledged, the rest who may are answered 409.
  'POST /api/v1/alerts/:id/ack': row('/api/v1/alerts/1/ack', ACT),
  // The dashboard's incident page, with its summary and Acknowledge form for a browser without scripts.
  'GET /alerts/:id': row('/alerts/1', PAGE),
  // The signed link is the credential: anyone holding it.
  'GET /alerts/:id/ack': row(`/alerts/1/ack?token=${ACK_TOKEN}`, ANYONE),
  'POST /alerts/:id/ack': row('/alerts/1/ack', ANYONE, {
    form: { token: ACK_TOKEN },
    page: `/alerts/1/ack?token=${ACK_TOKEN}`,
    fresh: true,
  }),
  [`GET ${OTHER_PAGES}`]: row('/checks/epr-login', PAGE),
};

/** Routes of a feature the fixture's estate does not set up (sign-in through an identity provider): 404 to all. */
const NOT_SET_UP = new Set(['GET /auth/oidc', 'GET /auth/callback']);

describe(`who may use each route: ${Object.keys(EXPECTED).length} routes × ${principals.length} callers`, () => {
  // One database for every test here (useTmpDir's folder is removed after each test).
  const dir = mkdtempSync(join(tmpdir(), 'vantage-routes-'));
  let fixture: ApiFixture;
  let callers: Callers;

  beforeAll(async () => {
    fixture = await openApiFixture(dir);
    callers = await makeCallers(fixture.store, fixture.token, fixtureNow);
    // A stored report, for the routes that read one.
    const made = await request(fixture.bare)
      .post('/api/v1/reports')
      .set('Authorization', `Bearer ${await apiTokenFor(fixture.store, 'admin')}`)
      .send({ kind: 'month', period: '2026-09' });
    expect(made.status).toBe(201);
  });
  afterAll(async () => {
    await fixture.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has a line in the table for every route the app declares, and none for a route it does not', () => {
    const declared = [
      ...new Set(declaredRoutes(fixture.bare).map((route) => `${route.method} ${route.path}`)),
    ];
    console.log(
      `route table: ${declared.length} routes × ${principals.length} callers = ${declared.length * principals.length} cases`,
    );
    const missing = declared.filter((key) => !(key in EXPECTED));
    expect(missing.map((key) => `no expected access for ${key}: add it to the table`)).toEqual([]);
    const stale = Object.keys(EXPECTED).filter((key) => !declared.includes(key));
    expect(stale.map((key) => `the table lists ${key}, which the app does not declare`)).toEqual([]);
  });

  async function ask(method: string, expected: Expected, principal: Principal): Promise<request.Response> {
    const headers = callers.credentials(principal, method);
    const body = expected.body;
    if (body && 'form' in body) {
      // A fresh page, as a tab opened before signing in would hold; the post then carries the caller's credentials.
      const shownWith = body.fresh ? {} : headers;
      return postForm(fixture.bare, body.page, expected.url, body.form, headers, shownWith);
    }
    let sent = request(fixture.bare)
      [method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](expected.url)
      .set(headers);
    if (body) sent = sent.send(body.json as object);
    return sent;
  }

  it.each(Object.entries(EXPECTED))('%s', async (key, expected) => {
    const method = key.split(' ')[0] as string;
    const actual = {} as Record<Principal, Outcome | `${number}`>;
    for (const principal of principals) {
      const publicParts: PublicPart[] = principal === 'public' ? ['metrics', 'surveys', 'status'] : [];
      fixture.estate.access.public = publicParts;
      try {
        actual[principal] = outcomeOf(await ask(method, expected, principal));
      } finally {
        fixture.estate.access.public = [];
      }
    }
    // Signing out ended the callers' sessions: the next lines need them live.
    if (key === 'POST /sign-out') callers = await makeCallers(fixture.store, fixture.token, fixtureNow);
    expect(actual).toEqual(expected.outcomes);
    // The address names something real: an admin asking for it gets it (a typo would be a 404 to all).
    if (method === 'GET' && expected.outcomes.admin === 'ok' && !NOT_SET_UP.has(key)) {
      expect((await ask(method, expected, 'admin')).status).toBeLessThan(400);
    }
  });

  it('never answers an admin with a password hash, a token or its hash, or a session id', async () => {
    await fixture.store.access.putUser({
      ...callers.sessions.viewer.user,
      id: 'local-account',
      email: 'local@example.nhs.uk',
      passwordHash: 'scrypt$32768$8$1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g',
    });
    const { sessions, apiToken } = callers;
    const secrets = new Set<string>([apiToken, tokenParts(apiToken).secret, fixture.token]);
    for (const session of Object.values(sessions)) secrets.add(session.secret);
    // Another user's CSRF value is theirs alone (an admin may be shown their own).
    for (const [who, session] of Object.entries(sessions)) if (who !== 'admin') secrets.add(session.csrf);
    for (const value of hashesInDatabase(join(dir, 'api.db'))) secrets.add(value);
    expect(secrets.size).toBeGreaterThan(10);

    const adminToken = `Bearer ${await apiTokenFor(fixture.store, 'admin')}`;
    for (const [key, expected] of Object.entries(EXPECTED)) {
      if (!key.startsWith('GET ') || NOT_SET_UP.has(key)) continue;
      // Asked by whoever may: an admin (signed in, and with a token), or an agent for the agents' routes.
      const callers: Record<string, string>[] =
        expected.outcomes.admin === 'ok'
          ? [{ Cookie: sessions.admin.cookie }, { Authorization: adminToken }]
          : [{ Authorization: `Bearer ${fixture.token}` }];
      for (const headers of callers) {
        const answer = await request(fixture.bare).get(expected.url).set(headers);
        expect(answer.status, key).toBeLessThan(400);
        const text = answer.text ?? '';
        for (const secret of secrets) expect(text.includes(secret), `${key} holds a secret`).toBe(false);
      }
    }
    for (const line of fixture.errors)
      for (const secret of secrets)
        expect(line.includes(secret), 'a logged error holds a secret').toBe(false);
  });

  it('refuses with JSON naming what is missing', async () => {
    const viewer = await request(fixture.bare)
      .post('/api/v1/agent/heartbeat')
      .set('Authorization', `Bearer ${callers.apiToken}`)
      .send({});
    expect(viewer.status).toBe(401);
    const agent = await request(fixture.bare)
      .get('/api/v1/estate')
      .set('Authorization', `Bearer ${fixture.token}`);
    expect(agent.status).toBe(403);
    expect(agent.body).toEqual({
      error: {
        code: 'forbidden',
        message: 'an agent token opens only the agent routes',
        details: { needs: 'a user or API token' },
      },
    });
    const anonymous = await request(fixture.bare).get('/api/v1/estate');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthorised');
  });
});

describe('an app with a route that has no rule', () => {
  function tinyApp(): express.Express {
    const app = express();
    provideAccessContext(app.locals, { estate: () => undefined, onPageRefused: () => {} });
    app.get('/guarded', allow(read), (_req, res) => {
      res.json({});
    });
    return app;
  }

  it('is accepted when every route is guarded', () => {
    expect(() => assertEveryRouteRuled(tinyApp())).not.toThrow();
  });

  it('is refused, naming the route, when one is not', () => {
    const app = tinyApp();
    const router = express.Router();
    router.delete('/things/:id', (_req, res) => {
      res.json({});
    });
    app.use('/api', router);
    // A guard that is not first does not count: it would run after the handler had answered.
    app.post('/late', (_req, _res, next) => next(), allow(read));
    expect(() => assertEveryRouteRuled(app)).toThrow(
      'routes without an access rule (put allow(rule) first): DELETE /api/things/:id, POST /late',
    );
  });
});

/** Every value of a column whose name says it holds a hash or a secret, in every table. */
function hashesInDatabase(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .pluck()
      .all() as string[];
    return tables.flatMap((table) => {
      const columns = (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[])
        .map((column) => column.name)
        // A report's content hash is printed on it for anyone to check: a fingerprint, not a secret.
        .filter((name) => /hash|secret/.test(name) && table !== 'reports');
      return columns.flatMap(
        (column) =>
          db
            .prepare(`SELECT "${column}" FROM "${table}" WHERE "${column}" IS NOT NULL`)
            .pluck()
            .all() as string[],
      );
    });
  } finally {
    db.close();
  }
}
