import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatConfigError, loadEstateFile } from '../../server/config/load.js';
import type { Estate } from '../../server/config/schema.js';
import { complianceOf, headlinesThereOrHere } from '../../server/principles/compliance.js';
import { type ComplianceThread, complianceThread } from '../../server/principles/compliance-thread.js';
import { parsePeriod } from '../../server/principles/period.js';
import { createReport } from '../../server/reports/issue.js';
import { reportPdf } from '../../server/reports/pdf.js';
import { reportHtml, reportNamesOf } from '../../server/reports/render/index.js';
import type { Report } from '../../server/reports/types.js';
import { SqliteStores } from '../../server/store/sqlite/stores.js';
import { generateEstateYaml } from './generate-estate.js';
import { LATENCY_PRINCIPLES, writeLatencyHistory } from './latency-history.js';
import { formatRow, stats, timed } from './measure.js';
import { CHECKS, HISTORY_DAYS, PRINCIPLES, PROFILES, SITES, writeTimeline } from './principles.bench.js';

/** Just after the year ends, so 2026 can be reported: the history reaches from November 2025 to 3 December 2026. */
const MADE_AT = Date.parse('2027-01-01T00:10:00Z');
const GOAL_MS = 10_000;
const PDF_GOAL_MS = 20_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/**
 * An annual report of the 10,000-check estate (500 sites), with the principles benchmark's history
 * (the busy profile: an outage and a silence a month at every check at every site) and its availability,
 * certificate and latency principles (latency from kept days and months): made and stored, this year
 * and the last (the trend) each read once.
 */
export async function benchReports(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vantage-reports-'));
  const store = SqliteStores.open(join(dir, 'reports.db'));
  let thread: ComplianceThread | undefined;
  try {
    const file = join(dir, 'estate.yaml');
    writeFileSync(file, generateEstateYaml({ sites: SITES, checks: CHECKS }));
    const loaded = loadEstateFile(file);
    if (!loaded.ok) throw new Error(loaded.errors.slice(0, 5).map(formatConfigError).join('\n'));
    const estate: Estate = { ...loaded.estate, principles: [...PRINCIPLES, ...LATENCY_PRINCIPLES] };
    await store.estate.syncEstate(estate, Date.parse('2026-12-03T12:00:00Z'));
    const profile = PROFILES[0];
    const rows = writeTimeline(store, profile);
    writeLatencyHistory(store, estate, Date.parse('2026-12-03T12:00:00Z'), HISTORY_DAYS);
    console.log(`${profile.name} history: ${rows.toLocaleString('en-GB')} stretches`);
    // As the server makes it: latency principles judged in the compliance thread, started as a
    // running server's is by its first question.
    thread = complianceThread(join(dir, 'reports.db'), (message) => {
      throw new Error(`the compliance thread failed: ${message}`);
    });
    const oneThread = { results: store.results, maintenance: store.maintenance };
    const sources = { ...oneThread, ...(thread ? { thread } : {}) };
    await complianceOf(estate, sources, LATENCY_PRINCIPLES, parsePeriod('1h', MADE_AT));
    // And by its overview, whose period before is judged whole there.
    await headlinesThereOrHere(estate, sources, estate.principles, parsePeriod('1h', MADE_AT));
    const samples: number[] = [];
    const oneThreadSamples: number[] = [];
    let last: { id: string; bytes: number } | undefined;
    for (let run = 0; run < RUNS; run++) {
      // Both ways in turn, so a shared machine's slower minutes weigh on each alike.
      for (const [how, into] of [
        [sources, samples],
        [oneThread, oneThreadSamples],
      ] as const) {
        // A fresh store of reports each time: a second issue of the same year is refused.
        store.db.exec('DELETE FROM reports');
        into.push(
          await timed(async () => {
            const row = await createReport(
              { estate, sources: how, store: store.reports },
              { kind: 'year', period: '2026', now: MADE_AT, createdBy: 'bench' },
            );
            last = { id: row.id, bytes: 0 };
          }),
        );
      }
      if (last) last.bytes = Buffer.byteLength((await store.reports.report(last.id))?.body ?? '');
    }
    console.log(
      formatRow({ label: '  annual report of 2026, made and stored', goalMs: GOAL_MS }, stats(samples)),
    );
    console.log(formatRow({ label: '    the same in one thread' }, stats(oneThreadSamples)));
    if (last) {
      const report = JSON.parse((await store.reports.report(last.id))?.body ?? '{}') as Report;
      console.log(
        `  its JSON: ${(last.bytes / 1024 ** 2).toFixed(1)} MB; ${report.content.principles.reduce((n, p) => n + p.items.length, 0).toLocaleString('en-GB')} items, ${(report.content.outagesTotal ?? 0).toLocaleString('en-GB')} outages (the ${report.content.outages.length} longest listed)`,
      );
      // The page and its PDF as /reports/:id and /reports/:id.pdf make them: the HTML, then Chromium.
      const names = reportNamesOf(estate);
      let html = '';
      const htmlMs = await timed(() => {
        html = reportHtml(report, names);
      });
      let pdf: Buffer | undefined;
      const pdfMs = await timed(async () => {
        pdf = await reportPdf(html, report, { timeoutMs: 300_000 });
      });
      console.log(formatRow({ label: '  its page (HTML)' }, stats([htmlMs])));
      console.log(
        formatRow(
          { label: '  its PDF, page and Chromium together', goalMs: PDF_GOAL_MS },
          stats([htmlMs + pdfMs]),
        ),
      );
      console.log(
        `  the page ${(Buffer.byteLength(html) / 1024 ** 2).toFixed(1)} MB, the PDF ${((pdf?.length ?? 0) / 1024 ** 2).toFixed(1)} MB`,
      );
    }
  } finally {
    await thread?.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
