import { describe, expect, it } from 'vitest';
import { figureText, periodWords, targetText, trendWords } from '../../server/reports/render/format.js';
import { escapeHtml, html } from '../../server/reports/render/html.js';
import { reportHtml, reportNamesOf } from '../../server/reports/render/index.js';
import { HOSTILE_TITLE, monthReport, reportNames } from '../helpers/report-fixture.js';

describe('the report as HTML text', () => {
  it('escapes every interpolated value, and only those', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p>${'a & "b"'} ${inner} ${['<x>', 3]} ${null}${false}</p>`.text).toBe(
      '<p>a &amp; &quot;b&quot; <b>&lt;i&gt;</b> &lt;x&gt;3 </p>',
    );
    expect(escapeHtml(`'`)).toBe('&#39;');
  });

  it('is one document with no script, nothing fetched and the estate text escaped', () => {
    const page = reportHtml(monthReport(), reportNames);
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).not.toMatch(/<script|<link|<img|src=|@import|url\(/i);
    expect(page).not.toContain(HOSTILE_TITLE);
    expect(page).toContain(
      'Core switch &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;tidy&quot;',
    );
    expect(page).toContain('Poplar Walk &lt;Clinic&gt;');
    // Down time past what the target allows is said as such, not as a negative amount left.
    expect(page).toContain('<li>budget overspent by 210.8 min</li>');
    expect(page).toContain('<li>budget left 37.2 min</li>');
  });

  it('shows the 50 worst rows of a long table and says where every one is', () => {
    const report = monthReport();
    const principle = report.content.principles[0];
    if (!principle?.items[0]) throw new Error('the fixture has a principle with items');
    const template = principle.items[0];
    // 120 items, three of them breached and scattered among the met ones.
    principle.items = Array.from({ length: 120 }, (_, k) => ({
      ...template,
      site: `site-${String(k).padStart(3, '0')}`,
      status: k % 40 === 7 ? ('breached' as const) : ('met' as const),
      value: k % 40 === 7 ? 90 + k / 100 : 99.99,
    }));
    const page = reportHtml(report, reportNames);
    expect(page).toContain(
      'The 50 worst of 120 sites and systems are shown; every one is in the report&#39;s CSV (the items table) and its JSON.',
    );
    const shown = [...page.matchAll(/site-(\d{3})/g)].map((m) => m[1]);
    expect(new Set(shown).size).toBe(50);
    // The breached ones first, lowest first.
    expect([...new Set(shown)].slice(0, 3)).toEqual(['007', '047', '087']);
  });

  it('says who answers for a survey gap without minutes, which it has none of', () => {
    const report = monthReport();
    const [first] = report.content.summary.gaps;
    if (!first) throw new Error('the fixture has gaps');
    report.content.summary.gaps = [{ ...first, unit: '%', value: 65.4, target: 90, minutes: 0 }];
    const page = reportHtml(report, reportNames);
    expect(page).toContain('answers for it as the site&#39;s host.');
    expect(page).not.toContain('0 min of it');
  });

  it('names a quarter and compares it with the quarter before', () => {
    const quarter = { ...monthReport(), id: '2026-Q4', kind: 'quarter' as const, period: '2026-Q4' };
    const page = reportHtml(quarter, reportNames);
    expect(page).toContain('<h1>Vantage report: October to December 2026 (2026-Q4)</h1>');
    expect(page).toContain('<h3>Against the quarter before</h3>');
    expect(page).toContain('<th scope="col">The quarter before</th>');
    expect(page).not.toContain('survey-title');
  });

  it('shows names from the estate, and an id the estate no longer has as it is', () => {
    const names = reportNamesOf({
      organisations: [{ id: 'eastfield', name: 'Eastfield Mental Health NHS Trust' }],
      sites: [{ id: 'marsh-lane', name: 'Marsh Lane Centre' }],
      systems: [],
    });
    const page = reportHtml(monthReport(), names);
    expect(page).toContain('<strong>Available in core hours, Marsh Lane Centre × epr</strong>');
    expect(page).toContain('Eastfield Mental Health NHS Trust answers for 198 min');
  });

  it('says when a long list of outages keeps only the longest', () => {
    const report = monthReport();
    const kept = { ...report, content: { ...report.content, outagesTotal: 1234 } };
    expect(reportHtml(kept, reportNames)).toContain(
      '<caption>The 3 longest of the 1,234 outages in the period</caption>',
    );
    expect(reportHtml(report, reportNames)).toContain(
      '<caption>Outages in the period, longest first</caption>',
    );
  });

  it('words the figures as staff read them', () => {
    expect(figureText('%', 99.4123)).toBe('99.412%');
    expect(figureText('ms', 2839.6)).toBe('2,840 ms');
    expect(figureText('days', 41.9)).toBe('41 days');
    expect(figureText('score', 71.54)).toBe('score 71.5');
    expect(figureText('%', null)).toBe('no figure');
    expect(targetText('ms', 3000)).toBe('≤ 3,000 ms');
    expect(targetText('%', 99.9)).toBe('≥ 99.9%');
    expect(trendWords('%', 99.412, 99.953)).toBe('worse by 0.541 points');
    expect(trendWords('ms', 2210, 2840)).toBe('better by 630 ms');
    expect(trendWords('score', 71.5, 64.2)).toBe('better by 7.3');
    expect(trendWords('%', 99.9, 99.9)).toBe('unchanged');
    expect(trendWords('%', 99.41201, 99.41204)).toBe('unchanged');
    expect(trendWords('%', 99.9, null)).toBe('no figure before');
    expect(periodWords('month', '2026-11')).toBe('November 2026');
    expect(periodWords('quarter', '2026-Q4')).toBe('October to December 2026 (2026-Q4)');
    expect(periodWords('year', '2026')).toBe('2026');
  });
});
