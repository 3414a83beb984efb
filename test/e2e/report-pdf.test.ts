import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChromiumUnavailable, reportPdf } from '../../server/reports/pdf.js';
import { reportHtml } from '../../server/reports/render/index.js';
import { browserSuite } from '../helpers/browser.js';
import { monthReport, reportNames, yearReport } from '../helpers/report-fixture.js';
import { useTmpDir } from '../helpers/tmp.js';

const SHOTS = '/tmp/shots-report';

/** The Chromium processes this test process has started and not yet ended. */
function ourChromiums(): string[] {
  const children = execFileSync('ps', ['--ppid', String(process.pid), '-o', 'pid=,comm='], {
    encoding: 'utf8',
  });
  return children.split('\n').filter((line) => /chrom/i.test(line));
}
const tmp = useTmpDir();

/** The PDF's text as poppler reads it, one page or all, with runs of white space made one space. */
function pdfText(file: string, page?: number): string {
  const range = page ? ['-f', String(page), '-l', String(page)] : [];
  return execFileSync('pdftotext', [...range, file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
}

browserSuite('the report as a PDF', () => {
  const month = monthReport();
  let dir: string;
  let file: string;
  let pdf: Buffer;

  beforeAll(async () => {
    // Reading the text back needs poppler's pdftotext (apt-get install poppler-utils).
    expect(existsSync('/usr/bin/pdftotext') || existsSync('/usr/local/bin/pdftotext')).toBe(true);
    pdf = await reportPdf(reportHtml(month, reportNames), month, { env: {} });
    dir = mkdtempSync(join(tmpdir(), 'vantage-report-pdf-'));
    file = join(dir, 'month.pdf');
    writeFileSync(file, pdf);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is a PDF whose first page is the board summary, with its figures', () => {
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(ourChromiums()).toEqual([]);
    const first = pdfText(file, 1);
    expect(first).toContain('Vantage report: November 2026');
    expect(first).toContain(
      'In November 2026, of 5 principles, 2 were met, 1 was at risk, 1 was breached and 1 was not evaluated.',
    );
    expect(first).toContain('Available in core hours Breached 99.412% 99.953% (met) worse by 0.541 points');
    expect(first).toContain('The three biggest gaps');
    expect(first).toContain(
      "Eastfield Mental Health NHS Trust answers for 198 min of it as the site's host.",
    );
    // The rest of the report starts on the next page.
    expect(first).not.toContain('How this report was made');
    expect(pdfText(file, 2)).toContain('How this report was made');
  });

  it('numbers every page and names the report and its hash at the foot of each', () => {
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
    expect(pages).toBeGreaterThan(2);
    for (let n = 1; n <= pages; n++) {
      const text = pdfText(file, n);
      expect(text).toContain(`page ${n} of ${pages}`);
      expect(text).toContain(`Vantage report 2026-11 · ${month.hash}`);
    }
    mkdirSync(SHOTS, { recursive: true });
    execFileSync('pdftoppm', [
      '-f',
      '1',
      '-l',
      '1',
      '-r',
      '80',
      '-png',
      '-singlefile',
      file,
      join(SHOTS, 'pdf-page-1'),
    ]);
    copyFileSync(file, join(SHOTS, 'month.pdf'));
  });

  it("makes a year report with the survey and the reissue's changes", async () => {
    const year = yearReport();
    const yearFile = join(tmp(), 'year.pdf');
    writeFileSync(yearFile, await reportPdf(reportHtml(year, reportNames), year, { env: {} }));
    const text = pdfText(yearFile);
    expect(text).toContain('DEMO DATA');
    expect(text).toContain('What changed from v1');
    expect(text).toContain('Riverside EPR SUS 71.5 64.2 up 7.3');
  }, 60_000);
});

describe('the report as a PDF without Chromium', () => {
  it('says clearly that Chromium could not be started, where it looked, and what to do', async () => {
    const html = reportHtml(monthReport(), reportNames);
    const failed = await reportPdf(html, monthReport(), {
      env: { VANTAGE_CHROMIUM: join(tmp(), 'no-chromium-here') },
    }).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(ChromiumUnavailable);
    expect((failed as ChromiumUnavailable).code).toBe('unavailable');
    expect((failed as Error).message).toMatch(
      new RegExp(
        `^No PDF: Chromium could not be started from ${join(tmp(), 'no-chromium-here')} \\(.+\\)\\. Install Chromium, or set VANTAGE_CHROMIUM to its path`,
      ),
    );
  });

  it('gives up within its time, with the same typed error', async () => {
    const started = Date.now();
    const failed = await reportPdf(reportHtml(monthReport(), reportNames), monthReport(), {
      env: {},
      timeoutMs: 5,
    }).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(ChromiumUnavailable);
    expect(Date.now() - started).toBeLessThan(5_000);
    // Not left running: a browser whose start timed out is being ended as the error comes back.
    await expect.poll(ourChromiums, { timeout: 5_000 }).toEqual([]);
  });
});
