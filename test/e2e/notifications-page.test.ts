/// <reference lib="dom" />
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { message } from '../alerts/outbox/messages.js';
import { axeViolations } from '../helpers/axe.js';
import { artifactsDir, browserSuite, launchBrowser } from '../helpers/browser.js';
import { type ServerProcess, startCliServer } from '../helpers/cli.js';
import { ADMIN, pageAs, type SignedIn, signedInAt } from '../helpers/signed-in.js';

const SECRET_URL = 'https://hooks.example.org/workflows/riverside-secret-key';
const estateYaml = `organisations:
  - { id: riverside, name: Riverside Hospitals NHS Trust, kind: acute }
  - { id: eastfield, name: Eastfield Mental Health NHS Trust, kind: mental-health }
channels:
  - { id: riverside-teams, organisation: riverside, type: teams, url: "${SECRET_URL}" }
  - { id: eastfield-hook, organisation: eastfield, type: webhook, url: "https://hooks.example.org/eastfield" }
`;

browserSuite('the notifications page (Chromium)', () => {
  let server: ServerProcess;
  let browser: Browser;
  let admin: SignedIn;
  let eastfield: SignedIn;
  const dir = mkdtempSync(join(tmpdir(), 'vantage-notifications-'));

  beforeAll(async () => {
    const config = join(dir, 'estate.yaml');
    const db = join(dir, 'vantage.db');
    writeFileSync(config, estateYaml);
    // The outbox as a day of alerting left it: riverside's channel refused one message, eastfield's took one.
    const store = SqliteStores.open(db);
    const now = Date.now();
    const n = store.notifications;
    await n.enqueue('riverside-teams', message('r1', 'inc-r'), now - 3_600_000);
    await n.markUndelivered(1, now - 3_500_000, 'https://hooks.example.org/… answered 400');
    await n.enqueue('eastfield-hook', message('e1', 'inc-e', 'resolved'), now - 600_000);
    await n.markSent(2, now - 590_000);
    await store.close();
    server = await startCliServer(['--config', config, '--db', db]);
    admin = await signedInAt(db, ADMIN);
    eastfield = await signedInAt(db, {
      email: 'it@eastfield.example.org',
      name: 'Eastfield IT team',
      role: 'partner',
      organisations: ['eastfield'],
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function open(who: SignedIn, path: string, width = 1280): Promise<{ page: Page; errors: string[] }> {
    const page = await pageAs(browser, server.url, who, { viewport: { width, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(new URL(path, server.url).toString());
    return { page, errors };
  }

  it("shows an admin each channel's last delivery and the undelivered message, and puts it back in the queue", async () => {
    const { page, errors } = await open(admin, '/notifications');
    await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    const channels = page.getByTestId('channels').locator('tbody tr');
    await expect(channels.count()).resolves.toBe(2);
    await expect(channels.nth(0).textContent()).resolves.toMatch(/eastfield-hook.*Delivered/);
    await expect(channels.nth(1).textContent()).resolves.toMatch(/riverside-teams.*Failed.*answered 400/);
    const messages = page.getByTestId('messages').locator('tbody tr');
    await expect(messages.count()).resolves.toBe(1);
    await expect(messages.first().textContent()).resolves.toContain(
      'Marsh Lane Centre: 5 systems unreachable',
    );
    expect(await page.content()).not.toContain('riverside-secret-key');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(artifactsDir, 'notifications-admin.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByRole('button', { name: /^Try again: .* to riverside-teams$/ }).click();
    await expect(page.getByTestId('notification-done').textContent()).resolves.toContain(
      'is back in the queue of riverside-teams',
    );
    await expect.poll(() => page.getByTestId('messages').textContent()).toBe('None.');
    await page.getByRole('link', { name: 'Waiting to be delivered' }).click();
    await page.waitForURL(/state=pending/);
    await expect.poll(() => page.getByTestId('messages').locator('tbody tr').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows a partner their organisations' channels only, with no way to put a message back", async () => {
    const { page, errors } = await open(eastfield, '/notifications?state=sent');
    await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    await expect(page.getByTestId('channels').locator('tbody tr').allTextContents()).resolves.toEqual([
      expect.stringContaining('eastfield-hook'),
    ]);
    const messages = page.getByTestId('messages').locator('tbody tr');
    await expect(messages.count()).resolves.toBe(1);
    await expect(messages.first().textContent()).resolves.toContain('Resolved');
    await expect(page.getByRole('button', { name: /Try again/ }).count()).resolves.toBe(0);
    await expect(
      page.locator('.nhsuk-header__navigation-link', { hasText: 'Notifications' }).count(),
    ).resolves.toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });
});
