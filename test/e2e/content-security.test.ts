/// <reference lib="dom" />
// page.evaluate and init scripts run in the browser.
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { apiTokenFor } from '../helpers/as-admin.js';
import { browserSuite, launchBrowser } from '../helpers/browser.js';
import { type ServerProcess, startCliServer } from '../helpers/cli.js';
import { signedIn } from '../helpers/sessions.js';
import { useTmpDir } from '../helpers/tmp.js';
import { until } from '../helpers/until.js';

const tmp = useTmpDir();

declare global {
  interface Window {
    cspViolations?: string[];
  }
}

browserSuite('the content security policy in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;
  let context: BrowserContext;
  let ids: { check: string; system: string };

  beforeAll(async () => {
    // The demo fills every page: results from its agents, survey responses, an open survey.
    const db = join(tmp(), 'demo.db');
    server = await startCliServer(['--demo', '--db', db]);
    const store = SqliteStores.open(db);
    const viewer = await signedIn(store, 'viewer');
    const token = await apiTokenFor(store, 'viewer');
    await store.close();
    const estate = (await (
      await fetch(new URL('/api/v1/estate', server.url), { headers: { Authorization: `Bearer ${token}` } })
    ).json()) as { systems: { id: string }[]; checks: { id: string }[] };
    const results = (id: string) =>
      fetch(new URL(`/api/v1/checks/${id}/results`, server.url), {
        headers: { Authorization: `Bearer ${token}` },
      })
        .then((answer) => answer.json() as Promise<{ items: unknown[] }>)
        .then((body) => body.items.length);
    // A check with results, so its page draws charts (the demo's checks each first run within a minute).
    const withResults = await until(
      async () => {
        for (const check of estate.checks) if ((await results(check.id)) > 0) return check.id;
        return undefined;
      },
      (id) => id !== undefined,
      60_000,
    );
    expect(withResults).toBeDefined();
    ids = { check: withResults ?? '', system: estate.systems[0]?.id ?? '' };
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // Signed in as a viewer: the session made in the database, its cookie given to the browser.
    await context.addCookies([
      { name: 'vantage_session', value: viewer.secret, url: server.url, httpOnly: true, sameSite: 'Lax' },
    ]);
    // Every refusal by the policy, as the page itself hears of it.
    await context.addInitScript(() => {
      window.cspViolations = [];
      document.addEventListener('securitypolicyviolation', (event) => {
        window.cspViolations?.push(
          `${event.violatedDirective}: ${event.blockedURI} (${event.sourceFile}:${event.lineNumber})`,
        );
      });
    });
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Opens a page, waits for it to be drawn, and gives back what the policy refused on it. */
  async function violationsOn(path: string, drawn: (page: Page) => Promise<unknown>): Promise<string[]> {
    const page = await context.newPage();
    const console: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) console.push(message.text());
    });
    const answer = await page.goto(new URL(path, server.url).toString());
    expect(answer?.status(), path).toBe(200);
    expect(answer?.headers()['content-security-policy']).toContain("script-src 'self'");
    await drawn(page);
    // Charts draw after a frame or two; let them.
    await page.waitForTimeout(300);
    const seen = (await page.evaluate(() => window.cspViolations ?? [])).concat(console);
    await page.close();
    return seen;
  }

  it('refuses nothing on any dashboard page', async () => {
    const pages: [string, (page: Page) => Promise<unknown>][] = [
      ['/', (page) => page.locator('main h1').waitFor()],
      [`/checks/${ids.check}`, (page) => page.locator('figure.vantage-chart canvas').first().waitFor()],
      [`/systems/${ids.system}`, (page) => page.locator('main h1').waitFor()],
      ['/agents', (page) => page.locator('main table').first().waitFor()],
      ['/surveys', (page) => page.locator('main h1').waitFor()],
      ['/surveys/usability-2025', (page) => page.locator('main canvas').first().waitFor()],
      ['/surveys/usability-2025?compare=usability-2026', (page) => page.locator('main h1').waitFor()],
    ];
    for (const [path, drawn] of pages) expect(await violationsOn(path, drawn), path).toEqual([]);
  });

  it('refuses nothing on the survey form, and its own posts keep their origin', async () => {
    const page = await context.newPage();
    const posted: (string | undefined)[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') posted.push(request.headers().origin);
    });
    await page.goto(new URL('/survey/usability-2026', server.url).toString());
    await page.getByRole('button', { name: 'Start now' }).click();
    await page.getByRole('heading', { level: 1, name: 'About you' }).waitFor();
    // Continue with nothing chosen: the page again, with its error summary.
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    // The form's rules came from its stylesheet: the link-style Back button has no border.
    const back = page.getByRole('button', { name: 'Back' });
    await expect(back.evaluate((button) => getComputedStyle(button).borderStyle)).resolves.toBe('none');
    expect(await page.evaluate(() => window.cspViolations ?? [])).toEqual([]);
    // Referrer-Policy same-origin leaves the Origin on Vantage's own posts (no-referrer would send "null").
    expect(posted).toEqual([new URL(server.url).origin]);
    await page.close();
  });

  it('would see a refusal: an inline script on a page is reported', async () => {
    const page = await context.newPage();
    await page.goto(new URL('/agents', server.url).toString());
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.ranInline = true';
      document.body.append(script);
    });
    await until(
      () => page.evaluate(() => window.cspViolations ?? []),
      (seen) => seen.length > 0,
      5_000,
    );
    expect(await page.evaluate(() => (window as { ranInline?: boolean }).ranInline)).toBeUndefined();
    expect(await page.evaluate(() => window.cspViolations ?? [])).toEqual([
      expect.stringMatching(/^script-src-elem: inline/),
    ]);
    await page.close();
  });
});
