import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { browserSuite, launchBrowser } from '../helpers/browser.js';
import { type ServerProcess, startCliServer } from '../helpers/cli.js';
import { estateFrom } from '../helpers/estates.js';
import { ADMIN, pageAs, type SignedIn, signedInAt } from '../helpers/signed-in.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();
const DAY = 86_400_000;
const estateYaml = `organisations:
  - { id: riverside, name: Riverside Hospitals NHS Trust, kind: acute }
sites:
  - { id: st-annes, name: St Anne's Hospital, host: riverside }
systems:
  - { id: epr, name: Riverside EPR, owner: riverside }
checks:
  - { id: epr-login, name: EPR sign-in page, system: epr, type: http, target: "https://epr.example.org/login", every: 1m, from: [st-annes] }
principles:
  - { id: epr-available, title: EPR available, metric: availability, target: 99.9%, window: 30d, scope: { systems: [epr] } }
`;

browserSuite('the simulated history notice in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;
  let admin: SignedIn;
  // Thirty days of simulated history ending on 1 December 2026, 12:00 London (GMT).
  const history = { from: Date.UTC(2026, 10, 1), to: Date.UTC(2026, 11, 1, 12) };

  beforeAll(async () => {
    const config = join(tmp(), 'estate.yaml');
    const db = join(tmp(), 'vantage.db');
    writeFileSync(config, estateYaml);
    const store = SqliteStores.open(db);
    await store.estate.syncEstate(estateFrom(estateYaml), Date.now());
    await store.demoHistory.begin({ ...history, seed: 1 });
    await store.demoHistory.finish(history.to + DAY);
    await store.close();
    server = await startCliServer(['--config', config, '--db', db]);
    admin = await signedInAt(db, ADMIN);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('says on the check page which time was simulated', async () => {
    const page = await pageAs(browser, server.url, admin, { viewport: { width: 1280, height: 900 } });
    await page.goto(new URL('/checks/epr-login', server.url).toString());
    await page.getByRole('heading', { level: 1, name: 'EPR sign-in page' }).waitFor();
    const notice = page.getByTestId('simulated-history');
    await expect(notice.textContent()).resolves.toBe(
      'Important: Simulated history' +
        "Figures from 1 November 2026 to 1 December 2026 at 12:00 come from the demo's simulated history, " +
        'generated when the demo first started: they were not measured.',
    );
    await page.close();
  });

  it('says so on the principles, principle and organisation pages over that time', async () => {
    const page = await pageAs(browser, server.url, admin, { viewport: { width: 1280, height: 900 } });
    for (const [path, heading] of [
      ['/principles?period=2026-11', 'Principles'],
      ['/principles/epr-available?period=2026-11', 'EPR available'],
      ['/organisations/riverside?period=2026-11', 'Riverside Hospitals NHS Trust'],
    ] as const) {
      await page.goto(new URL(path, server.url).toString());
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await expect(page.getByTestId('simulated-history').textContent(), path).resolves.toContain(
        'Figures from 1 November 2026 to 1 December 2026 at 00:00',
      );
    }
    // A month before the history: no simulated time, no notice.
    await page.goto(new URL('/principles/epr-available?period=2026-10', server.url).toString());
    await page.getByRole('heading', { level: 1, name: 'EPR available' }).waitFor();
    await expect(page.getByTestId('simulated-history').count()).resolves.toBe(0);
    await page.close();
  });
});
