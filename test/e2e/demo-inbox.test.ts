/// <reference lib="dom" />
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { axeViolations } from '../helpers/axe.js';
import { artifactsDir, browserSuite, launchBrowser } from '../helpers/browser.js';
import { type ServerProcess, startCliServer } from '../helpers/cli.js';
import { demoFile } from '../helpers/estates.js';
import { freePort } from '../helpers/free-port.js';
import { pageAs, type SignedIn, signedInAt } from '../helpers/signed-in.js';

browserSuite('the test button and the demo inbox (vantage serve --demo, Chromium)', () => {
  let server: ServerProcess;
  let browser: Browser;
  let partner: SignedIn;
  const dir = mkdtempSync(join(tmpdir(), 'vantage-demo-inbox-'));

  beforeAll(async () => {
    const config = join(dir, 'demo-estate.yaml');
    const db = join(dir, 'demo.db');
    const smtpPort = await freePort();
    const text = readFileSync(demoFile, 'utf8');
    expect(text).toContain('port: 2525');
    writeFileSync(config, text.replace('port: 2525', `port: ${smtpPort}`));
    server = await startCliServer(['--demo', '--config', config, '--db', db], 90_000);
    partner = await signedInAt(db, {
      email: 'it@riverside.example.org',
      name: 'Riverside IT team',
      role: 'partner',
      organisations: ['riverside'],
    });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function open(path: string, width = 1280): Promise<{ page: Page; errors: string[] }> {
    const page = await pageAs(browser, server.url, partner, { viewport: { width, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(new URL(path, server.url).toString());
    return { page, errors };
  }

  async function pressTest(page: Page, channel: string, label = channel): Promise<string> {
    await page.getByRole('button', { name: `Send a test message to ${label}` }).click();
    await page.waitForURL(new RegExp(`/notifications\\?test=[0-9]+#channel-${channel}$`));
    const feedback = page.getByTestId('test-feedback');
    await expect
      .poll(() => feedback.textContent(), { timeout: 20_000 })
      .toMatch(/: (delivered|not delivered|waiting)/);
    return (await feedback.textContent()) ?? '';
  }

  it("sends a test message from a riverside partner's notifications page to an email and a webhook channel", async () => {
    const { page, errors } = await open('/notifications');
    await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    const rows = page.getByTestId('channels').locator('tbody tr');
    // Only riverside's channels, for a partner of riverside.
    await expect.poll(() => rows.count()).toBe(2);
    await expect(rows.nth(0).textContent()).resolves.toMatch(
      /riverside-it.*email: it-alerts@riverside\.example\.org/,
    );
    await expect(rows.nth(1).textContent()).resolves.toMatch(
      /riverside-on-call.*webhook: http:\/\/127\.0\.0\.1:/,
    );
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(artifactsDir, 'channels-test-button-1280.png'), fullPage: true });

    expect(await pressTest(page, 'riverside-it')).toMatch(/^Test message to riverside-it: delivered /);
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(artifactsDir, 'channels-test-button-390.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    // The button's words begin its accessible name; the webhook channel's name is its own.
    expect(await pressTest(page, 'riverside-on-call', 'Riverside on-call webhook')).toMatch(
      /^Test message to riverside-on-call: delivered /,
    );
    expect(errors).toEqual([]);

    // The notifications page leads there in the demo.
    await page.getByRole('link', { name: 'demo inbox' }).click();
    await page.waitForURL(/\/demo\/inbox$/);
    await page.close();
    const inbox = await open('/demo/inbox');
    const { page: box } = inbox;
    await box.getByRole('heading', { level: 1, name: 'Demo inbox' }).waitFor();
    await expect(box.getByTestId('demo-only').textContent()).resolves.toContain('Demo only');
    // The demo's own alerts may arrive here too: the test messages are found by their title.
    const email = box.getByTestId('inbox-email').filter({ hasText: 'This is a test message from Vantage' });
    await expect(email.count()).resolves.toBe(1);
    await expect(email.textContent()).resolves.toMatch(/This is a test message from Vantage/);
    await expect(email.textContent()).resolves.toMatch(/riverside-it \(email\)/);
    await expect(email.locator('pre').textContent()).resolves.toContain(
      'Nothing is wrong and nothing needs doing',
    );
    // The email's HTML stays in a sandboxed frame of its own, never in this page.
    const frame = email.locator('iframe');
    await expect(frame.getAttribute('sandbox')).resolves.toBe('');
    await expect(frame.getAttribute('src')).resolves.toMatch(/^\/demo\/inbox\/email\/[0-9]+$/);
    const framed = email.frameLocator('iframe');
    await expect(framed.locator('body').textContent()).resolves.toContain(
      'Nothing is wrong and nothing needs doing',
    );
    // Its link is the frame's, not the page's.
    await expect(box.getByRole('link', { name: 'Open the incident' }).count()).resolves.toBe(0);
    const hook = box
      .getByTestId('inbox-webhook')
      .filter({ hasText: 'This is a test message from Vantage' })
      .filter({ hasText: 'riverside-on-call (webhook)' });
    await expect(hook.count()).resolves.toBe(1);
    await expect(hook.textContent()).resolves.toMatch(/riverside-on-call \(webhook\)/);
    const json = JSON.parse((await hook.locator('pre').textContent()) ?? '{}') as { event: string };
    expect(json.event).toBe('test');
    expect(await axeViolations(box)).toEqual([]);
    await box.screenshot({ path: join(artifactsDir, 'demo-inbox-1280.png'), fullPage: true });
    await box.setViewportSize({ width: 390, height: 844 });
    expect(await box.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await box.screenshot({ path: join(artifactsDir, 'demo-inbox-390.png'), fullPage: true });
    expect(inbox.errors).toEqual([]);
    await box.close();
  }, 120_000);
});
