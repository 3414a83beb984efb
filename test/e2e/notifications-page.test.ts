/// <reference lib="dom" />
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { message } from '../alerts/outbox/messages.js';
import { axeViolations } from '../helpers/axe.js';
import { artifactsDir, browserSuite } from '../helpers/browser.js';
import { pageSuite } from '../helpers/page-suite.js';
import { ADMIN } from '../helpers/signed-in.js';

const SECRET_URL = 'https://hooks.example.org/workflows/riverside-secret-key';
const estateYaml = `organisations:
  - { id: riverside, name: Riverside Hospitals NHS Trust, kind: acute }
  - { id: eastfield, name: Eastfield Mental Health NHS Trust, kind: mental-health }
channels:
  - { id: riverside-teams, organisation: riverside, type: teams, url: "${SECRET_URL}" }
  - { id: eastfield-hook, organisation: eastfield, type: webhook, url: "https://hooks.example.org/eastfield" }
`;

browserSuite('the notifications page (Chromium)', () => {
  // The outbox as a day of alerting left it: riverside's channel refused one message, eastfield's took one.
  const seed = async (db: string) => {
    const store = SqliteStores.open(db);
    const now = Date.now();
    const n = store.notifications;
    await n.enqueue('riverside-teams', message('r1', 'inc-r'), now - 3_600_000);
    await n.markUndelivered(1, now - 3_500_000, 'https://hooks.example.org/… answered 400');
    await n.enqueue('eastfield-hook', message('e1', 'inc-e', 'resolved'), now - 600_000);
    await n.markSent(2, now - 590_000);
    await store.close();
  };
  const { as, open } = pageSuite({
    prefix: 'vantage-notifications-',
    estateYaml,
    seed,
    people: {
      admin: ADMIN,
      eastfield: {
        email: 'it@eastfield.example.org',
        name: 'Eastfield IT team',
        role: 'partner',
        organisations: ['eastfield'],
      },
    },
  });

  it("shows an admin each channel's last delivery and the undelivered message, and puts it back in the queue", async () => {
    const { page, errors } = await open(as.admin, '/notifications');
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
    const { page, errors } = await open(as.eastfield, '/notifications?state=sent');
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
