/// <reference lib="dom" />
// page.evaluate callbacks run in the browser.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { axeViolations } from '../helpers/axe.js';
import { artifactsDir, browserSuite } from '../helpers/browser.js';
import { pageSuite } from '../helpers/page-suite.js';
import { ADMIN, type Person } from '../helpers/signed-in.js';

const estateYaml = `organisations:
  - { id: riverside, name: Riverside Hospitals NHS Trust, kind: acute }
  - { id: eastfield, name: Eastfield Mental Health NHS Trust, kind: mental-health }
sites:
  - { id: st-annes, name: St Anne's Hospital, host: riverside }
  - { id: marsh-lane, name: Marsh Lane Centre, host: eastfield }
systems:
  - { id: epr, name: Riverside EPR, owner: riverside }
  - { id: pas, name: Eastfield PAS, owner: eastfield }
checks:
  - { id: epr-login, name: EPR sign-in page, system: epr, type: http, target: "https://epr.example.org/login", every: 1m, from: [st-annes, marsh-lane] }
access: { public: [surveys] }
`;

const PARTNER: Person = {
  email: 'it@riverside.example.org',
  name: 'Riverside IT team',
  role: 'partner',
  organisations: ['riverside'],
};
const VIEWER: Person = { email: 'reader@eastfield.example.org', name: 'Board reader', role: 'viewer' };

browserSuite('sign-in and roles in the dashboard (Chromium)', () => {
  const suite = pageSuite({
    prefix: 'vantage-roles-',
    estateYaml,
    people: { admin: ADMIN, partner: PARTNER, viewer: VIEWER },
  });
  const { as, open } = suite;
  const navLinks = (page: Page) => page.locator('.nhsuk-header__navigation-link').allTextContents();

  it('sends an anonymous visit to sign in, and back to the page after', async () => {
    const answer = await fetch(new URL('/systems/epr?window=7d', suite.server.url), {
      redirect: 'manual',
      headers: { accept: 'text/html' },
    });
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/sign-in?next=%2Fsystems%2Fepr%3Fwindow%3D7d');
    const page = await suite.browser.newPage();
    const landed = await page.goto(suite.server.url);
    expect(landed?.request().redirectedFrom()?.url()).toBe(suite.server.url);
    const where = new URL(page.url());
    expect(where.pathname).toBe('/sign-in');
    expect(where.searchParams.get('next')).toBe('/');
    await page.close();
  });

  it('offers an anonymous visitor to a public page a way to sign in, and nothing more', async () => {
    const page = await suite.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(new URL('/surveys', suite.server.url).toString());
    await page.getByRole('heading', { level: 1, name: 'Usability surveys' }).waitFor();
    const signIn = page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign in' });
    await expect(signIn.getAttribute('href')).resolves.toBe('/sign-in?next=%2Fsurveys');
    await expect(page.locator('form[action="/sign-out"]').count()).resolves.toBe(0);
    expect(await navLinks(page)).toEqual([
      'Overview',
      'Estate',
      'Principles',
      'Agents',
      'Maintenance',
      'Surveys',
      'Status',
    ]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a viewer who they are, with no note form and no admin links', async () => {
    const { page, errors } = await open(as.viewer, '/systems/epr');
    await page.getByRole('heading', { level: 1, name: 'Riverside EPR' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Notes' }).waitFor();
    await expect(page.getByTestId('signed-in-as').textContent()).resolves.toBe('Board readerViewer');
    await expect(page.getByTestId('note-form').count()).resolves.toBe(0);
    await expect(page.getByTestId('notes-empty').textContent()).resolves.toBe('No notes yet.');
    expect(await navLinks(page)).toEqual([
      'Overview',
      'Estate',
      'Principles',
      'Agents',
      'Maintenance',
      'Surveys',
      'Status',
      'Reports',
      'Alerts',
    ]);
    // Sign-out is a POST carrying the session's CSRF value.
    const form = page.locator('form[action="/sign-out"]');
    await expect(form.getAttribute('method')).resolves.toBe('post');
    await expect(form.locator('input[name="_csrf"]').inputValue()).resolves.toBe(as.viewer.csrf);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(artifactsDir, 'roles-viewer-system.png'), fullPage: true });

    // An admin page by its address: said plainly, and its data refused by the server anyway.
    const audit = await page.goto(new URL('/audit', suite.server.url).toString());
    expect(audit?.status()).toBe(200);
    await expect(page.getByTestId('not-for-you').textContent()).resolves.toMatch(/^Only admins/);
    const refused = await page.evaluate(async () => (await fetch('/api/v1/audit')).status);
    expect(refused).toBe(403);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('lets a partner of the owner add a note, and remove it, but offers no form on another’s system', async () => {
    const { page, errors } = await open(as.partner, '/systems/epr');
    await page.getByTestId('note-form').waitFor();
    await expect(page.getByTestId('signed-in-as').textContent()).resolves.toBe(
      'Riverside IT teamPartner for Riverside Hospitals NHS Trust',
    );
    // Submitted empty: the server's words, by the field.
    await page.getByRole('button', { name: 'Add note' }).click();
    await expect(page.locator('.nhsuk-error-message').textContent()).resolves.toBe(
      "Error: field 'text': must not be empty",
    );
    await page.getByLabel('Add a note').fill('EPR upgrade on Saturday 06:00–08:00: expect sign-in failures.');
    await page.getByRole('button', { name: 'Add note' }).click();
    const list = page.getByTestId('notes');
    await list.waitFor();
    await expect(list.locator('li').count()).resolves.toBe(1);
    await expect(list.textContent()).resolves.toMatch(
      /^EPR upgrade on Saturday 06:00–08:00: expect sign-in failures\.Riverside IT team, \d{1,2} [A-Z][a-z]{2}, \d{2}:\d{2}Remove$/,
    );
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(artifactsDir, 'roles-partner-system.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(artifactsDir, 'roles-partner-system-390.png'), fullPage: true });

    // A second note, removed again by its author.
    await page.getByLabel('Add a note').fill('Temporary note');
    await page.getByRole('button', { name: 'Add note' }).click();
    await expect.poll(() => list.locator('li').count()).toBe(2);
    await list.locator('li', { hasText: 'Temporary note' }).getByRole('button').click();
    await expect.poll(() => list.locator('li').count()).toBe(1);

    await page.goto(new URL('/systems/pas', suite.server.url).toString());
    await page.getByRole('heading', { level: 2, name: 'Notes' }).waitFor();
    await expect(page.getByTestId('note-form').count()).resolves.toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows an admin the audit log with the note’s entry, filtered and paged', async () => {
    const { page, errors } = await open(as.admin, '/audit');
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    expect(await navLinks(page)).toEqual([
      'Overview',
      'Estate',
      'Principles',
      'Agents',
      'Maintenance',
      'Surveys',
      'Status',
      'Reports',
      'Alerts',
      'Notifications',
      'Audit log',
      'Users and tokens',
    ]);
    const rows = page.locator('tbody tr');
    await expect(rows.count()).resolves.toBe(3);
    const added = rows.filter({ hasText: 'note-added' }).filter({ hasText: 'EPR upgrade' });
    await expect(added.count()).resolves.toBe(1);
    const text = (await added.textContent()) ?? '';
    expect(text).toContain('it@riverside.example.org');
    expect(text).toContain('system:epr');
    expect(text).toMatch(/From where\s*(::ffff:)?127\.0\.0\.1/);
    expect(text).toMatch(/When\s*\d{1,2} [A-Z][a-z]{2}, \d{2}:\d{2}/);

    await page.getByLabel('What').fill('note-removed');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/action=note-removed/);
    await expect.poll(() => rows.count()).toBe(1);
    await expect(rows.first().textContent()).resolves.toContain('Temporary note');
    await expect(page.getByTestId('audit-older').count()).resolves.toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(artifactsDir, 'roles-admin-audit.png'), fullPage: true });

    // Past a page of entries, older ones are a link away, the filter kept.
    const store = SqliteStores.open(suite.db);
    try {
      for (let i = 0; i < 60; i++)
        await store.access.audit({
          at: Date.now() - (60 - i) * 1000,
          actor: `person-${i}@example.org`,
          action: 'sign-in-failed',
          subject: null,
          address: '10.1.2.3',
          detail: null,
        });
    } finally {
      await store.close();
    }
    await page.goto(new URL('/audit?action=sign-in-failed', suite.server.url).toString());
    await page.getByTestId('audit-older').waitFor();
    await expect(rows.count()).resolves.toBe(50);
    await expect(rows.first().textContent()).resolves.toContain('person-59@example.org');
    await page.getByTestId('audit-older').click();
    await page.waitForURL(/before=/);
    await expect.poll(() => rows.count()).toBe(10);
    expect(new URL(page.url()).searchParams.get('action')).toBe('sign-in-failed');
    await expect(rows.first().textContent()).resolves.toContain('person-9@example.org');
    await expect(page.getByTestId('audit-older').count()).resolves.toBe(0);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(artifactsDir, 'roles-admin-audit-390.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('lets an admin make an API token shown once, revoke it, and change a role', async () => {
    const { page, errors } = await open(as.admin, '/access');
    await page.getByRole('heading', { level: 1, name: 'Users and tokens' }).waitFor();
    const form = page.getByTestId('create-token');
    await form.getByLabel('Role').selectOption('partner');
    await form.getByLabel('Eastfield Mental Health NHS Trust').check();
    await form.getByLabel('Label').fill('Eastfield reports');
    await form.getByRole('button', { name: 'Make API token' }).click();
    const made = page.getByTestId('new-token');
    await made.waitFor();
    const token = (await made.locator('code').textContent()) ?? '';
    expect(token).toMatch(/^vap_[0-9a-f]{8}_/);
    const asToken = await fetch(new URL('/api/v1/me', suite.server.url), {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(((await asToken.json()) as { can: unknown }).can).toEqual({
      admin: false,
      actOn: { systems: ['pas'], sites: ['marsh-lane'] },
    });
    const tokenRow = page.locator('tbody tr', { hasText: 'Eastfield reports' });
    await expect(tokenRow.textContent()).resolves.toContain('Partner for Eastfield Mental Health NHS Trust');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(artifactsDir, 'roles-admin-access.png'), fullPage: true });

    await tokenRow.getByRole('button', { name: 'Revoke Eastfield reports' }).click();
    await expect.poll(() => tokenRow.textContent()).toMatch(/Revoked \d{1,2} [A-Z][a-z]{2}/);
    await expect(page.getByTestId('new-token').count()).resolves.toBe(0);
    const revoked = await fetch(new URL('/api/v1/me', suite.server.url), {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(revoked.status).toBe(401);

    // The viewer becomes a partner of Eastfield: their session ends at once.
    const viewerRow = page.locator(`tr#user-${as.viewer.user.id}`);
    await viewerRow.getByText('Change role').click();
    await viewerRow.getByLabel('Role').selectOption('partner');
    await viewerRow.getByLabel('Eastfield Mental Health NHS Trust').check();
    await viewerRow.getByRole('button', { name: 'Save role' }).click();
    await expect
      .poll(() => viewerRow.textContent())
      .toContain('Partner for Eastfield Mental Health NHS Trust');
    const ended = await fetch(new URL('/api/v1/me', suite.server.url), {
      headers: { cookie: as.viewer.cookie },
    });
    expect(ended.status).toBe(401);
    await expect(page.locator(`tr#user-${as.admin.user.id}`).textContent()).resolves.toContain('This is you');
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(artifactsDir, 'roles-admin-access-390.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('sends a page whose session ended to sign in when it next asks the server', async () => {
    const { page } = await open(as.partner, '/systems/epr');
    await page.getByTestId('note-form').waitFor();
    const store = SqliteStores.open(suite.db);
    try {
      expect(await store.access.endSessions(as.partner.user.id)).toBe(1);
    } finally {
      await store.close();
    }
    await page.getByLabel('Add a note').fill('Too late');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.waitForURL(/\/sign-in\?/);
    expect(new URL(page.url()).searchParams.get('next')).toBe('/systems/epr');
    await page.close();
  });
});
