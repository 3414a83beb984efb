import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { axeViolations } from '../helpers/axe.js';
import { artifactsDir, browserSuite, launchBrowser } from '../helpers/browser.js';
import { cliPath, type ServerProcess, startCliServer } from '../helpers/cli.js';

const PASSWORD = 'correct horse battery staple';

browserSuite('signing in, in Chromium (vantage serve --demo)', () => {
  let server: ServerProcess;
  let browser: Browser;
  let db: string;
  let hostile: Server;
  // The server's folder for the whole suite (useTmpDir's is removed after each test).
  const dir = mkdtempSync(join(tmpdir(), 'vantage-sign-in-'));

  beforeAll(async () => {
    db = join(dir, 'demo.db');
    // The first administrator, made before the server first runs, as the README says.
    const added = spawnSync(
      process.execPath,
      [cliPath, 'user', 'add', 'cio@nhs.net', '--role', 'admin', '--demo', '--db', db],
      { input: `${PASSWORD}\n`, encoding: 'utf8' },
    );
    expect(added.status, added.stderr).toBe(0);
    server = await startCliServer(['--demo', '--db', db], 60_000);
    browser = await launchBrowser();
    // Another site (localhost is another site than 127.0.0.1) with a form that posts to Vantage.
    const target = server.url;
    hostile = await new Promise<Server>((resolve) => {
      const listening = createServer((req, res) => {
        const action = req.url === '/sign-in' ? `${target}sign-in` : `${target}survey/usability-2026`;
        res.setHeader('Content-Type', 'text/html');
        res.end(`<!doctype html><title>Prize draw</title>
<form method="post" action="${action}">
<input type="hidden" name="_csrf" value="guessed">
<input type="hidden" name="_action" value="submit"><input type="hidden" name="_page" value="check">
<input type="hidden" name="organisation" value="riverside"><input type="hidden" name="email" value="cio@nhs.net">
<button type="submit">Win a prize</button></form>`);
      }).listen(0, '127.0.0.1', () => resolve(listening));
    });
  }, 90_000);
  afterAll(async () => {
    await new Promise((resolve) => hostile?.close(resolve));
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs in with a local account with JavaScript off, back to the page asked for, and signs out', async () => {
    // The demo's people were made when the server started, without a password.
    const read = new Database(db, { readonly: true });
    const people = read.prepare('SELECT email, role, source, password_hash FROM users ORDER BY email').all();
    read.close();
    expect(people).toEqual([
      { email: 'board-member@demo.vantage.invalid', role: 'viewer', source: 'demo', password_hash: null },
      { email: 'cio@demo.vantage.invalid', role: 'admin', source: 'demo', password_hash: null },
      {
        email: 'cio@nhs.net',
        role: 'admin',
        source: 'local',
        password_hash: expect.stringMatching(/^scrypt\$/),
      },
      {
        email: 'it-team@riverside.demo.vantage.invalid',
        role: 'partner',
        source: 'demo',
        password_hash: null,
      },
    ]);
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    await page.goto(`${server.url}systems/epr`);
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/sign-in?next=%2Fsystems%2Fepr');
    expect(await page.title()).toBe('Sign in – Vantage');
    await page.screenshot({ path: join(artifactsDir, 'sign-in.png'), fullPage: true });

    await page.getByLabel('Email address').fill('cio@nhs.net');
    await page.getByLabel('Password').fill('not the right password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    expect(await page.title()).toBe('Error: Sign in – Vantage');
    await expect(
      page.getByRole('link', { name: 'Enter a correct email address and password' }).count(),
    ).resolves.toBe(1);
    await expect(page.getByLabel('Email address').inputValue()).resolves.toBe('cio@nhs.net');

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`${server.url}systems/epr`);
    const [cookie] = (await context.cookies()).filter((c) => c.name === 'vantage_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false, path: '/' });

    await page.goto(`${server.url}sign-in`);
    await expect(page.getByTestId('signed-in-as').textContent()).resolves.toBe(
      'You are signed in as cio (cio@nhs.net), administrator.',
    );
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${server.url}sign-in`);
    await page.goto(`${server.url}systems/epr`);
    expect(page.url()).toBe(`${server.url}sign-in?next=%2Fsystems%2Fepr`);
    await context.close();
  });

  it('offers the demo accounts, marked demo only, each signing in as its role', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${server.url}sign-in?next=/agents`);
    const panel = page.getByTestId('demo-accounts');
    await expect(panel.getByRole('heading', { name: 'Demo only' }).count()).resolves.toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(artifactsDir, 'sign-in-demo-390.png'), fullPage: true });
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(sideways).toBe(false);

    // The form sent empty: each field's error linked from the summary, still accessible.
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    await expect(
      page.getByRole('link', { name: 'Enter your email address' }).getAttribute('href'),
    ).resolves.toBe('#email');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(artifactsDir, 'sign-in-error-390.png'), fullPage: true });

    await panel.getByRole('button', { name: 'Sign in as a board member (viewer)' }).click();
    await page.waitForURL(`${server.url}agents`);
    expect((await context.request.get(`${server.url}api/v1/checks`)).status()).toBe(200);
    await page.goto(`${server.url}sign-in`);
    await expect(page.getByTestId('signed-in-as').textContent()).resolves.toContain('viewer');

    // Another demo account from the same browser: a new session, the old one ended.
    await context.clearCookies();
    await page.goto(`${server.url}sign-in`);
    await page
      .getByRole('button', { name: 'Sign in as the IT team of Riverside Hospitals NHS Trust (partner)' })
      .click();
    await page.waitForURL(server.url);
    await page.goto(`${server.url}sign-in`);
    await expect(page.getByTestId('signed-in-as').textContent()).resolves.toContain('partner for riverside');
    await context.close();
  });

  it('refuses a form another site makes the browser post, to the survey or to sign-in, storing nothing', async () => {
    const count = (table: string) => {
      const read = new Database(db, { readonly: true });
      try {
        return read.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
      } finally {
        read.close();
      }
    };
    const responses = () => count('survey_responses');
    const sessions = count('sessions');
    const before = responses();
    const context = await browser.newContext();
    const page = await context.newPage();
    // The browser has been shown the survey form, so it holds the form cookie.
    await page.goto(`${server.url}survey/usability-2026/about-you`);
    const { port } = hostile.address() as AddressInfo;
    for (const path of ['/survey', '/sign-in']) {
      await page.goto(`http://localhost:${port}${path}`);
      await page.getByRole('button', { name: 'Win a prize' }).click();
      await page.getByRole('heading', { name: 'This form has expired' }).waitFor();
      await expect(page.locator('main').textContent()).resolves.toContain(
        'This form has expired or came from another site. Go back, reload the page and try again.',
      );
    }
    expect(responses()).toBe(before);
    expect(count('sessions')).toBe(sessions);
    await context.close();
  });
});
