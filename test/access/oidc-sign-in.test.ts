import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Logger } from '../../common/logger.js';
import { type RunningServer, startServer } from '../../server/serve.js';
import { browserSuite, launchBrowser } from '../helpers/browser.js';
import { smallEstateYaml } from '../helpers/estates.js';
import { startTestProvider, type TestProvider } from '../helpers/oidc-provider.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const SECRET = 'client-secret-from-the-environment-3f9a1c';
const CLIENT_ID = 'vantage-riverside';

const estateWith = (issuer: string, extra = '') => `${smallEstateYaml}access:
  session: { idle: 30m }
  oidc:
    issuer: ${issuer}
    clientId: ${CLIENT_ID}
    clientSecret: \${VANTAGE_OIDC_SECRET}
    label: Riverside Entra ID
    groups:
      g-viewers: { role: viewer }
${extra}`;

browserSuite('signing in with an OpenID provider shaped like Entra ID', () => {
  let browser: Browser;
  let provider: TestProvider;
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;
  let now: number;
  let configFile: string;
  let dbFile: string;
  let logs: string[];

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  beforeEach(async () => {
    provider = await startTestProvider();
    provider.accounts.set('ada', {
      name: 'Ada Lovelace',
      email: 'Ada.Lovelace@riverside.example.org',
      preferred_username: 'ada.lovelace@riverside.example.org',
      roles: ['Vantage.Partner.riverside'],
    });
    provider.accounts.set('grace', {
      name: 'Grace Hopper',
      preferred_username: 'grace.hopper@eastfield.example.org',
      groups: ['g-viewers', 'g-other'],
    });
    provider.accounts.set('nobody', {
      name: 'No Body',
      email: 'no.body@elsewhere.example.org',
      roles: ['Payroll.User'],
      groups: ['g-other'],
    });
    const dir = tmp();
    configFile = join(dir, 'estate.yaml');
    dbFile = join(dir, 'vantage.db');
    writeFileSync(configFile, estateWith(provider.issuer));
    const webRoot = join(dir, 'web');
    mkdirSync(webRoot, { recursive: true });
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>Vantage</title><h1>Dashboard</h1>');
    now = Date.now();
    logs = [];
    const record = (level: string) => (message: string, fields?: object) =>
      logs.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
    const logger: Logger = { info: record('info'), warn: record('warn'), error: record('error') };
    server = await startServer({
      configFile,
      dbFile,
      port: 0,
      host: '127.0.0.1',
      logger,
      clock: { now: () => now },
      env: { VANTAGE_OIDC_SECRET: SECRET },
      webRoot,
    });
    provider.register({
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      redirectUri: new URL('/auth/callback', server.url).href,
    });
    context = await browser.newContext();
    page = await context.newPage();
  });

  afterEach(async () => {
    await context?.close();
    await server?.close();
    await provider?.close();
    // Nothing secret ever reaches the log, whatever happened.
    expect(logs.join('\n')).not.toContain(SECRET);
  });

  const at = (path: string) => new URL(path, server.url).href;

  /** Starts at /auth/oidc, signs in at the provider's own pages as `login`, and consents if asked. */
  async function signIn(login: string, next = '/', tamper?: (toProvider: URL) => void) {
    const start = at(`/auth/oidc?next=${encodeURIComponent(next)}`);
    if (tamper) {
      // The first hop without following it (the browser's own cookies kept), so what is sent to the
      // provider can be changed; the browser then goes on from there.
      const started = await context.request.get(start, { maxRedirects: 0 });
      expect(started.status()).toBe(302);
      const toProvider = new URL(started.headers().location ?? '');
      tamper(toProvider);
      await page.goto(toProvider.href);
    } else {
      await page.goto(start);
    }
    // Still signed in at the provider (single sign-on): it sends the person straight back.
    if (page.url().startsWith(server.url)) return;
    expect(page.url()).toContain(provider.issuer);
    await page.fill('input[name=login]', login);
    await page.fill('input[name=password]', 'any password');
    await page.click('button[type=submit]');
    const consent = page.locator('button:has-text("Continue")');
    await page.waitForURL((url) => url.href.startsWith(server.url) || url.pathname.includes('/interaction/'));
    if (!page.url().startsWith(server.url)) await consent.click();
    await page.waitForURL((url) => url.href.startsWith(server.url));
  }

  const query = <T>(sql: string, ...params: unknown[]): T[] => {
    const db = new Database(dbFile, { readonly: true });
    try {
      return db.prepare(sql).all(...params) as T[];
    } finally {
      db.close();
    }
  };
  const auditActions = () =>
    query<{ action: string; actor: string; subject: string | null }>(
      'SELECT action, actor, subject FROM audit_log ORDER BY seq',
    );
  const checksStatus = async () => (await page.request.get(at('/api/v1/checks'))).status();

  it('signs a partner in: lands on the page asked for, the API answers with the cookie, the audit log has it', async () => {
    await signIn('ada', '/checks/epr-login?window=7d');
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/checks/epr-login?window=7d');
    await expect(page.locator('h1').textContent()).resolves.toBe('Dashboard');
    expect(await checksStatus()).toBe(200);

    const cookies = await context.cookies(server.url);
    const session = cookies.find((cookie) => cookie.name === 'vantage_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    // The one-use cookie of the sign-in under way is gone.
    expect(cookies.find((cookie) => cookie.name === 'vantage_oidc')).toBeUndefined();

    const users = query<{
      email: string;
      role: string;
      organisations: string;
      source: string;
      claims: string;
    }>('SELECT email, role, organisations, source, claims FROM users');
    expect(users).toEqual([
      {
        email: 'ada.lovelace@riverside.example.org',
        role: 'partner',
        organisations: '["riverside"]',
        source: 'oidc',
        claims: JSON.stringify([
          'role:Vantage.Partner.riverside',
          'email:ada.lovelace@riverside.example.org',
        ]),
      },
    ]);
    expect(auditActions()).toContainEqual({
      action: 'sign-in',
      actor: 'ada.lovelace@riverside.example.org',
      subject: 'ada.lovelace@riverside.example.org',
    });
    // The session cookie's secret is not what the database keeps.
    expect(JSON.stringify(query('SELECT * FROM sessions'))).not.toContain(session?.value);
    // Discovered once, kept for the next sign-in.
    await context.clearCookies();
    await signIn('grace');
    expect(provider.discoveries()).toBe(1);
    expect(query<{ role: string }>("SELECT role FROM users WHERE email LIKE 'grace%'")).toEqual([
      { role: 'viewer' },
    ]);
  });

  it('refuses someone whose claims map to no role, says so, and keeps nothing about them', async () => {
    const answer = page.waitForResponse((response) => response.url().startsWith(at('/auth/callback')));
    await signIn('nobody');
    expect((await answer).status()).toBe(403);
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('You have no Vantage role');
    expect(text).toContain('no.body@elsewhere.example.org');
    expect(text).toContain('roles, groups, email, preferred_username, upn');
    // The values seen are not shown.
    expect(text).not.toContain('Payroll.User');
    expect(text).not.toContain('g-other');
    expect(query('SELECT * FROM users')).toEqual([]);
    expect(query('SELECT * FROM sessions')).toEqual([]);
    expect(auditActions()).toEqual([
      { action: 'sign-in-refused', actor: 'no.body@elsewhere.example.org', subject: null },
    ]);
    expect(await checksStatus()).toBe(401);
  });

  it('refuses an answer whose state was tampered with', async () => {
    // The provider sends back the state it was given: not the one this browser's sign-in keeps.
    const answer = page.waitForResponse((response) => response.url().startsWith(at('/auth/callback')));
    await signIn('ada', '/', (url) => url.searchParams.set('state', 'forged-state-value'));
    expect((await answer).status()).toBe(400);
    expect(await page.locator('h1').textContent()).toBe('This sign-in could not be checked');
    expect(await page.getByTestId('sign-in-again').getAttribute('href')).toBe('/auth/oidc?next=%2F');
    expect(query('SELECT * FROM sessions')).toEqual([]);
    expect(auditActions().map((entry) => entry.action)).toEqual(['sign-in-failed']);
    expect(await checksStatus()).toBe(401);
  });

  it('refuses an ID token carrying another nonce than the one this sign-in sent', async () => {
    // The provider is asked for a token with a different nonce, as a replayed or injected one would carry.
    const answer = page.waitForResponse((response) => response.url().startsWith(at('/auth/callback')));
    await signIn('ada', '/', (url) => url.searchParams.set('nonce', 'a-nonce-this-sign-in-never-made'));
    expect((await answer).status()).toBe(400);
    expect(await page.locator('h1').textContent()).toBe('This sign-in could not be checked');
    expect(query('SELECT * FROM users')).toEqual([]);
    expect(await checksStatus()).toBe(401);
  });

  it('says so when the provider refuses Vantage itself (a wrong client secret): a 502 page, the reason in the log', async () => {
    provider.register({
      clientId: CLIENT_ID,
      clientSecret: 'a-secret-the-provider-has-since-changed',
      redirectUri: new URL('/auth/callback', server.url).href,
    });
    const answer = page.waitForResponse((response) => response.url().startsWith(at('/auth/callback')));
    await signIn('ada');
    expect((await answer).status()).toBe(502);
    expect(await page.locator('h1').textContent()).toBe(
      'The sign-in service gave an answer Vantage cannot use',
    );
    expect(logs.join('\n')).toMatch(/OpenID sign-in failed at callback: provider-error .*invalid_client/);
    expect(query('SELECT * FROM users')).toEqual([]);
  });

  it('refuses the same answer twice: a sign-in under way is used once', async () => {
    let callback = '';
    page.on('request', (request) => {
      if (request.url().startsWith(at('/auth/callback'))) callback = request.url();
    });
    await signIn('ada');
    expect(await checksStatus()).toBe(200);
    const again = await page.goto(callback);
    expect(again?.status()).toBe(400);
    expect(await page.locator('h1').textContent()).toBe('This sign-in has expired or was already used');
  });

  it('ends a session left idle: the API says 401 and a page leads back to sign-in', async () => {
    await signIn('ada');
    expect(await checksStatus()).toBe(200);
    now += 31 * 60_000;
    const api = await page.request.get(at('/api/v1/checks'));
    expect(api.status()).toBe(401);
    expect((await api.json()).error.message).toMatch(/session has ended/);
    await page.goto(at('/checks/epr-login'));
    expect(page.url()).toBe(at(`/sign-in?next=${encodeURIComponent('/checks/epr-login')}`));
  });

  it('follows the estate file: a changed mapping changes the role and ends the session; no role removes the user', async () => {
    await signIn('ada');
    expect(await checksStatus()).toBe(200);

    writeFileSync(
      configFile,
      estateWith(provider.issuer, '    roles:\n      Vantage.Partner.riverside: { role: viewer }\n'),
    );
    expect((await server.reload()).ok).toBe(true);
    expect(await checksStatus()).toBe(401);
    expect(query('SELECT role, organisations FROM users')).toEqual([{ role: 'viewer', organisations: '[]' }]);
    expect(auditActions()).toContainEqual({
      action: 'role-changed',
      actor: 'estate-file',
      subject: 'ada.lovelace@riverside.example.org',
    });

    // Signing in again under the new mapping gives the new role.
    await signIn('ada');
    expect(await checksStatus()).toBe(200);
    writeFileSync(
      configFile,
      estateWith(provider.issuer, '    roles:\n      Vantage.Central: { role: admin }\n'),
    );
    expect((await server.reload()).ok).toBe(true);
    expect(await checksStatus()).toBe(401);
    expect(query('SELECT * FROM users')).toEqual([]);
    expect(auditActions().at(-1)).toEqual({
      action: 'user-removed',
      actor: 'estate-file',
      subject: 'ada.lovelace@riverside.example.org',
    });
  });
});
