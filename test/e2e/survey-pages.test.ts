/// <reference lib="dom" />
// page.evaluate callbacks run in the browser.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { axeViolations } from '../helpers/axe.js';
import { artifactsDir, browserSuite, launchBrowser } from '../helpers/browser.js';
import { type ServerProcess, startCliServer } from '../helpers/cli.js';
import { ADMIN, pageAs, type SignedIn, signedInAt } from '../helpers/signed-in.js';
import { useTmpDir } from '../helpers/tmp.js';

const tmp = useTmpDir();

browserSuite('survey results page in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;
  let admin: SignedIn;
  const newPage = (options = {}) => pageAs(browser, server.url, admin, options);
  let demo: number;

  beforeAll(async () => {
    // The demo estate has usability-2025 closed and usability-2026 not yet closed; serve --demo
    // generates demo responses for both into a new database.
    const db = join(tmp(), 'demo.db');
    server = await startCliServer(['--demo', '--db', db]);
    admin = await signedInAt(db, ADMIN);
    const answer = await fetch(new URL('/api/v1/surveys/usability-2025/results', server.url), {
      headers: { cookie: admin.cookie },
    });
    expect(answer.status).toBe(200);
    demo = ((await answer.json()) as { overall: { demo: number } }).overall.demo;
    expect(demo).toBeGreaterThan(0);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function open(path: string, width = 1280): Promise<{ page: Page; errors: string[] }> {
    const page = await newPage({ viewport: { width, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(new URL(path, server.url).toString());
    return { page, errors };
  }

  it('shows a closed campaign’s results, marked as demo data, with small groups withheld', async () => {
    const { page, errors } = await open('/surveys/usability-2025?compare=usability-2025');
    await page.getByRole('heading', { level: 1, name: 'IT usability survey 2025' }).waitFor();
    expect(await page.title()).toBe('Survey usability-2025 – Vantage');
    await expect(page.getByTestId('survey-demo').textContent()).resolves.toContain(
      `These results include ${demo.toLocaleString('en-GB')} generated demo responses.`,
    );

    // The usability chart, and its table alternative listing the EPR with its SUS grade.
    const usability = page.locator('section[aria-labelledby="survey-usability"]');
    await expect(usability.locator('canvas').count()).resolves.toBe(1);
    const epr = (await usability.locator('tr#usability-epr').textContent()) ?? '';
    expect(epr).toContain('SUS');
    expect(epr).toMatch(/Grade [A-F][+-]?/);
    expect(epr).toMatch(/95% interval \d+\.\d to \d+\.\d/);
    const email = (await usability.locator('tr#usability-email').textContent()) ?? '';
    expect(email).toContain('UMUX-Lite');
    expect(email).toMatch(/SUS equivalent \d+\.\d/);
    await expect(usability.locator('table caption').textContent()).resolves.toContain(
      'includes generated demo responses',
    );

    // The demo has a site with fewer than 11 responses: withheld with its reason, never a number.
    const sites = page.locator('section[aria-labelledby="survey-site"] tbody tr');
    expect(await sites.count()).toBeGreaterThan(1);
    const withheldSites = page.locator('section[aria-labelledby="survey-site"] tbody tr', {
      hasText: 'Responses Withheld: fewer responses than the minimum group size',
    });
    expect(await withheldSites.count()).toBeGreaterThanOrEqual(1);
    for (const text of await withheldSites.allTextContents()) expect(text).not.toMatch(/\d/);
    const stAnnes = (await page.locator('tr#site-st-annes').textContent()) ?? '';
    expect(stAnnes).toContain("St Anne's");
    expect(stAnnes).toMatch(/Responses \d+/);

    await expect(
      page.locator('section[aria-labelledby="survey-organisation"] tbody tr').count(),
    ).resolves.toBeGreaterThan(1);
    await expect(
      page.locator('section[aria-labelledby="survey-staff-group"]').textContent(),
    ).resolves.toContain('Nursing and midwifery');

    // Staff views of IT: a diverging chart and its table of net scores.
    const infra = page.locator('section[aria-labelledby="survey-infra"]');
    await expect(infra.locator('canvas').count()).resolves.toBe(1);
    const fixed = (await infra.locator('tbody tr', { hasText: 'fixed promptly' }).textContent()) ?? '';
    expect(fixed).toMatch(/Net agreement [+-]?\d+\.\d/);

    // How people answered: the EPR's ten SUS items in one chart, with each answer's count and share
    // of n in its table, or "Withheld" where a small count is withheld.
    const answers = page.locator('section[aria-labelledby="survey-answers"]');
    const susFigure = answers.locator('figure', { has: page.locator('tr#answers-epr-sus1') });
    await expect(susFigure.locator('canvas').count()).resolves.toBe(1);
    await expect(susFigure.locator('canvas').getAttribute('aria-label')).resolves.toContain('10 statements');
    await expect(susFigure.locator('tbody tr').count()).resolves.toBe(10);
    for (const row of await susFigure.locator('tbody tr').allTextContents()) {
      const n = Number(/Responses ([\d,]+)/.exec(row)?.[1]?.replaceAll(',', ''));
      expect(n).toBeGreaterThanOrEqual(11);
      const shown = [...row.matchAll(/([\d,]+) \(\d+\.\d%\)/g)].map((m) => Number(m[1]?.replaceAll(',', '')));
      const withheldOptions = row.match(/Withheld/g)?.length ?? 0;
      expect(shown.length + withheldOptions).toBe(5);
      expect(shown.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(n);
    }
    // One group per system, then the site's questions, where opt-outs are answers like the others.
    expect(await answers.locator('h3').count()).toBeGreaterThan(1);
    await expect(answers.locator('h3').last().textContent()).resolves.toBe('IT at your site');
    await expect(answers.locator('tr#answers-infra-timeToRecord').textContent()).resolves.toMatch(
      /I don't know ([\d,]+ \(\d+\.\d%\)|Withheld)/,
    );

    // A campaign compared with itself: no difference, so no clear change anywhere.
    const compare = page.locator('section[aria-labelledby="survey-compare"]');
    const byScore = compare.locator('figure', { has: page.locator('tr#compare-epr') });
    await expect(byScore.locator('canvas').count()).resolves.toBe(1);
    const eprCompared = (await compare.locator('tr#compare-epr').textContent()) ?? '';
    expect(eprCompared).toContain('Difference 0.0');
    expect(eprCompared).toContain('no clear change');
    await expect(compare.textContent()).resolves.not.toMatch(/Change changed/);
    // …and item by item: each SUS item's mean both years, with n, and no change.
    const byItem = compare.locator('figure', { has: page.locator('tr#compare-epr-sus1') });
    await expect(byItem.locator('canvas').count()).resolves.toBe(1);
    await expect(byItem.locator('tbody tr').count()).resolves.toBe(10);
    const sus1 = (await byItem.locator('tr#compare-epr-sus1').textContent()) ?? '';
    expect(sus1).toMatch(/^Statement I think that I would like to use .+ frequently\./);
    expect(sus1).toMatch(/usability-2025 \d\.\d \(n\u00a0=\u00a0[\d,]+\)/);
    expect(sus1).toContain('Difference 0.0');
    expect(sus1).toContain('Change No clear change');
    await expect(compare.textContent()).resolves.not.toMatch(/Change Changed/);

    expect(errors).toEqual([]);
    // Charts are redrawn when the window is resized: make it the page's height before the picture.
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: 1280, height });
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(artifactsDir, 'survey-results.png'), fullPage: true });
    await page.close();
  });

  it('says when a campaign’s results will be published, rather than showing them early', async () => {
    const { page, errors } = await open('/surveys/usability-2026');
    await page.getByRole('heading', { level: 1, name: 'IT usability survey 2026' }).waitFor();
    await expect(page.getByTestId('survey-not-published').textContent()).resolves.toBe(
      'Results of IT usability survey 2026 are published when it closes, at the end of 31 December 2026.',
    );
    await expect(page.getByTestId('survey-responses-so-far').textContent()).resolves.toMatch(
      /^[\d,]+ responses? so far\.$/,
    );
    await expect(page.locator('table').count()).resolves.toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('lists the comments under the sites they came from, and says how many sites are withheld', async () => {
    const answer = await fetch(new URL('/api/v1/surveys/usability-2025/comments', server.url), {
      headers: { cookie: admin.cookie },
    });
    expect(answer.status).toBe(200);
    const comments = (await answer.json()) as {
      minGroupSize: number;
      items: { key: string; comments: string[] }[];
      withheld: number;
    };
    const estate = (await (
      await fetch(new URL('/api/v1/estate', server.url), { headers: { cookie: admin.cookie } })
    ).json()) as {
      sites: { id: string; name: string }[];
    };
    const siteName = new Map(estate.sites.map((site) => [site.id, site.name]));

    const { page, errors } = await open('/surveys/usability-2025');
    const section = page.locator('section[aria-labelledby="survey-comments"]');
    await section.waitFor();
    await expect(section.getByTestId('comments-rule').textContent()).resolves.toContain(
      `only for sites with at least ${comments.minGroupSize} responses`,
    );
    const withSome = comments.items.filter((site) => site.comments.length > 0);
    expect(withSome.length).toBeGreaterThan(0);
    await expect(section.locator('details').count()).resolves.toBe(withSome.length);
    // Every comment is inside its site's details, none loose in the section.
    await expect(section.locator('li').count()).resolves.toBe(await section.locator('details li').count());
    for (const site of withSome) {
      const details = section.getByTestId(`comments-${site.key}`);
      const count = site.comments.length;
      await expect(details.locator('summary').textContent()).resolves.toBe(
        `${count} ${count === 1 ? 'comment' : 'comments'} from ${siteName.get(site.key)}`,
      );
      await expect(details.locator('li').count()).resolves.toBe(count);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says when the campaign to compare with is not published yet', async () => {
    const { page } = await open('/surveys/usability-2025?compare=usability-2026');
    await page.getByTestId('compare-problem').waitFor();
    await expect(page.getByTestId('compare-problem').textContent()).resolves.toContain(
      'published when it closes',
    );
    await page.close();
  });

  it('fits a 320 px wide screen without sideways scrolling', async () => {
    const { page } = await open('/surveys/usability-2025?compare=usability-2025', 320);
    await page.getByTestId('survey-summary').waitFor();
    // Open every table alternative too: they must wrap as well.
    for (const summary of await page.locator('details summary').all()) await summary.click();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(320);
    await page.screenshot({ path: join(artifactsDir, 'survey-results-320.png'), fullPage: true });
    await page.close();
  });

  it('lists the campaigns from the header, with their state, and links to published results', async () => {
    const { page, errors } = await open('/');
    await page.getByRole('link', { name: 'Surveys' }).click();
    await page.getByRole('heading', { level: 1, name: 'Usability surveys' }).waitFor();
    const row = (title: string) => page.locator('tbody tr', { hasText: title });
    await expect(row('IT usability survey 2025').textContent()).resolves.toContain('Closed');
    await expect(row('IT usability survey 2026').textContent()).resolves.toContain(
      'Published when it closes',
    );
    await expect(row('IT usability survey 2026').textContent()).resolves.toContain('Open');
    await row('IT usability survey 2025').getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: 'IT usability survey 2025' }).waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('has no WCAG 2.2 A or AA violations that axe-core finds on the surveys and results pages', async () => {
    const found: string[] = [];
    for (const path of [
      '/surveys',
      '/surveys/usability-2025?compare=usability-2025',
      '/surveys/usability-2026',
    ]) {
      const { page } = await open(path);
      await page.locator('h1').first().waitFor();
      await page.waitForLoadState('networkidle');
      for (const violation of await axeViolations(page)) found.push(`${path}: ${violation}`);
      await page.close();
    }
    expect(found).toEqual([]);
  });
});
