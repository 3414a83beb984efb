import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../common/logger.js';
import { hashPassword } from '../../server/access/passwords.js';
import { createApp } from '../../server/api/app.js';
import type { Estate } from '../../server/config/schema.js';
import type { Role } from '../../server/store/access.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';
import { csrfOf, formPass, sessionCookieOf } from '../helpers/forms.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const PASSWORD = 'a long and memorable passphrase';

describe('signing in with a local account', () => {
  let store: SqliteStores;
  let estate: Estate;
  let now: number;
  let logged: string[];
  let app: ReturnType<typeof createApp>;
  const build = (demo = false) => {
    const logger: Logger = {
      info: (m, f) => logged.push(`${m} ${JSON.stringify(f ?? {})}`),
      warn: (m, f) => logged.push(`${m} ${JSON.stringify(f ?? {})}`),
      error: (m, f) => logged.push(`${m} ${JSON.stringify(f ?? {})}`),
    };
    return createApp({ store, clock: { now: () => now }, logger, estate: () => estate, demo });
  };
  const addUser = async (email: string, role: Role, organisations: string[] = []) =>
    store.access.putUser({
      id: randomUUID(),
      email,
      name: email.split('@')[0] as string,
      role,
      organisations,
      source: 'local',
      passwordHash: await hashPassword(PASSWORD),
      claims: null,
      createdAt: now,
      updatedAt: now,
      lastSignInAt: null,
    });
  const signIn = async (email: string, password: string, next = '/checks/epr-login') => {
    const pass = await formPass(app);
    return request(app)
      .post('/sign-in')
      .set('Cookie', pass.cookie)
      .type('form')
      .send({ _csrf: pass.csrf, email, password, next });
  };

  beforeEach(async () => {
    now = Date.UTC(2026, 10, 24, 10, 30);
    logged = [];
    store = SqliteStores.open(join(tmp(), 'sign-in.db'));
    estate = estateFrom(smallEstateYaml);
    await store.estate.syncEstate(estate, now);
    app = build();
  });
  afterEach(async () => {
    await store.close();
  });

  it('shows the form with its CSRF value in a Strict HttpOnly cookie, and no demo accounts', async () => {
    const page = await request(app).get('/sign-in?next=/checks/epr-login');
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.text).toContain('<form method="post" action="/sign-in"');
    expect(page.text).toContain('name="next" value="/checks/epr-login"');
    const cookie = ([] as string[]).concat(page.headers['set-cookie'] ?? [])[0] as string;
    expect(cookie).toMatch(/^vantage_form=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(cookie).toContain(csrfOf(page.text));
    expect(page.text).not.toContain('Demo only');
    expect(page.text).not.toContain('/auth/oidc');
    expect((await request(app).post('/sign-in/demo').type('form').send({})).status).toBe(404);
  });

  it('offers the identity provider when the estate has one, labelled as the estate says', async () => {
    const oidc = { issuer: 'https://login.example.org/t/v2.0', clientId: 'c', clientSecret: '${S}' };
    estate = { ...estate, access: { oidc } };
    const page = await request(app).get('/sign-in?next=/systems/epr');
    expect(page.text).toContain('href="/auth/oidc?next=%2Fsystems%2Fepr"');
    expect(page.text).toContain('Sign in with your NHS account');
    estate = { ...estate, access: { oidc: { ...oidc, label: 'NHSmail' } } };
    expect((await request(app).get('/sign-in')).text).toContain('Sign in with NHSmail');
  });

  it('signs in: a new HttpOnly SameSite session cookie (not Secure over http), 303 to next, audited', async () => {
    await addUser('cio@nhs.net', 'admin');
    const res = await signIn('CIO@nhs.net ', PASSWORD);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/checks/epr-login');
    const set = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    const session = set.find((c) => c.startsWith('vantage_session=')) as string;
    expect(session).toMatch(/; Path=\/; HttpOnly; SameSite=Lax; Max-Age=43200$/);
    expect(session).not.toContain('Secure');
    const cookie = sessionCookieOf(res);
    expect((await request(app).get('/api/v1/checks').set('Cookie', cookie)).status).toBe(200);
    // Signed in, the page says so and offers to carry on or sign out.
    const page = await request(app).get('/sign-in?next=/systems/epr').set('Cookie', cookie);
    expect(page.text).toContain('You are signed in as cio (cio@nhs.net), administrator.');
    expect(page.text).toContain('href="/systems/epr"');
    const log = await store.access.auditLog({ limit: 10 });
    expect(log.map((e) => [e.actor, e.action, e.detail])).toEqual([
      ['cio@nhs.net', 'sign-in', { method: 'local', role: 'admin' }],
    ]);
    expect((await store.access.userByEmail('cio@nhs.net'))?.lastSignInAt).toBe(now);
  });

  it('goes only to a path on this site after signing in', async () => {
    await addUser('cio@nhs.net', 'admin');
    for (const next of [
      '//evil.example/x',
      '/\\evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
      '/a\nb',
    ]) {
      const res = await signIn('cio@nhs.net', PASSWORD, next);
      expect(res.headers.location, next).toBe('/');
    }
    expect((await signIn('cio@nhs.net', PASSWORD, '/surveys/u?compare=v')).headers.location).toBe(
      '/surveys/u?compare=v',
    );
  });

  it('refuses a wrong password and an unknown account alike (400), without saying which', async () => {
    await addUser('cio@nhs.net', 'admin');
    const wrong = await signIn('cio@nhs.net', 'not the passphrase at all');
    const unknown = await signIn('nobody@nhs.net', PASSWORD);
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(400);
      expect(res.text).toContain('There is a problem');
      expect(res.text).toContain('Enter a correct email address and password');
      expect(res.headers['set-cookie'] ?? []).not.toContainEqual(expect.stringMatching(/vantage_session/));
    }
    const empty = await signIn('', '');
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Enter your email address');
    expect(empty.text).toContain('Enter your password');
    const log = await store.access.auditLog({ limit: 10 });
    expect(log.map((e) => [e.actor, e.action, e.detail?.reason]).reverse()).toEqual([
      ['cio@nhs.net', 'sign-in-failed', 'wrong-password'],
      ['nobody@nhs.net', 'sign-in-failed', 'unknown-account'],
    ]);
  });

  it('slows an account after 5 failures: 429 with Retry-After, even for the right password, until the wait ends', async () => {
    await addUser('cio@nhs.net', 'admin');
    for (let i = 0; i < 5; i++) expect((await signIn('cio@nhs.net', `wrong password ${i}`)).status).toBe(400);
    const refused = await signIn('cio@nhs.net', PASSWORD);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.text).toContain('Try again in 1 minute, after 10:31.');
    now += 60_000;
    expect((await signIn('cio@nhs.net', PASSWORD)).status).toBe(303);
  });

  it('refuses a form without its cookie, with another value, or posted from another site (403), storing nothing', async () => {
    await addUser('cio@nhs.net', 'admin');
    const pass = await formPass(app);
    const fields = { email: 'cio@nhs.net', password: PASSWORD, next: '/' };
    const attempts = [
      request(app)
        .post('/sign-in')
        .type('form')
        .send({ ...fields, _csrf: pass.csrf }),
      request(app).post('/sign-in').set('Cookie', pass.cookie).type('form').send(fields),
      request(app)
        .post('/sign-in')
        .set('Cookie', pass.cookie)
        .type('form')
        // Another value: the last character changed (it may already be A, one time in 64).
        .send({ ...fields, _csrf: `${pass.csrf.slice(0, -1)}${pass.csrf.endsWith('A') ? 'B' : 'A'}` }),
      request(app)
        .post('/sign-in')
        .set('Cookie', pass.cookie)
        .set('Origin', 'https://evil.example')
        .set('Accept', 'text/html')
        .type('form')
        .send({ ...fields, _csrf: pass.csrf }),
      request(app)
        .post('/sign-in')
        .set('Cookie', pass.cookie)
        .set('Sec-Fetch-Site', 'cross-site')
        .set('Accept', 'text/html')
        .type('form')
        .send({ ...fields, _csrf: pass.csrf }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(403);
      expect(res.text).toContain('This form has expired or came from another site');
      expect(res.headers['set-cookie'] ?? []).not.toContainEqual(expect.stringMatching(/vantage_session/));
    }
    expect(await store.access.auditLog({ limit: 10 })).toEqual([]);
    // The same origin is no obstacle.
    const host = await request(app)
      .post('/sign-in')
      .set('Cookie', pass.cookie)
      .set('Host', 'vantage.example.org')
      .set('Origin', 'http://vantage.example.org')
      .set('Sec-Fetch-Site', 'same-origin')
      .type('form')
      .send({ ...fields, _csrf: pass.csrf });
    expect(host.status).toBe(303);
  });

  it('refuses a cross-site change on any route unless it carries a bearer token', async () => {
    const cross = await request(app)
      .post('/api/v1/surveys/nope/responses')
      .set('Origin', 'null')
      .send({ organisation: 'riverside' });
    expect(cross.status).toBe(403);
    expect(cross.body.error).toEqual({
      code: 'forbidden',
      message: 'a POST from another site is refused: null',
      details: { origin: 'null' },
    });
    const script = await request(app)
      .post('/api/v1/agent/heartbeat')
      .set('Origin', 'https://evil.example')
      .set('Authorization', 'Bearer vat_not_a_token')
      .send({});
    expect(script.status).toBe(401); // the agent routes' own answer, not the cross-site refusal
  });

  it('takes a form through a trusted proxy serving HTTPS, with Secure __Host- cookies', async () => {
    await addUser('cio@nhs.net', 'admin');
    estate = estateFrom(`${smallEstateYaml}settings: { trustProxy: [loopback] }\n`);
    const proxied = (req: request.Test) =>
      req
        .set('X-Forwarded-Proto', 'https')
        .set('X-Forwarded-Host', 'vantage.example.org')
        .set('Origin', 'https://vantage.example.org')
        .set('Sec-Fetch-Site', 'same-origin');
    const page = await proxied(request(app).get('/sign-in'));
    const cookie = String(page.headers['set-cookie']);
    expect(cookie).toMatch(/^__Host-vantage_form=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Secure$/);
    const res = await proxied(request(app).post('/sign-in'))
      .set('Cookie', cookie.split(';')[0] as string)
      .type('form')
      .send({ _csrf: csrfOf(page.text), email: 'cio@nhs.net', password: PASSWORD, next: '/' });
    expect(res.status).toBe(303);
    expect(String(res.headers['set-cookie'])).toMatch(
      /^__Host-vantage_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Secure/,
    );
    // The proxy not trusted, the scheme and host it forwards are not believed: the post is another site's.
    estate = estateFrom(smallEstateYaml);
    const untrusted = await proxied(request(app).post('/sign-in')).type('form').send({});
    expect(untrusted.status).toBe(403);
    expect(untrusted.body.error.message).toBe(
      'a POST from another site is refused: https://vantage.example.org',
    );
  });

  it('signs out: the session ends, its cookie is cleared, and the old cookie gets 401 from the API', async () => {
    await addUser('viewer@nhs.net', 'viewer');
    const cookie = sessionCookieOf(await signIn('viewer@nhs.net', PASSWORD));
    const page = await request(app).get('/sign-in').set('Cookie', cookie);
    const csrf = csrfOf(page.text);
    // Without the session's value, nothing happens.
    const forged = await request(app).post('/sign-out').set('Cookie', cookie).type('form').send({});
    expect(forged.status).toBe(403);
    expect((await request(app).get('/api/v1/checks').set('Cookie', cookie)).status).toBe(200);

    const out = await request(app).post('/sign-out').set('Cookie', cookie).type('form').send({ _csrf: csrf });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/sign-in');
    expect(([] as string[]).concat(out.headers['set-cookie'] ?? [])).toContainEqual(
      expect.stringMatching(/^vantage_session=; .*Max-Age=0/),
    );
    const api = await request(app).get('/api/v1/checks').set('Cookie', cookie);
    expect(api.status).toBe(401);
    expect(api.body.error.message).toContain('your session has ended');
    expect((await request(app).get('/sign-in').set('Cookie', cookie)).text).toContain(
      'Your session has ended',
    );
    expect((await request(app).get('/sign-in?ended=1')).text).toContain('Your session has ended');
    const log = await store.access.auditLog({ limit: 10 });
    expect(log.map((e) => [e.actor, e.action])).toEqual([
      ['viewer@nhs.net', 'sign-out'],
      ['viewer@nhs.net', 'sign-in'],
    ]);
  });

  it('ends the session when it has been idle too long', async () => {
    await addUser('viewer@nhs.net', 'viewer');
    const cookie = sessionCookieOf(await signIn('viewer@nhs.net', PASSWORD));
    now += 61 * 60_000;
    expect((await request(app).get('/api/v1/checks').set('Cookie', cookie)).status).toBe(401);
    expect((await request(app).get('/sign-in').set('Cookie', cookie)).text).toContain(
      'Your session has ended',
    );
  });

  it('offers the demo accounts only with --demo, each signing in as its role', async () => {
    app = build(true);
    const page = await request(app).get('/sign-in?next=/systems/epr');
    expect(page.text).toContain('Demo only');
    expect(page.text).toContain('Sign in as the CIO (admin)');
    expect(page.text).toContain('Sign in as the IT team of Riverside Hospitals NHS Trust (partner)');
    expect(page.text).toContain('Sign in as a board member (viewer)');
    const pass = await formPass(app);
    const res = await request(app)
      .post('/sign-in/demo')
      .set('Cookie', pass.cookie)
      .type('form')
      .send({ _csrf: pass.csrf, account: 'partner', next: '/systems/epr' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/systems/epr');
    const user = await store.access.userByEmail('it-team@riverside.demo.vantage.invalid');
    expect(user).toMatchObject({
      role: 'partner',
      organisations: ['riverside'],
      source: 'demo',
      passwordHash: null,
    });
    const signedIn = await request(app).get('/sign-in').set('Cookie', sessionCookieOf(res));
    expect(signedIn.text).toContain('partner for riverside');
    // A demo account has no password to sign in with.
    expect((await signIn('it-team@riverside.demo.vantage.invalid', PASSWORD)).status).toBe(400);
    const log = await store.access.auditLog({ limit: 10 });
    expect(log.map((e) => [e.action, e.detail?.method, e.detail?.reason])).toEqual([
      ['sign-in-failed', 'local', 'not-a-local-account (demo)'],
      ['sign-in', 'demo', undefined],
    ]);
    // Without the form's value, no demo sign-in either.
    const forged = await request(app).post('/sign-in/demo').type('form').send({ account: 'cio' });
    expect(forged.status).toBe(403);
  });

  it('never puts a password, its hash or a session cookie in an answer or a log line', async () => {
    const user = await addUser('cio@nhs.net', 'admin');
    const answers: string[] = [];
    const res = await signIn('cio@nhs.net', PASSWORD);
    answers.push(res.text, JSON.stringify(res.headers.location));
    const cookie = sessionCookieOf(res);
    for (const path of ['/sign-in', '/api/v1/checks', '/api/v1/estate']) {
      answers.push((await request(app).get(path).set('Cookie', cookie)).text);
    }
    answers.push((await signIn('cio@nhs.net', `${PASSWORD}!`)).text);
    const secret = cookie.split('=')[1] as string;
    const audit = JSON.stringify(await store.access.auditLog({ limit: 100 }));
    for (const text of [...answers, ...logged, audit]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(user.passwordHash as string);
      expect(text).not.toContain(secret);
    }
  });
});
