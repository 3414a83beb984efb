import type { Browser } from 'playwright-core';
import { escapeHtml } from './render/html.js';
import { PAGE_MARGIN } from './render/style.js';
import type { Report } from './types.js';

const DEFAULT_CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * No PDF can be made: Chromium is not installed where Vantage looks, would not start, or did not finish
 * in time. The message says which, and what to do; the HTML report is unaffected.
 */
export class ChromiumUnavailable extends Error {
  readonly code = 'unavailable' as const;
}

export interface PdfOptions {
  /** Where `VANTAGE_CHROMIUM` is read from (the path to Chromium). */
  env?: Record<string, string | undefined>;
  /** The most the whole PDF may take, start to finish. */
  timeoutMs?: number;
}

/**
 * The footer Chromium draws on every page: the page number (CSS cannot place it in a margin box in
 * Chromium) and which report this is, so a loose page can be traced. Templates take inline style only.
 */
function footerTemplate(report: Pick<Report, 'id' | 'hash'>): string {
  return `<div style="font-size:7pt;font-family:'Liberation Sans',Arial,sans-serif;color:#4c6272;width:100%;margin:0 ${PAGE_MARGIN.right} 0 ${PAGE_MARGIN.left};display:flex;justify-content:space-between;gap:8mm"><span>Vantage report ${escapeHtml(report.id)} · ${escapeHtml(report.hash)}</span><span style="white-space:nowrap">page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`;
}

const firstLine = (error: unknown) =>
  (error instanceof Error ? error.message : String(error))
    .split('\n')
    .find((l) => l.trim() !== '')
    ?.trim() ?? '';

/** A report's HTML as an A4 PDF, by headless Chromium: one browser per call, always closed. */
export async function reportPdf(
  html: string,
  report: Pick<Report, 'id' | 'hash'>,
  options: PdfOptions = {},
): Promise<Buffer> {
  const env = options.env ?? process.env;
  const executablePath = env.VANTAGE_CHROMIUM || DEFAULT_CHROMIUM;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let browser: Browser;
  try {
    // Loaded with the first PDF: a third of a second and some megabytes a server need not spend at start.
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath, args: FLAGS, timeout: timeoutMs });
  } catch (error) {
    throw new ChromiumUnavailable(
      `No PDF: Chromium could not be started from ${executablePath} (${firstLine(error)}). Install Chromium, or set VANTAGE_CHROMIUM to its path; the HTML report is there all the same and prints from any browser.`,
    );
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    const work = (async () => {
      // The report has no script and fetches nothing: it is shown offline with scripts off.
      const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
      const page = await context.newPage();
      await page.setContent(html, { waitUntil: 'load', timeout: timeoutMs });
      return page.pdf({
        format: 'A4',
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate: '<div></div>',
        footerTemplate: footerTemplate(report),
        margin: { ...PAGE_MARGIN },
      });
    })();
    // If the deadline wins, closing the browser below makes the work fail: that failure is expected.
    work.catch(() => {});
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(new ChromiumUnavailable(`No PDF: Chromium did not finish it within ${timeoutMs / 1000} s.`)),
        timeoutMs,
      );
    });
    return await Promise.race([work, deadline]);
  } catch (error) {
    if (error instanceof ChromiumUnavailable) throw error;
    throw new ChromiumUnavailable(`No PDF: Chromium failed while making it (${firstLine(error)}).`);
  } finally {
    clearTimeout(timer);
    await browser.close().catch(() => {});
  }
}
