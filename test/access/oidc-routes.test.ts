import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../common/logger.js';
import { safeNext } from '../../server/access/oidc/pending.js';
import { createApp } from '../../server/api/app.js';
import type { Estate } from '../../server/config/schema.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { estateFrom, smallEstateYaml } from '../helpers/estates.js';
import { startTestProvider, type TestProvider } from '../helpers/oidc-provider.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const SECRET = 'the-client-secret-9d8e7f';

const withOidc = (issuer: string, clientId = 'vantage') =>
  estateFrom(`${smallEstateYaml}access:
  oidc: { issuer: "${issuer}", clientId: ${clientId}, clientSecret: "\${VANTAGE_OIDC_SECRET:-x}" }
`);

describe('the OpenID sign-in routes', () => {
  const open: { close(): unknown }[] = [];
  afterEach(async () => {
    for (const item of open.splice(0).reverse()) await item.close();
  });

  async function serve(estate: () => Estate, now: () => number = Date.now) {
    const store = SqliteStores.open(join(tmp(), 'vantage.db'));
    const logs: string[] = [];
    const record = (level: string) => (message: string, fields?: object) =>
      logs.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
    const logger: Logger = { info: record('info'), warn: record('warn'), error: record('error') };
    const app = createApp({ store, clock: { now }, logger, estate, env: { VANTAGE_OIDC_SECRET: SECRET } });
    const server: Server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    open.push(store, { close: () => new Promise((resolve) => server.close(resolve)) });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const get = (path: string, headers: Record<string, string> = {}) =>
      fetch(`${base}${path}`, { redirect: 'manual', headers });
    return { base, get, logs, store };
  }

  async function provider(): Promise<TestProvider> {
    const started = await startTestProvider();
    started.register({
      clientId: 'vantage',
      clientSecret: SECRET,
      redirectUri: 'http://127.0.0.1:1/auth/callback',
    });
    open.push(started);
    return started;
  }

  it('answers 404 with a page saying so when the estate has no access.oidc', async () => {
    const { get } = await serve(() => estateFrom(smallEstateYaml));
    for (const path of ['/auth/oidc?next=/', '/auth/callback?code=x&state=y']) {
      const answer = await get(path);
      expect(answer.status).toBe(404);
      expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await answer.text()).toContain('Sign-in with an identity provider is not set up');
    }
  });

  it('sends the person to the provider with PKCE (S256), state and nonce, keeping them behind a one-use cookie', async () => {
    const idp = await provider();
    const { get } = await serve(() => withOidc(idp.issuer));
    const answer = await get('/auth/oidc?next=/checks/epr-login');
    expect(answer.status).toBe(302);
    const to = new URL(answer.headers.get('location') ?? '');
    expect(`${to.origin}${to.pathname}`).toBe(`${idp.issuer}/auth`);
    expect(Object.fromEntries(to.searchParams)).toMatchObject({
      client_id: 'vantage',
      response_type: 'code',
      scope: 'openid profile email',
      code_challenge_method: 'S256',
      redirect_uri: `${new URL(answer.url).origin}/auth/callback`,
    });
    for (const name of ['code_challenge', 'state', 'nonce'])
      expect(to.searchParams.get(name)?.length).toBeGreaterThanOrEqual(43);
    const cookie = answer.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^vantage_oidc=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=600$/);
    // The verifier, the secret and the cookie's id are not in the address the browser is sent to.
    expect(to.href).not.toContain(SECRET);
    expect(to.href).not.toContain(cookie.split(';')[0]?.split('=')[1]);
  });

  it('discovers the provider once, and again when access.oidc changes', async () => {
    const idp = await provider();
    let estate = withOidc(idp.issuer);
    const { get } = await serve(() => estate);
    await get('/auth/oidc');
    await get('/auth/oidc');
    expect(idp.discoveries()).toBe(1);
    estate = withOidc(idp.issuer, 'vantage-renamed');
    expect((await get('/auth/oidc')).status).toBe(302);
    expect(idp.discoveries()).toBe(2);
  });

  it('tells the person when the provider cannot be reached: a 503 page and a log line, no stack', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const issuer = `http://127.0.0.1:${port}/tenant/v2.0`;
    const { get, logs } = await serve(() => withOidc(issuer));
    const answer = await get('/auth/oidc?next=/estate');
    expect(answer.status).toBe(503);
    const page = await answer.text();
    expect(page).toContain('The sign-in service cannot be reached');
    expect(page).toContain('href="/auth/oidc?next=%2Festate"');
    expect(page).not.toMatch(/at .*\.js:\d+/);
    expect(logs.join('\n')).toMatch(/warn OpenID sign-in failed at discovery: unreachable .*ECONNREFUSED/);
    expect(logs.join('\n')).toContain(issuer);
    expect(logs.join('\n')).not.toContain(SECRET);
  });

  it('says the provider answered wrongly (502) when it names another issuer, as Entra does for "common"', async () => {
    const wrong = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0',
          authorization_endpoint: `http://${req.headers.host}/auth`,
        }),
      );
    });
    await new Promise<void>((resolve) => wrong.listen(0, '127.0.0.1', resolve));
    open.push({ close: () => new Promise((resolve) => wrong.close(resolve)) });
    const issuer = `http://127.0.0.1:${(wrong.address() as AddressInfo).port}/common/v2.0`;
    const { get, logs } = await serve(() => withOidc(issuer));
    const answer = await get('/auth/oidc');
    expect(answer.status).toBe(502);
    expect(await answer.text()).toContain('The sign-in service gave an answer Vantage cannot use');
    expect(logs.join('\n')).toMatch(/failed at discovery: provider-error .*issuer/);
  });

  it('refuses a callback with no sign-in under way, or one started more than 10 minutes ago', async () => {
    const idp = await provider();
    let now = Date.now();
    const { get, store } = await serve(
      () => withOidc(idp.issuer),
      () => now,
    );
    const none = await get('/auth/callback?code=abc&state=def');
    expect(none.status).toBe(400);
    expect(await none.text()).toContain('This sign-in has expired or was already used');

    const started = await get('/auth/oidc');
    const cookie = (started.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const state = new URL(started.headers.get('location') ?? '').searchParams.get('state') ?? '';
    now += 10 * 60_000 + 1;
    const late = await get(`/auth/callback?code=abc&state=${state}`, { cookie });
    expect(late.status).toBe(400);
    expect(await late.text()).toContain('Sign in again');
    expect(await store.access.users()).toEqual([]);
  });
});

describe('where to go after signing in', () => {
  it('keeps a path on this site, and sends anything else to /', () => {
    expect(safeNext('/checks/epr-login?window=7d#top')).toBe('/checks/epr-login?window=7d#top');
    expect(safeNext('/')).toBe('/');
    for (const hostile of [
      '//evil.example/',
      '/\\evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
      '/\t/evil.example',
      'evil',
      '',
      undefined,
      ['/a', '/b'],
      `/${'x'.repeat(3_000)}`,
    ])
      expect(safeNext(hostile)).toBe('/');
  });
});
