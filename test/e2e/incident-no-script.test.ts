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

const SITES = ['st-annes', 'marsh-lane'] as const;
const estateYaml = `organisations:
  - { id: riverside, name: Riverside Hospitals NHS Trust, kind: acute }
  - { id: eastfield, name: Eastfield Mental Health NHS Trust, kind: mental-health }
sites:
  - { id: st-annes, name: St Anne's Hospital, host: riverside }
  - { id: marsh-lane, name: Marsh Lane Centre, host: eastfield }
systems:
  - { id: epr, name: Electronic patient record, owner: riverside }
checks:
  - { id: epr-login, system: epr, type: http, target: "http://127.0.0.1:9/", every: 1h, timeout: 2s, from: [st-annes, marsh-lane] }
channels:
  - { id: riverside-hook, organisation: riverside, type: webhook, url: "http://127.0.0.1:9/hook" }
`;

/**
 * The incident page in a browser that runs no scripts (Chromium with JavaScript off): it says whose
 * the incident is and since when, and its Acknowledge button is a plain form with the session's CSRF
 * value, answered with a 303 back to the page, for those the API lets acknowledge it.
 */
browserSuite('acknowledging an incident without JavaScript (Chromium)', () => {
  let server: ServerProcess;
  let browser: Browser;
  let admin: SignedIn;
  let riverside: SignedIn;
  let eastfield: SignedIn;
  let id = '';
  const dir = mkdtempSync(join(tmpdir(), 'vantage-no-script-'));

  beforeAll(async () => {
    const { config, db, tokens } = await agentEstateIn(dir, estateYaml, SITES);
    server = await startCliServer(['--config', config, '--db', db]);
    admin = await signedInAt(db, ADMIN);
    riverside = await signedInAt(db, {
      email: 'it@riverside.example.org',
      role: 'partner',
      organisations: ['riverside'],
    });
    eastfield = await signedInAt(db, {
      email: 'it@eastfield.example.org',
      role: 'partner',
      organisations: ['eastfield'],
    });
    // The record fails at both sites for three minutes, through the agents' own API: its owner's incident.
    const base = Date.now() - 10 * 60_000;
    for (let minute = 0; minute < 3; minute++)
      for (const site of SITES) {
        const answer = await fetch(new URL('/api/v1/agent/results', server.url), {
          method: 'POST',
          headers: { authorization: `Bearer ${tokens[site]}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            results: [
              {
                id: `${site}-${minute}`,
                checkId: 'epr-login',
                startedAt: new Date(base + minute * 60_000).toISOString(),
                ok: false,
                state: 'fail',
                phases: {
                  dnsMs: 1,
                  connectMs: null,
                  tlsMs: null,
                  ttfbMs: null,
                  transferMs: null,
                  totalMs: 2,
                },
                error: { class: 'refused', message: 'connection refused' },
              },
            ],
          }),
        });
        expect(answer.status).toBe(200);
      }
    const headers = await server.adminHeaders();
    const open = await until(
      async () =>
        (await (await fetch(new URL('/api/v1/alerts', server.url), { headers })).json()) as {
          items: { id: string; responsible: { organisation: string } }[];
        },
      (answer) => answer.items.some((i) => i.responsible.organisation === 'riverside'),
    );
    id = open.items.find((i) => i.responsible.organisation === 'riverside')?.id ?? '';
    expect(id).not.toBe('');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const noScript = (who: SignedIn, width = 1280): Promise<Page> =>
    pageAs(browser, server.url, who, { javaScriptEnabled: false, viewport: { width, height: 900 } });

  /**
   * axe's rules over what a browser without scripts shows (axe itself needs scripts): the page as served,
   * its `noscript` unwrapped and its scripts left out, in a browser that runs axe.
   */
  async function noScriptViolations(who: SignedIn, path: string): Promise<string[]> {
    const page = await pageAs(browser, server.url, who);
    const url = new URL(path, server.url).toString();
    await page.route(url, async (route) => {
      const response = await route.fetch();
      const body = (await response.text())
        .replace(/<\/?noscript>/g, '')
        .replace(/<script\b[^>]*><\/script>/g, '');
      await route.fulfill({ response, body });
    });
    await page.goto(url);
    await expect(page.getByTestId('incident-noscript').count()).resolves.toBe(1);
    const found = await axeViolations(page);
    await page.close();
    return found;
  }

  const acknowledgeButton = (page: Page) => page.getByRole('button', { name: 'Acknowledge' });

  it('shows the incident to a partner of another organisation, with no button; a post of theirs is refused', async () => {
    const page = await noScript(eastfield);
    const answer = await page.goto(new URL(`/alerts/${id}`, server.url).toString());
    expect(answer?.status()).toBe(200);
    const shown = page.getByTestId('incident-noscript');
    await expect(shown.locator('h1').textContent()).resolves.toMatch(/Electronic patient record/);
    await expect(shown.textContent()).resolves.toMatch(/StateOpen/);
    await expect(shown.textContent()).resolves.toMatch(
      /ResponsibleRiverside Hospitals NHS Trust, the owner of Electronic patient record/,
    );
    await expect(acknowledgeButton(page).count()).resolves.toBe(0);
    // Their own session's CSRF value, posted as the form would: the API's rule refuses them.
    const posted = await fetch(new URL(`/api/v1/alerts/${id}/ack`, server.url), {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: eastfield.cookie,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'text/html',
      },
      body: new URLSearchParams({ _csrf: eastfield.csrf }).toString(),
    });
    expect(posted.status).toBe(403);
    await page.close();
  });

  it('lets a partner of the organisation responsible acknowledge with the form, and says so', async () => {
    // An admin's page opened before: it offers the button too, pressed after the partner's below.
    const late = await noScript(admin);
    await late.goto(new URL(`/alerts/${id}`, server.url).toString());
    await expect(acknowledgeButton(late).count()).resolves.toBe(1);

    const page = await noScript(riverside);
    await page.goto(new URL(`/alerts/${id}`, server.url).toString());
    await expect(acknowledgeButton(page).count()).resolves.toBe(1);
    // Without scripts the page says nothing is loading.
    await expect(page.locator('#loading').count()).resolves.toBe(0);
    expect(await noScriptViolations(riverside, `/alerts/${id}`)).toEqual([]);
    await page.screenshot({ path: join(artifactsDir, 'incident-no-script.png'), fullPage: true });
    const [landed] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).searchParams.has('ack')),
      acknowledgeButton(page).click(),
    ]);
    // The form was posted to the API, which answered with a 303 back to the page.
    const posted = landed.request().redirectedFrom();
    expect(posted?.method()).toBe('POST');
    expect(new URL(posted?.url() ?? '').pathname).toBe(`/api/v1/alerts/${id}/ack`);
    expect((await posted?.response())?.status()).toBe(303);
    await page.waitForURL(/\?ack=ok$/);
    expect(new URL(page.url()).pathname).toBe(`/alerts/${id}`);
    await expect(page.getByTestId('ack-outcome').textContent()).resolves.toMatch(
      /You acknowledged this alert/,
    );
    await expect(page.getByTestId('incident-noscript').textContent()).resolves.toMatch(
      /StateAcknowledged by it@riverside\.example\.org/,
    );
    await expect(acknowledgeButton(page).count()).resolves.toBe(0);
    expect(await noScriptViolations(riverside, `/alerts/${id}?ack=ok`)).toEqual([]);
    await page.screenshot({
      path: join(artifactsDir, 'incident-no-script-acknowledged.png'),
      fullPage: true,
    });
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(artifactsDir, 'incident-no-script-390.png'), fullPage: true });
    await page.close();

    const headers = await server.adminHeaders();
    const incident = (await (
      await fetch(new URL(`/api/v1/alerts/${id}`, server.url), { headers })
    ).json()) as {
      state: string;
      acknowledgedBy: string;
      timeline: { kind: string; detail: { via?: string } }[];
    };
    expect(incident).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'it@riverside.example.org' });
    expect(incident.timeline.filter((e) => e.kind === 'acknowledged')).toHaveLength(1);

    // The admin's page was opened before: pressing its button now says someone was first.
    await acknowledgeButton(late).click();
    await late.waitForURL(/\?ack=already$/);
    await expect(late.getByTestId('ack-outcome').textContent()).resolves.toMatch(
      /Someone else acknowledged this alert first/,
    );
    await late.close();
  });

  it('sends someone not signed in to sign in, and says so for an alert that does not exist', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const anonymous = await context.newPage();
    await anonymous.goto(new URL(`/alerts/${id}`, server.url).toString());
    expect(new URL(anonymous.url()).pathname).toBe('/sign-in');
    await context.close();

    const page = await noScript(admin);
    const answer = await page.goto(new URL('/alerts/424242', server.url).toString());
    expect(answer?.status()).toBe(404);
    await expect(page.getByTestId('noscript-missing').textContent()).resolves.toBe(
      'There is no alert 424242.',
    );
    await page.close();
  });

  it('leaves the page to the dashboard when scripts run', async () => {
    const page = await pageAs(browser, server.url, admin);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(new URL(`/alerts/${id}`, server.url).toString());
    await page.getByTestId('updated').waitFor();
    await expect(page.getByTestId('incident-noscript').count()).resolves.toBe(0);
    await expect(page.locator('h1').first().textContent()).resolves.toMatch(/Electronic patient record/);
    expect(errors).toEqual([]);
    await page.close();
  });
});
