/// <reference lib="dom" />
// page.evaluate callbacks run in the browser.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { axeViolations } from '../helpers/axe.js';
import { artifactsDir, browserSuite } from '../helpers/browser.js';
import { estateFrom } from '../helpers/estates.js';
import { octoberEstateYaml, octoberRuns, recentRuns } from '../helpers/october-case.js';
import { pageSuite } from '../helpers/page-suite.js';
import { ADMIN, type Person, type SignedIn } from '../helpers/signed-in.js';

/*
 * The hand-computed October 2026 case (test/helpers/october-case.ts) in a real server's database, with
 * six hours of runs before now, a weekly window on Marsh Lane from the estate file, and an ad hoc window
 * on the EPR running now (added an hour ago, for three hours).
 */
const estateYaml = octoberEstateYaml.replace(
  'maintenance:\n',
  'maintenance:\n  - { id: sunday-patching, title: Sunday patching, cron: "0 6 * * 0", duration: 2h, scope: { sites: [marsh-lane] } }\n',
);
const HOUR = 3_600_000;
const VIEWER: Person = { email: 'reader@eastfield.example.org', name: 'Board reader', role: 'viewer' };
const EASTFIELD: Person = {
  email: 'it@eastfield.example.org',
  name: 'Eastfield IT team',
  role: 'partner',
  organisations: ['eastfield'],
};

browserSuite('principles, organisation, maintenance and check pages (Chromium)', () => {
  const seed = async (db: string) => {
    const now = Date.now();
    const store = SqliteStores.open(db);
    await store.estate.syncEstate(estateFrom(estateYaml), now);
    await store.results.recordRuns(octoberRuns());
    await store.results.recordRuns(recentRuns(now, 6));
    await store.maintenance.add({
      id: 'ad-hoc-failover',
      title: 'EPR failover test',
      start: now - HOUR,
      end: now + 2 * HOUR,
      scope: { systems: ['epr'] },
      createdBy: ADMIN.email,
      createdAt: now - HOUR,
    });
    await store.close();
  };
  const suite = pageSuite({
    prefix: 'vantage-principles-',
    estateYaml,
    seed,
    people: { admin: ADMIN, viewer: VIEWER, partner: EASTFIELD },
    setupTimeoutMs: 60_000,
  });
  const { as, open } = suite;

  /** Checks a page at 390 px: no scrolling sideways, and axe finds nothing; then a screenshot. */
  async function narrow(who: SignedIn, path: string, heading: string, shot: string): Promise<void> {
    const { page, errors } = await open(who, path, 390);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    await page.waitForLoadState('networkidle');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${path} scrolls sideways at 390 px`).toBeLessThanOrEqual(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(artifactsDir, `${shot}-390.png`), fullPage: true });
    // A chart close up, to see that its labels fit.
    if ((await page.locator('figure').count()) > 0)
      await page
        .locator('figure')
        .last()
        .screenshot({ path: join(artifactsDir, `${shot}-390-chart.png`) });
    expect(errors).toEqual([]);
    await page.close();
  }

  const cellText = (page: Page, principle: string, column: number) =>
    page.locator(`#principle-${principle} td`).nth(column).textContent();

  it('shows the scorecard of principles × organisations for October, each cell in words and shape', async () => {
    const { page, errors } = await open(as.viewer, '/principles?period=2026-10');
    await page.getByRole('heading', { level: 1, name: 'Principles' }).waitFor();
    await expect(page.getByTestId('principles-period').textContent()).resolves.toBe(
      'Over 1 Oct, 00:00 to 1 Nov, 00:00 (London time).',
    );
    // Columns: principle, whole economy, Riverside, Eastfield, Northgate.
    await expect(cellText(page, 'epr-core', 1)).resolves.toContain('✕ Breached99.466%');
    await expect(cellText(page, 'epr-core', 2)).resolves.toContain('✕ Breached99.466%');
    await expect(cellText(page, 'epr-core', 3)).resolves.toContain('✓ Met99.650%');
    await expect(cellText(page, 'epr-core', 4)).resolves.toContain('✕ Breached99.282%');
    await expect(
      page.locator('#principle-epr-core td').nth(4).locator('a').getAttribute('href'),
    ).resolves.toBe('/principles/epr-core?period=2026-10&organisation=northgate');
    // Whatever the latency principle's state, it is a status in words, never a bare colour.
    await expect(cellText(page, 'epr-fast', 1)).resolves.toMatch(
      /(Met|At risk|Breached|No data|Not evaluated)/,
    );
    await expect(page.getByRole('link', { name: 'Last month (November 2026)' }).count()).resolves.toBe(
      new Date().getUTCMonth() === 11 ? 1 : 0,
    );
    await expect(page.getByTestId('accounting').first().textContent()).resolves.toContain(
      'How this is counted (accounting v1)',
    );
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(artifactsDir, 'principles-1280.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
    await narrow(as.viewer, '/principles?period=2026-10', 'Principles', 'principles');
  });

  it('keeps the scorecard’s caption in its frame when the columns scroll inside it', async () => {
    // Just wide enough for the scorecard to scroll inside its frame rather than with the page.
    const { page, errors } = await open(as.viewer, '/principles?period=2026-10', 800);
    await page.getByRole('heading', { level: 1, name: 'Principles' }).waitFor();
    const frame = page.getByRole('region', { name: 'Scorecard' });
    const sizes = () =>
      frame.evaluate((box) => ({
        frame: box.getBoundingClientRect(),
        table: (box.querySelector('table') as HTMLElement).getBoundingClientRect().width,
        caption: (box.querySelector('caption') as HTMLElement).getBoundingClientRect(),
      }));
    const before = await sizes();
    // The columns are wider than the frame: what the caption has to stay within.
    expect(before.table).toBeGreaterThan(before.frame.width);
    expect(before.caption.width).toBeLessThanOrEqual(before.frame.width);
    await frame.evaluate((box) => box.scrollBy(200, 0));
    const after = await sizes();
    // Where it was, to the pixel: it stays in view as the columns move under it.
    expect(Math.abs(after.caption.left - before.caption.left)).toBeLessThanOrEqual(1);
    expect(after.caption.right).toBeLessThanOrEqual(after.frame.right + 0.5);
    await page.screenshot({ path: join(artifactsDir, 'principles-800-scrolled.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens a cell: the host’s own part, its minutes, budget, whose minutes, and its outages', async () => {
    const path = '/principles/epr-core?period=2026-10&organisation=northgate';
    const { page, errors } = await open(as.viewer, path);
    const title = 'EPR available in core hours: Northgate Community Trust';
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'The outages behind them' }).waitFor();
    const headline = await page.getByTestId('headline').textContent();
    expect(headline).toContain('✕ Breached');
    expect(headline).toContain('99.282% (target ≥ 99.5%)');
    expect(headline).toContain('Up 13,135 min');
    expect(headline).toContain('Down 95 min');
    expect(headline).toContain('Allowed 66.15 min');
    expect(headline).toContain('Overspent by 28.85 min');
    // Whose: the owner's 65 minutes (G and F, seen from at least half the sites) and the host's 30 (A).
    const whose = page.locator('table', { hasText: 'Down minutes by organisation and role' });
    await expect(whose.locator('tbody tr').allTextContents()).resolves.toEqual([
      'Organisation Riverside Hospitals NHS TrustRole system ownerDown minutes 65 min',
      'Organisation Northgate Community TrustRole site hostDown minutes 30 min',
    ]);
    // Only what Northgate hosts: Hill View.
    const items = page.locator('table', { hasText: 'Each site and system in scope' });
    await expect(items.locator('tbody tr').count()).resolves.toBe(1);
    await expect(items.locator('tbody tr').textContent()).resolves.toContain('Hill View Clinic');
    // Its own outages only, within core hours as the figure counts them: A, in London time. B (Saturday
    // 10 October, 03:00) is outside core hours, so it is not among them: its minutes are in no figure here.
    const outages = page.locator('table', { hasText: 'Outages, newest first' });
    await expect(outages.locator('tbody tr').allTextContents()).resolves.toEqual([
      'Check EPR sign-in pageVantage point Hill View ClinicFrom 6 Oct, 10:00To 6 Oct, 10:30Minutes 30 minWhose Northgate Community Trust (site host) 30 min',
    ]);
    await expect(page.getByTestId('accounting').count()).resolves.toBeGreaterThanOrEqual(3);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(artifactsDir, 'principle-evidence-1280.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
    await narrow(as.viewer, path, title, 'principle-evidence');
  });

  it('shows the whole principle by organisation, system and site', async () => {
    const { page, errors } = await open(as.admin, '/principles/epr-core?period=2026-10');
    await page.getByRole('heading', { level: 1, name: 'EPR available in core hours' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'The outages behind them' }).waitFor();
    await expect(page.getByTestId('headline').textContent()).resolves.toBe(
      '✕ Breached 99.466% (target ≥ 99.5%)',
    );
    const bySite = page.locator('table', { hasText: 'Each site' }).first();
    await expect(bySite.locator('tbody tr').nth(1).textContent()).resolves.toContain('Marsh Lane Centre');
    await expect(bySite.locator('tbody tr').nth(1).textContent()).resolves.toContain(
      'Maintenance 120 minUnknown 239.5 min',
    );
    expect(errors).toEqual([]);
    await page.close();
  });

  it('gives an organisation its own scorecard: only the gaps it answers for', async () => {
    const { page, errors } = await open(as.viewer, '/organisations/riverside?period=2026-10');
    await page.getByRole('heading', { level: 1, name: 'Riverside Hospitals NHS Trust' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'What we are responsible for' }).waitFor();
    await expect(page.locator('#principle-epr-core').textContent()).resolves.toContain('180 min');
    const gaps = page.locator('table', { hasText: 'EPR available in core hours: the sites and systems' });
    await expect(gaps.locator('tbody tr').allTextContents()).resolves.toEqual([
      "Site St Anne's HospitalSystem Electronic patient recordStatus there ✕ BreachedValue there 99.471%Minutes ours 70 minAs system owner 45 min; site host 25 min",
      'Site Hill View ClinicSystem Electronic patient recordStatus there ✕ BreachedValue there 99.282%Minutes ours 65 minAs system owner 65 min',
      'Site Marsh Lane CentreSystem Electronic patient recordStatus there ✓ MetValue there 99.650%Minutes ours 45 minAs system owner 45 min',
    ]);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(artifactsDir, 'organisation-1280.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();

    // Eastfield's only down minutes at Marsh Lane were every site's at once: the owner's, not its own.
    const eastfield = await open(as.viewer, '/organisations/eastfield?period=2026-10');
    await expect(eastfield.page.getByTestId('no-gaps').textContent()).resolves.toBe(
      'No down minutes are attributed to Eastfield Mental Health NHS Trust in this period.',
    );
    await eastfield.page.close();
    await narrow(
      as.viewer,
      '/organisations/riverside?period=2026-10',
      'Riverside Hospitals NHS Trust',
      'organisation',
    );
  });

  it('links organisations from the estate page and the system page', async () => {
    const { page } = await open(as.viewer, '/systems/epr');
    await page.getByRole('heading', { level: 1, name: 'Electronic patient record' }).waitFor();
    await expect(page.locator('.nhsuk-lede-text a').getAttribute('href')).resolves.toBe(
      '/organisations/riverside',
    );
    await page.goto(new URL('/estate', suite.server.url).toString());
    await page.getByRole('heading', { level: 1, name: 'Estate and responsibilities' }).waitFor();
    // The card's heading, the sites table's host column: each links to the organisation's page.
    await expect(page.locator('a[href="/organisations/northgate"]').count()).resolves.toBe(2);
    await page
      .getByRole('heading', { level: 2, name: 'Northgate Community Trust' })
      .getByRole('link')
      .click();
    await page.getByRole('heading', { level: 1, name: 'Northgate Community Trust' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/organisations/northgate');
    await page.close();
  });

  it('shades maintenance on a check’s charts and lists the windows charted and coming up', async () => {
    const { page, errors } = await open(as.viewer, '/checks/epr-login');
    await page.getByRole('heading', { level: 1, name: 'EPR sign-in page' }).waitFor();
    await page.getByTestId('maintenance-note').waitFor();
    const charted = page.locator('table', { hasText: 'Maintenance windows in the charted range' });
    const rows = await charted.locator('tbody tr').allTextContents();
    expect(rows.find((r) => r.includes('EPR failover test'))).toContain(
      "Covers here St Anne's Hospital, Marsh Lane Centre, Hill View Clinic",
    );
    expect(rows.find((r) => r.includes('Sunday patching'))).toContain('Covers here Marsh Lane Centre');
    const upcoming = page.locator('table', { hasText: 'Maintenance windows on now or coming up' });
    await expect(upcoming.textContent()).resolves.toContain('Sunday patching');
    // The hatched boxes are drawn: the latency chart has pixels of the shading's colour.
    const shaded = await page.evaluate(() => {
      const canvas = document.querySelectorAll('canvas')[1] as HTMLCanvasElement;
      const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
      let count = 0;
      for (let i = 0; i < data.length; i += 4)
        // The shading's colour at its own opacity, on the canvas's transparent background.
        if (
          Math.abs((data[i] ?? 0) - 65) < 8 &&
          Math.abs((data[i + 1] ?? 0) - 182) < 8 &&
          Math.abs((data[i + 2] ?? 0) - 230) < 8 &&
          Math.abs((data[i + 3] ?? 0) - 64) < 10
        )
          count += 1;
      return count;
    });
    expect(shaded).toBeGreaterThan(100);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(artifactsDir, 'check-maintenance-1280.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
    await narrow(as.viewer, '/checks/epr-login', 'EPR sign-in page', 'check-maintenance');
  });

  it('lists the windows on now and coming up, lets a partner plan one on its own site, and an admin end one', async () => {
    const asViewer = await open(as.viewer, '/maintenance');
    await asViewer.page.getByTestId('maintenance-now').waitFor();
    await expect(asViewer.page.getByTestId('maintenance-now').textContent()).resolves.toContain(
      'EPR failover test',
    );
    await expect(asViewer.page.getByTestId('maintenance-upcoming').textContent()).resolves.toContain(
      'Sunday patching',
    );
    await expect(
      asViewer.page.getByRole('button', { name: 'End now: EPR failover test' }).count(),
    ).resolves.toBe(0);
    expect(await axeViolations(asViewer.page)).toEqual([]);
    await asViewer.page.close();
    await narrow(as.viewer, '/maintenance', 'Maintenance', 'maintenance');

    // A partner is offered the button, but the EPR is not Eastfield's: the server's refusal is shown.
    const asPartner = await open(as.partner, '/maintenance');
    await asPartner.page.getByRole('button', { name: 'End now: EPR failover test' }).click();
    await asPartner.page.getByRole('alert').waitFor();
    await expect(asPartner.page.getByRole('alert').textContent()).resolves.toContain(
      "not yours: system 'epr' (owner riverside); you act for eastfield",
    );
    await expect(asPartner.page.getByTestId('maintenance-now').textContent()).resolves.toContain(
      'EPR failover test',
    );

    // The partner plans work on what Eastfield hosts: offered Marsh Lane only, told what is missing.
    const form = asPartner.page.getByTestId('window-form');
    await expect(form.locator('.nhsuk-checkboxes__label').allTextContents()).resolves.toEqual([
      'Marsh Lane Centre',
    ]);
    await form.getByRole('button', { name: 'Add window' }).click();
    await expect(form.getByRole('alert').textContent()).resolves.toContain("'title'");
    const tomorrow = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(
      Date.now() + 24 * HOUR,
    );
    await form.getByLabel('What is the work').fill('Marsh Lane cabling');
    await form.getByLabel('Starts (London time)').fill(`${tomorrow}T22:00`);
    await form.getByLabel('Ends (London time)').fill(`${tomorrow}T23:30`);
    await form.getByLabel('Marsh Lane Centre').check();
    await form.getByRole('button', { name: 'Add window' }).click();
    await expect
      .poll(() => asPartner.page.getByTestId('maintenance-upcoming').textContent())
      .toContain('Marsh Lane cabling');
    const added = asPartner.page
      .getByTestId('maintenance-upcoming')
      .locator('tr', { hasText: 'Marsh Lane cabling' });
    await expect(added.textContent()).resolves.toContain('22:00 to');
    await expect(added.textContent()).resolves.toContain('sites Marsh Lane Centre');
    await expect(added.textContent()).resolves.toContain('added by it@eastfield.example.org');
    expect(await axeViolations(asPartner.page)).toEqual([]);
    expect(asPartner.errors).toEqual([]);
    await asPartner.page.close();

    const { page, errors } = await open(as.admin, '/maintenance');
    await page.getByRole('button', { name: 'End now: EPR failover test' }).click();
    await expect.poll(() => page.getByTestId('maintenance-now').textContent()).toBe('None.');
    await expect(page.getByTestId('maintenance-recent').textContent()).resolves.toMatch(
      /EPR failover test.*ended early at .* by cio@example\.org/,
    );
    await page.screenshot({ path: join(artifactsDir, 'maintenance-1280.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);
});
