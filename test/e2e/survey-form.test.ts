/// <reference lib="dom" />
// page.evaluate callbacks run in the browser.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { axeViolations } from '../helpers/axe.js';
import { artifactsDir, browserSuite, launchBrowser } from '../helpers/browser.js';
import { type ServerProcess, startCliServer } from '../helpers/cli.js';

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const TITLE = 'IT usability survey (test)';

/** A campaign open today (ten days either side), rating two systems, and one that closed in 2019. */
const estateYaml = () => `organisations:
  - { id: riverside, name: Riverside Hospitals NHS Trust, kind: acute }
  - { id: eastfield, name: Eastfield Mental Health NHS Trust, kind: mental-health }
sites:
  - { id: st-annes, name: St Anne's Hospital, host: riverside }
  - { id: marsh-lane, name: Marsh Lane Centre, host: eastfield }
systems:
  - { id: epr, name: Riverside EPR, owner: riverside }
  - { id: rio, name: RiO, owner: eastfield }
surveys:
  - id: usability
    title: ${TITLE}
    opens: ${isoDay(Date.now() - 10 * DAY)}
    closes: ${isoDay(Date.now() + 10 * DAY)}
    systems: { epr: sus, rio: umux-lite }
  - id: usability-2019
    title: IT usability survey 2019
    opens: 2019-10-01
    closes: 2019-12-31
    systems: { epr: sus }
`;

/** Fails unless the page fits 320 px: nothing may scroll sideways. */
type StepCheck = (page: Page, step: string) => Promise<void>;

/** Answers About you: Riverside Hospitals NHS Trust, St Anne's Hospital, and the staff group given. */
async function aboutYou(page: Page, staffGroup: string): Promise<void> {
  await page
    .getByLabel('Which organisation do you work for?')
    .selectOption({ label: 'Riverside Hospitals NHS Trust' });
  await page.getByLabel('Which site do you mostly work at?').selectOption({ label: "St Anne's Hospital" });
  await page.getByLabel(staffGroup).check();
}

/**
 * Answers the whole form: rates Riverside EPR (SUS: odd items 4, even items 2, so a score of 75),
 * says no to RiO, answers two site items and leaves a comment with an email address in it.
 */
async function completeForm(page: Page, url: string, atEachStep: StepCheck): Promise<void> {
  await page.goto(`${url}survey/usability`);
  expect(await page.title()).toBe(`Start – ${TITLE}`);
  await atEachStep(page, 'start');
  await page.getByRole('button', { name: 'Start now' }).click();

  await page.getByRole('heading', { level: 1, name: 'About you' }).waitFor();
  expect(await page.title()).toBe(`About you – ${TITLE}`);
  await atEachStep(page, 'about-you');
  await aboutYou(page, 'Nursing and midwifery');
  await page.getByRole('button', { name: 'Continue' }).click();

  await page.getByRole('heading', { level: 1, name: 'Do you use Riverside EPR?' }).waitFor();
  expect(await page.title()).toBe(`Do you use Riverside EPR? – ${TITLE}`);
  await atEachStep(page, 'use-epr');
  await page.getByLabel('Yes').check();
  await page.getByRole('button', { name: 'Continue' }).click();

  await page.getByRole('heading', { level: 1, name: 'Using Riverside EPR' }).waitFor();
  await atEachStep(page, 'rate-epr');
  // Nothing is chosen for the respondent.
  await expect(page.locator('input[type=radio]:checked').count()).resolves.toBe(0);
  for (let i = 1; i <= 10; i++) {
    await page.locator(`input[type=radio][name="epr.sus${i}"][value="${i % 2 === 1 ? 4 : 2}"]`).check();
  }
  await page.locator('input[type=radio][name="epr.infra.available"][value="4"]').check();
  await page.getByRole('button', { name: 'Continue' }).click();

  await page.getByRole('heading', { level: 1, name: 'Do you use RiO?' }).waitFor();
  // Back keeps the answers: they travel with the page.
  await page.getByRole('button', { name: 'Back' }).click();
  await page.getByRole('heading', { level: 1, name: 'Using Riverside EPR' }).waitFor();
  await expect(page.locator('input[type=radio][name="epr.sus1"][value="4"]').isChecked()).resolves.toBe(true);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { level: 1, name: 'Do you use RiO?' }).waitFor();
  await page.getByLabel('No').check();
  await page.getByRole('button', { name: 'Continue' }).click();

  await page.getByRole('heading', { level: 1, name: 'IT at your site' }).waitFor();
  await atEachStep(page, 'your-site');
  await page.locator('input[type=radio][name="infra.wifiEase"][value="2"]').check();
  await page.getByLabel("I don't know").check();
  await expect(
    page.getByText('Please do not include names or any patient details.').isVisible(),
  ).resolves.toBe(true);
  await page
    .getByLabel('What one IT change would most help you at work?')
    .fill('Faster printers. Email me at jane.doe@example.nhs.uk about it.');
  await page.getByRole('button', { name: 'Continue' }).click();

  await page.getByRole('heading', { level: 1, name: 'Check your answers' }).waitFor();
  expect(await page.title()).toBe(`Check your answers – ${TITLE}`);
  await atEachStep(page, 'check');
  const main = (await page.locator('main').textContent()) ?? '';
  expect(main).toContain('Riverside Hospitals NHS Trust');
  expect(main).toContain('Nursing and midwifery');
  expect(main).toContain('I think that I would like to use Riverside EPR frequently.');
  await page.getByRole('button', { name: 'Send answers' }).click();

  await page.getByRole('heading', { level: 1, name: 'Thank you' }).waitFor();
  expect(await page.title()).toBe(`Thank you – ${TITLE}`);
  await atEachStep(page, 'thank-you');
}

browserSuite('the survey form in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;
  let dir: string;
  let db: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vantage-survey-form-'));
    const config = join(dir, 'estate.yaml');
    db = join(dir, 'vantage.db');
    writeFileSync(config, estateYaml());
    server = await startCliServer(['--config', config, '--db', db]);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const responses = () => {
    const sqlite = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return {
        rows: sqlite.prepare('SELECT * FROM survey_responses ORDER BY id').all() as Record<string, unknown>[],
        scores: sqlite.prepare('SELECT * FROM survey_score_cells').all() as Record<string, unknown>[],
      };
    } finally {
      sqlite.close();
    }
  };

  it('can be completed with JavaScript off, and stores the response with the comment redacted', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await completeForm(page, server.url, async () => {});
    const { rows, scores } = responses();
    expect(rows).toHaveLength(1);
    const row = rows[0] as Record<string, unknown>;
    expect(row).toMatchObject({ campaign: 'usability', organisation: 'riverside', site: 'st-annes' });
    expect(row.staff_group).toBe('nursing');
    expect(row.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(row.comment).toBe('Faster printers. Email me at [email removed] about it.');
    const answers = JSON.parse(String(row.answers)) as Record<string, Record<string, unknown>>;
    expect(answers.epr).toMatchObject({ sus1: 4, sus2: 2, 'infra.available': 4 });
    expect(answers.rio).toBeUndefined();
    expect(answers.infra).toEqual({ 'infra.wifiEase': 2, 'infra.timeToRecord': 'dont-know' });
    expect(scores).toHaveLength(1);
    expect(scores[0]).toMatchObject({
      campaign: 'usability',
      system: 'epr',
      instrument: 'sus',
      n: 1,
      sum: 75,
    });
    await context.close();
  });

  it('resumes after the connection is lost while a page is sent: reloading sends it again, nothing lost', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const before = responses().rows.length;
    await page.goto(`${server.url}survey/usability`);
    await page.getByRole('button', { name: 'Start now' }).click();
    await aboutYou(page, 'Admin and clerical');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { level: 1, name: 'Do you use Riverside EPR?' }).waitFor();
    await page.getByLabel('Yes').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { level: 1, name: 'Using Riverside EPR' }).waitFor();
    for (let i = 1; i <= 10; i++) await page.locator(`input[name="epr.sus${i}"][value="3"]`).check();

    // The connection drops as the page is sent: the browser shows its own error page.
    await context.setOffline(true);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/^chrome-error:/);
    await context.setOffline(false);
    // Reloading sends the same page again, with every answer so far in it.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Do you use RiO?' }).waitFor();
    await page.getByLabel('No').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { level: 1, name: 'IT at your site' }).waitFor();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { level: 1, name: 'Check your answers' }).waitFor();
    expect((await page.locator('main').textContent()) ?? '').toContain('Admin and clerical');
    await page.getByRole('button', { name: 'Send answers' }).click();
    await page.getByRole('heading', { level: 1, name: 'Thank you' }).waitFor();

    const { rows } = responses();
    expect(rows).toHaveLength(before + 1);
    const stored = rows.at(-1) as Record<string, unknown>;
    expect(stored.staff_group).toBe('admin');
    const answers = JSON.parse(String(stored.answers)) as Record<string, Record<string, unknown>>;
    expect(answers.epr).toMatchObject({ sus1: 3, sus10: 3 });
    await context.close();
  });

  it('shows an error summary linked to each field when About you is sent empty', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}survey/usability/about-you`);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('There is a problem').waitFor();
    expect(await page.title()).toBe(`Error: About you – ${TITLE}`);
    const links = page.locator('.nhsuk-error-summary a');
    await expect(links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))).resolves.toEqual([
      '#organisation',
      '#site',
      '#staffGroup',
    ]);
    // Each field's own message sits above it, inside its form group.
    for (const id of ['organisation', 'site', 'staffGroup']) {
      const group = page.locator('.nhsuk-form-group--error', { has: page.locator(`#${id}`) });
      await expect(group.locator(`#${id}-error.nhsuk-error-message`).isVisible()).resolves.toBe(true);
      const order = await group.evaluate(
        (g, field) =>
          g.querySelector(`#${field}-error`)?.compareDocumentPosition(g.querySelector(`#${field}`) as Node),
        id,
      );
      expect(order).toBe(4); // DOCUMENT_POSITION_FOLLOWING: the field comes after its message
    }
    await links.filter({ hasText: 'Select your staff group' }).click();
    expect(new URL(page.url()).hash).toBe('#staffGroup');
    await expect(page.locator('#staffGroup:target').count()).resolves.toBe(1);
    await context.close();
  });

  it('asks for a system rated or a site question answered when the answer to every system is No', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}survey/usability/about-you`);
    await page.getByLabel('Which organisation do you work for?').selectOption('eastfield');
    await page.getByLabel('Which site do you mostly work at?').selectOption('marsh-lane');
    await page.getByLabel('Admin and clerical').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    for (const system of ['Riverside EPR', 'RiO']) {
      await page.getByRole('heading', { level: 1, name: `Do you use ${system}?` }).waitFor();
      await page.getByLabel('No').check();
      await page.getByRole('button', { name: 'Continue' }).click();
    }
    await page.getByRole('heading', { level: 1, name: 'IT at your site' }).waitFor();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { level: 1, name: 'Check your answers' }).waitFor();
    expect(await page.title()).toBe(`Error: Check your answers – ${TITLE}`);
    await expect(page.locator('.nhsuk-error-summary').textContent()).resolves.toContain(
      'You need to answer at least one question',
    );
    const before = responses().rows.length;
    await page.getByRole('button', { name: 'Send answers' }).click();
    await page.getByText('There is a problem').waitFor();
    expect(responses().rows.length).toBe(before);
    // The error leads to changing a "Do you use" answer; saying yes there asks for that system's ratings.
    await page.locator('#change-use-epr').click();
    await page.getByRole('heading', { level: 1, name: 'Do you use Riverside EPR?' }).waitFor();
    await page.getByLabel('Yes').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { level: 1, name: 'Using Riverside EPR' }).waitFor();
    await context.close();
  });

  it('says a closed campaign has closed, with no form', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}survey/usability-2019`);
    await expect(page.getByTestId('campaign-state').textContent()).resolves.toBe(
      'IT usability survey 2019 closed on 31 December 2019.',
    );
    await expect(page.locator('form').count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Start now' }).count()).resolves.toBe(0);
    const missing = await page.goto(`${server.url}survey/no-such-survey`);
    expect(missing?.status()).toBe(404);
    expect(await page.title()).toBe('Page not found – Staff IT survey');
    await context.close();
  });

  it('works with JavaScript on at 320 px wide, with no sideways scroll and nothing fetched elsewhere', async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
    const page = await context.newPage();
    const hosts = new Set<string>();
    page.on('request', (request) => hosts.add(new URL(request.url()).host));
    const before = responses().rows.length;
    await completeForm(page, server.url, async (p, step) => {
      const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `sideways scroll on ${step}`).toBeLessThanOrEqual(0);
      if (step === 'rate-epr')
        await p.screenshot({ path: join(artifactsDir, 'survey-320.png'), fullPage: true });
    });
    expect(responses().rows.length).toBe(before + 1);
    expect([...hosts]).toEqual([new URL(server.url).host]);
    await context.close();
  });

  it('has no WCAG 2.2 A or AA violations that axe-core finds, on every page and on an error page', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const found: string[] = [];
    const audit = async (p: Page, step: string) => {
      for (const violation of await axeViolations(p)) found.push(`${step}: ${violation}`);
    };
    await completeForm(page, server.url, audit);
    await audit(page, 'thank-you');
    await page.goto(`${server.url}survey/usability/about-you`);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('There is a problem').waitFor();
    await audit(page, 'about-you with errors');
    await page.goto(`${server.url}survey/usability-2019`);
    await audit(page, 'closed campaign');
    expect(found).toEqual([]);
    await context.close();
  });
});
