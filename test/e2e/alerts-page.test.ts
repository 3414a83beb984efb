/// <reference lib="dom" />
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentEstateIn } from '../helpers/agent-alerts.js';
import { axeViolations } from '../helpers/axe.js';
import { artifactsDir, browserSuite, launchBrowser } from '../helpers/browser.js';
import { type ServerProcess, startCliServer } from '../helpers/cli.js';
import { ADMIN, pageAs, type SignedIn, signedInAt } from '../helpers/signed-in.js';
import { until } from '../helpers/until.js';

const SITES = ['st-annes', 'marsh-lane', 'north-wing'] as const;
const estateYaml = `organisations:
  - { id: riverside, name: Riverside Hospitals NHS Trust, kind: acute }
  - { id: eastfield, name: Eastfield Mental Health NHS Trust, kind: mental-health }
sites:
  - { id: st-annes, name: St Anne's Hospital, host: riverside }
  - { id: marsh-lane, name: Marsh Lane Centre, host: eastfield }
  - { id: north-wing, name: North Wing, host: riverside }
systems:
  - { id: epr, name: Electronic patient record, owner: riverside }
  - { id: pas, name: Patient administration, owner: riverside }
  - { id: mail, name: Email, owner: riverside }
checks:
  - { id: epr-login, system: epr, type: http, target: "http://127.0.0.1:9/", every: 1h, timeout: 2s, from: [st-annes, marsh-lane, north-wing] }
  - { id: pas-login, system: pas, type: http, target: "http://127.0.0.1:9/", every: 1h, timeout: 2s, from: [st-annes, marsh-lane, north-wing] }
  - { id: mail-login, system: mail, type: http, target: "http://127.0.0.1:9/", every: 1h, timeout: 2s, from: [st-annes, marsh-lane, north-wing] }
channels:
  - { id: eastfield-hook, organisation: eastfield, type: webhook, url: "http://127.0.0.1:9/hook" }
  - { id: riverside-hook, organisation: riverside, type: webhook, url: "http://127.0.0.1:9/hook" }
`;

browserSuite('the Alerts page and incidents on charts (Chromium)', () => {
  let server: ServerProcess;
  let browser: Browser;
  let admin: SignedIn;
  let eastfield: SignedIn;
  let viewer: SignedIn;
  const dir = mkdtempSync(join(tmpdir(), 'vantage-alerts-page-'));
  const ids = { epr: '', pas: '', mail: '' };

  beforeAll(async () => {
    const { config, db, tokens } = await agentEstateIn(dir, estateYaml);
    server = await startCliServer(['--config', config, '--db', db]);
    admin = await signedInAt(db, ADMIN);
    eastfield = await signedInAt(db, {
      email: 'it@eastfield.example.org',
      name: 'Eastfield IT team',
      role: 'partner',
      organisations: ['eastfield'],
    });
    viewer = await signedInAt(db, { email: 'board@example.org', name: 'Board reader', role: 'viewer' });

    // Through the agents' own API, so the rules open the incidents as they would in service.
    const base = Date.now() - 40 * 60_000;
    const run = (site: string, checkId: string, minute: number, ok: boolean) => ({
      id: `${site}-${checkId}-${minute}`,
      checkId,
      startedAt: new Date(base + minute * 60_000).toISOString(),
      ok,
      state: ok ? 'ok' : 'fail',
      phases: { dnsMs: 1, connectMs: null, tlsMs: null, ttfbMs: null, transferMs: null, totalMs: 2000 },
      ...(ok ? { status: 200 } : { error: { class: 'refused', message: 'connection refused' } }),
    });
    const push = async (site: string, results: ReturnType<typeof run>[]) => {
      const answer = await fetch(new URL('/api/v1/agent/results', server.url), {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens[site]}`, 'content-type': 'application/json' },
        body: JSON.stringify({ results }),
      });
      expect(answer.status).toBe(200);
    };
    for (let minute = 0; minute < 6; minute++)
      for (const site of SITES)
        await push(site, [
          // The record fails everywhere from the first minute: its owner's.
          run(site, 'epr-login', minute, false),
          // Patient administration fails at Marsh Lane only, from the second minute: its host's.
          run(site, 'pas-login', minute, site !== 'marsh-lane' || minute < 2),
          // Email failed everywhere for three minutes, then recovered.
          run(site, 'mail-login', minute, minute >= 3),
        ]);
    const headers = await server.adminHeaders();
    const all = await until(
      async () =>
        (await (await fetch(new URL('/api/v1/alerts?state=all', server.url), { headers })).json()) as {
          items: { id: string; checks: string[]; state: string }[];
        },
      (answer) => answer.items.filter((i) => i.state === 'open').length === 2 && answer.items.length === 4,
    );
    // Each site's batch is judged as it comes, so St Anne's first looked like its host's trouble: that
    // incident resolved once the others' runs showed the systems failing everywhere.
    const only = (checkId: string, state: string) =>
      all.items.find((i) => i.state === state && i.checks.join() === checkId)?.id ?? '';
    ids.epr = only('epr-login', 'open');
    ids.pas = only('pas-login', 'open');
    ids.mail = only('mail-login', 'resolved');
    expect(Object.values(ids).every((id) => id !== '')).toBe(true);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function visit(who: SignedIn, path: string, width = 1280): Promise<{ page: Page; errors: string[] }> {
    const page = await pageAs(browser, server.url, who, { viewport: { width, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(new URL(path, server.url).toString());
    return { page, errors };
  }

  async function looksRight(page: Page, name: string): Promise<void> {
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(artifactsDir, `${name}.png`), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    // Charts redraw to the new width a frame after it changes.
    await expect
      .poll(() => page.evaluate(() => document.documentElement.scrollWidth))
      .toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(artifactsDir, `${name}-390.png`), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  it('lists open incidents, the longest open first, whose and why, then the resolved one', async () => {
    const { page, errors } = await visit(viewer, '/alerts');
    await page.getByRole('heading', { level: 1, name: 'Alerts' }).waitFor();
    await expect(page.locator('.nhsuk-header__navigation-link', { hasText: 'Alerts' }).count()).resolves.toBe(
      1,
    );
    const open = page.getByTestId('open').locator('tbody tr');
    await expect(open.count()).resolves.toBe(2);
    const first = (await open.nth(0).textContent()) ?? '';
    expect(first).toContain('Critical');
    expect(first).toMatch(
      /Electronic patient record.*Riverside Hospitals NHS Trust, system owner of Electronic patient record/,
    );
    expect(first).toContain('at least half of the places it is checked from');
    expect(first).toMatch(/since \d{1,2} [A-Z][a-z]{2}, \d{2}:\d{2} \(for (3[5-9]|4\d) min\)/);
    expect(first).toContain('Not yet');
    const second = (await open.nth(1).textContent()) ?? '';
    expect(second).toMatch(
      /Marsh Lane Centre.*Eastfield Mental Health NHS Trust, site host of Marsh Lane Centre/,
    );
    expect(second).toContain('Failing from this site only');
    const resolved = page.getByTestId('resolved').locator('tbody tr');
    await expect(resolved.count()).resolves.toBe(2);
    await expect(resolved.allTextContents()).resolves.toContainEqual(
      expect.stringMatching(/Critical.*Resolved.*Email unreachable.*\(\d+ min\)/),
    );
    await expect(page.getByTestId('updated').textContent()).resolves.toMatch(/every 30 seconds/);
    await looksRight(page, 'alerts-list');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('filters by organisation and state through a plain form, in the address', async () => {
    const { page, errors } = await visit(viewer, '/alerts');
    await page.getByTestId('alert-filter').waitFor();
    await page.getByLabel('Organisation').selectOption('eastfield');
    await page.getByLabel('Show').selectOption('open');
    await page.getByRole('button', { name: 'Show alerts' }).click();
    await page.waitForURL(/organisation=eastfield/);
    expect(new URL(page.url()).searchParams.get('state')).toBe('open');
    const open = page.getByTestId('open').locator('tbody tr');
    await expect.poll(() => open.count()).toBe(1);
    await expect(open.first().textContent()).resolves.toContain('Marsh Lane Centre');
    await expect(page.getByRole('heading', { name: 'Recently resolved' }).count()).resolves.toBe(0);
    await expect(page.getByLabel('Organisation').inputValue()).resolves.toBe('eastfield');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows an incident’s evidence and timeline, and lets a partner of its host acknowledge it', async () => {
    const { page, errors } = await visit(eastfield, `/alerts/${ids.pas}`);
    await page.getByTestId('incident-title').waitFor();
    await expect(page.getByTestId('incident-title').textContent()).resolves.toMatch(
      /^Marsh Lane Centre: Patient administration unreachable since/,
    );
    const evidence = page.getByTestId('incident-evidence');
    await expect(evidence.textContent()).resolves.toMatch(/SitesMarsh Lane Centre/);
    await expect(evidence.textContent()).resolves.toContain('refused');
    await expect(page.getByTestId('first-failure').getAttribute('href')).resolves.toBe('/checks/pas-login');
    const timeline = (await page.getByTestId('incident-timeline').textContent()) ?? '';
    expect(timeline).toMatch(/Opened.*Notified.*eastfield-hook/);
    await looksRight(page, 'alerts-incident');

    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await expect(page.getByTestId('ack-done').textContent()).resolves.toContain('Acknowledged');
    await expect(page.getByTestId('incident-facts').textContent()).resolves.toMatch(
      /AcknowledgedBy it@eastfield\.example\.org/,
    );
    await expect(page.getByTestId('incident-timeline').textContent()).resolves.toMatch(
      /Acknowledged.*By it@eastfield\.example\.org, from Vantage/,
    );
    await expect(page.getByRole('button', { name: 'Acknowledge' }).count()).resolves.toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('offers no button to those who may not acknowledge, says so when someone else did first, and updates itself', async () => {
    const asViewer = await visit(viewer, `/alerts/${ids.epr}`);
    await asViewer.page.getByTestId('incident-title').waitFor();
    await expect(asViewer.page.getByTestId('incident-evidence').waitFor()).resolves.toBeUndefined();
    await expect(asViewer.page.getByRole('button', { name: 'Acknowledge' }).count()).resolves.toBe(0);
    // Marked, so a reload (which would lose the mark) cannot pass for the page updating itself.
    await asViewer.page.evaluate(() => {
      (window as unknown as { stayed: boolean }).stayed = true;
    });
    const asPartner = await visit(eastfield, `/alerts/${ids.epr}`);
    await asPartner.page.getByTestId('incident-evidence').waitFor();
    await expect(asPartner.page.getByRole('button', { name: 'Acknowledge' }).count()).resolves.toBe(0);
    await asPartner.page.close();

    const { page, errors } = await visit(admin, `/alerts/${ids.epr}`);
    await page.getByRole('button', { name: 'Acknowledge' }).waitFor();
    // Someone else acknowledges it meanwhile, through the API.
    const headers = await server.adminHeaders();
    const first = await fetch(new URL(`/api/v1/alerts/${ids.epr}/ack`, server.url), {
      method: 'POST',
      headers,
    });
    expect(first.status).toBe(200);
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await expect(page.getByTestId('ack-problem').textContent()).resolves.toMatch(/already acknowledged by/);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();

    // The viewer's page, left open, shows the acknowledgement at its next refresh (every 30 s).
    await expect
      .poll(() => asViewer.page.getByTestId('incident-facts').textContent(), { timeout: 40_000 })
      .toMatch(/AcknowledgedBy /);
    await expect(
      asViewer.page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed),
    ).resolves.toBe(true);
    expect(asViewer.errors).toEqual([]);
    await asViewer.page.close();
  }, 70_000);

  it('marks incidents on the check page’s charts and lists them, each linking to its page', async () => {
    const { page, errors } = await visit(viewer, '/checks/epr-login');
    const table = page.getByTestId('incidents');
    await table.waitFor();
    // The record's own incident, and St Anne's, which covered it there before it was seen everywhere.
    await expect(table.locator('tbody tr').count()).resolves.toBe(2);
    await expect(table.locator(`a[href="/alerts/${ids.epr}"]`).count()).resolves.toBe(1);
    await expect(page.getByTestId('incidents-note').count()).resolves.toBe(1);
    // The server filters: the page asks for this check's incidents of its charts' span, not every one.
    const asked = (path: Page) =>
      path.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .map((entry) => new URL(entry.name))
          .filter((url) => url.pathname === '/api/v1/alerts')
          .map((url) => Object.fromEntries(url.searchParams)),
      );
    await expect(asked(page)).resolves.toEqual([
      { state: 'all', check: 'epr-login', since: expect.any(String), limit: '500' },
    ]);
    await page
      .locator('figure', { hasText: 'Total time of each run' })
      .screenshot({ path: join(artifactsDir, 'alerts-check-chart.png') });
    await looksRight(page, 'alerts-check-page');
    expect(errors).toEqual([]);
    await page.close();

    const system = await visit(viewer, '/systems/mail');
    const listed = system.page.getByTestId('incidents');
    await listed.waitFor();
    await expect(listed.textContent()).resolves.toMatch(/Email unreachable.*Resolved/);
    await expect(listed.locator(`a[href="/alerts/${ids.mail}"]`).count()).resolves.toBe(1);
    await expect(asked(system.page)).resolves.toEqual([
      { state: 'all', system: 'mail', since: expect.any(String), limit: '500' },
    ]);
    expect(system.errors).toEqual([]);
    await system.page.close();

    // The record fails from every site: each of its vantage points' rows (and bars) names the open alert.
    const epr = await visit(viewer, '/systems/epr');
    await epr.page.getByTestId('incidents').waitFor();
    await expect(epr.page.locator(`td a.vantage-note[href="/alerts/${ids.epr}"]`).count()).resolves.toBe(3);
    await looksRight(epr.page, 'alerts-system-page');
    expect(epr.errors).toEqual([]);
    await epr.page.close();
  });

  it('links each line of the overview’s “failing now” to the open incident covering it', async () => {
    const { page, errors } = await visit(viewer, '/');
    await page.getByTestId('failing').waitFor();
    const epr = page.locator('[data-kind="system"][data-id="epr"]');
    await expect(epr.getByTestId('failing-incident').getAttribute('href')).resolves.toBe(
      `/alerts/${ids.epr}`,
    );
    const site = page.locator('[data-kind="site"][data-id="marsh-lane"]');
    await expect(site.getByTestId('failing-incident').getAttribute('href')).resolves.toBe(
      `/alerts/${ids.pas}`,
    );
    expect(errors).toEqual([]);
    await page.close();
  });
});
