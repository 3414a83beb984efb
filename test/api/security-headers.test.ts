import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, fixtureNow, openApiFixture } from '../helpers/api-fixture.js';
import { type SignedIn, signedIn } from '../helpers/sessions.js';

const CSP =
  "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;font-src 'self';" +
  "connect-src 'self';form-action 'self';frame-ancestors 'none';base-uri 'none';object-src 'none'";

describe('security headers on every answer', () => {
  let fixture: ApiFixture;
  let viewer: SignedIn;
  // One folder for every test here (useTmpDir's is removed after each).
  const dir = mkdtempSync(join(tmpdir(), 'vantage-headers-'));

  beforeAll(async () => {
    fixture = await openApiFixture(dir);
    viewer = await signedIn(fixture.store, 'viewer', [], { now: fixtureNow });
  });
  afterAll(async () => {
    await fixture.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // Each kind of answer the server gives: pages, the API, the survey form, static files, refusals, errors.
  const answers: [string, () => request.Test, number][] = [
    [
      'a dashboard page, signed in',
      () => request(fixture.bare).get('/checks/epr-login').set('Cookie', viewer.cookie),
      200,
    ],
    ['a dashboard page, sent to sign in', () => request(fixture.bare).get('/'), 303],
    ['an API answer', () => request(fixture.bare).get('/api/v1/estate').set('Cookie', viewer.cookie), 200],
    ['an API refusal for want of a session', () => request(fixture.bare).get('/api/v1/checks'), 401],
    [
      'an API refusal for want of a role',
      () => request(fixture.bare).post('/api/v1/agent/heartbeat').set('Cookie', viewer.cookie).send({}),
      401,
    ],
    ['an API 404', () => request(fixture.app).get('/api/v1/no-such-thing'), 404],
    ['an invalid request', () => request(fixture.app).get('/api/v1/checks/epr-login/results?limit=x'), 400],
    ['the survey form', () => request(fixture.bare).get('/survey/usability-2026'), 200],
    ['the survey stylesheet', () => request(fixture.bare).get('/survey/assets/nhsuk.css'), 200],
    ['a dashboard script', () => request(fixture.bare).get('/assets/app.js'), 200],
    ['health', () => request(fixture.bare).get('/healthz'), 200],
    ['metrics refused', () => request(fixture.bare).get('/metrics'), 401],
  ];

  it.each(answers)('%s', async (_name, send, status) => {
    const answer = await send();
    expect(answer.status).toBe(status);
    expect(answer.headers['content-security-policy']).toBe(CSP);
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['referrer-policy']).toBe('same-origin');
    expect(answer.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(answer.headers['x-frame-options']).toBe('DENY');
    expect(answer.headers['x-powered-by']).toBeUndefined();
    // Plain HTTP: no HSTS (test/cli/serve-tls.test.ts has it over HTTPS).
    expect(answer.headers['strict-transport-security']).toBeUndefined();
  });

  it('serves pages with nothing inline for the CSP to refuse', async () => {
    const form = await request(fixture.bare).get('/survey/usability-2026');
    expect(form.text).not.toMatch(/<style|<script|\sstyle=|\son[a-z]+=/i);
    // The form's own rules moved into the stylesheet it links.
    const css = await request(fixture.bare).get('/survey/assets/nhsuk.css');
    expect(css.text).toContain('.vantage-link-button{');
  });

  it('sends HSTS only when a trusted proxy says the request came over HTTPS', async () => {
    fixture.estate.settings.trustProxy = ['loopback'];
    try {
      const proxied = await request(fixture.bare).get('/healthz').set('X-Forwarded-Proto', 'https');
      expect(proxied.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    } finally {
      delete fixture.estate.settings.trustProxy;
    }
    // An untrusted sender cannot claim HTTPS.
    const claimed = await request(fixture.bare).get('/healthz').set('X-Forwarded-Proto', 'https');
    expect(claimed.headers['strict-transport-security']).toBeUndefined();
  });
});
