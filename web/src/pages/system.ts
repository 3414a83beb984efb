import type { EstateView } from '../../../server/estate/view.js';
import { getJson } from '../api.js';
import { chartFigure } from '../charts.js';
import { h } from '../dom.js';
import { ms, percent } from '../format.js';
import { responsiveTable } from '../table.js';
import type { Summary, SummaryResponse } from '../types.js';

type Row = Summary & { vantagePoint: string };

/**
 * A vantage point stands out when its p95 is over 1.5 times the others' median or its availability
 * is under 99%: one such site points at that site's host, most of them at the system's owner.
 */
function standsOut(row: Row, others: Row[]): boolean {
  const p95s = others.map((o) => o.phases.totalMs.p95 ?? 0).sort((a, b) => a - b);
  const median = p95s[Math.floor(p95s.length / 2)] ?? 0;
  const slow = median > 0 && (row.phases.totalMs.p95 ?? 0) > 1.5 * median;
  return slow || (row.availability !== null && row.availability < 0.99);
}

/** One system across every site it is checked from: slow everywhere, or at one site? */
export async function systemPage(main: HTMLElement, id: string): Promise<string> {
  const estate = await getJson<EstateView>('/api/v1/estate');
  const system = estate.systems.find((s) => s.id === id);
  if (!system) throw new Error(`no system with id '${id}'`);
  const orgName = new Map(estate.organisations.map((o) => [o.id, o.name]));
  const site = new Map(estate.sites.map((s) => [s.id, s]));
  const checks = estate.checks.filter((c) => c.system === id);
  const summaries = await Promise.all(
    checks.map((c) =>
      getJson<SummaryResponse>(`/api/v1/checks/${encodeURIComponent(c.id)}/summary?window=24h`),
    ),
  );
  const owner = orgName.get(system.owner) ?? system.owner;
  const place = (vp: string) => (vp === 'server' ? 'Vantage server' : (site.get(vp)?.name ?? vp));
  const host = (vp: string) => {
    const hostId = site.get(vp)?.host;
    return hostId ? (orgName.get(hostId) ?? hostId) : '—';
  };

  const sections = checks.map((check, i) => {
    const rows = summaries[i]?.vantagePoints ?? [];
    const flagged = rows.filter((row) =>
      standsOut(
        row,
        rows.filter((o) => o !== row),
      ),
    );
    const verdict =
      rows.length === 0
        ? 'No results in the last 24 hours.'
        : flagged.length === 0
          ? 'Similar from every vantage point.'
          : flagged.length === 1 && rows.length > 2
            ? `Worse at ${place(flagged[0]?.vantagePoint ?? '')} only: a matter for its host, ${host(flagged[0]?.vantagePoint ?? '')}.`
            : flagged.length > rows.length / 2
              ? `Worse from most vantage points: a matter for the system's owner, ${owner}.`
              : `Worse at ${flagged.map((r) => place(r.vantagePoint)).join(', ')}.`;
    return h(
      'section',
      { 'aria-labelledby': `check-${check.id}` },
      h('h2', { id: `check-${check.id}` }, h('a', { href: `/checks/${check.id}` }, check.name ?? check.id)),
      h('p', { class: 'nhsuk-body', 'data-testid': `verdict-${check.id}` }, verdict),
      rows.length === 0
        ? ''
        : chartFigure(
            `${check.name ?? check.id}: 95th percentile of the total time by vantage point, last 24 hours`,
            {
              type: 'bar',
              data: {
                labels: rows.map((r) => place(r.vantagePoint)),
                datasets: [
                  {
                    label: 'p95 total (ms)',
                    data: rows.map((r) => r.phases.totalMs.p95),
                    backgroundColor: rows.map((r) => (flagged.includes(r) ? '#d5281b' : '#005eb8')),
                  },
                ],
              },
              options: { indexAxis: 'y', plugins: { legend: { display: false } } },
            },
            responsiveTable(
              'By vantage point, last 24 hours',
              ['Vantage point', 'Host organisation', 'Availability', 'p50', 'p95', 'Runs'],
              rows.map((r) => [
                place(r.vantagePoint),
                host(r.vantagePoint),
                percent(r.availability),
                ms(r.phases.totalMs.p50),
                ms(r.phases.totalMs.p95),
                r.runs,
              ]),
            ),
          ),
    );
  });

  main.replaceChildren(
    h('span', { class: 'nhsuk-caption-l' }, 'System'),
    h('h1', {}, system.name),
    h(
      'p',
      { class: 'nhsuk-lede-text' },
      `Owned by ${owner}${system.supplier ? `, supplied by ${system.supplier}` : ''}.`,
    ),
    checks.length === 0 ? h('p', { class: 'nhsuk-body' }, 'No checks of this system yet.') : '',
    ...sections,
  );
  return system.name;
}
