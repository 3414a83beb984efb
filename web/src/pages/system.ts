import { getJson } from '../api.js';
import { chartFigure } from '../charts.js';
import { h, listInWords, plural } from '../dom.js';
import { ms, percent } from '../format.js';
import { unknownReason } from '../labels.js';
import { stateTag } from '../state-tags.js';
import { responsiveTable } from '../table.js';
import type { EstateView, Summary, SummaryResponse, VantagePointState } from '../types.js';

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

interface Verdict {
  /** Vantage points with recent results, compared with each other. */
  rows: Row[];
  flagged: Row[];
  /** Names of the places with no recent result: left out of the comparison. */
  silent: string[];
}

/**
 * Slow everywhere, or at one site? Only vantage points with recent results are compared: silence is
 * not a failure, so a site whose agent went quiet never counts towards its host or the owner.
 */
function verdictText(
  { rows, flagged, silent }: Verdict,
  place: (vp: string) => string,
  host: (vp: string) => string,
  owner: string,
): string {
  const compared =
    rows.length === 0
      ? silent.length === 0
        ? 'No results in the last 24 hours.'
        : 'No recent results to compare.'
      : flagged.length === 0
        ? `Similar from every vantage point${silent.length > 0 ? ' with recent results' : ''}.`
        : flagged.length === 1 && rows.length > 2
          ? `Worse at ${place(flagged[0]?.vantagePoint ?? '')} only: a matter for its host, ${host(flagged[0]?.vantagePoint ?? '')}.`
          : flagged.length > rows.length / 2
            ? `Worse from most vantage points: a matter for the system's owner, ${owner}.`
            : `Worse at ${flagged.map((r) => place(r.vantagePoint)).join(', ')}.`;
  if (silent.length === 0) return compared;
  const what = silent.includes(place('server')) ? 'vantage point' : 'site';
  return `${compared} No recent results from ${plural(silent.length, what)} (${listInWords(silent)}): ${silent.length === 1 ? 'its state is' : 'their states are'} unknown, and left out of this comparison.`;
}

/** The state now, in words; unknown with its reason. */
function stateNow(vp: VantagePointState | undefined): Node | string {
  if (!vp) return '—';
  return vp.state === 'unknown'
    ? h('span', {}, stateTag('unknown'), ' ', unknownReason(vp))
    : stateTag(vp.state);
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
    const states = new Map((summaries[i]?.states ?? []).map((vp) => [vp.vantagePoint, vp]));
    const isSilent = (vp: string) => states.get(vp)?.state === 'unknown';
    const all = summaries[i]?.vantagePoints ?? [];
    const rows = all.filter((row) => !isSilent(row.vantagePoint));
    const flagged = rows.filter((row) =>
      standsOut(
        row,
        rows.filter((o) => o !== row),
      ),
    );
    const silent = [...states.values()].filter((vp) => vp.state === 'unknown').map((vp) => vp.vantagePoint);
    const verdict = verdictText({ rows, flagged, silent: silent.map(place) }, place, host, owner);
    // Expected places with no runs in the window are listed too, so none is missing from the table.
    const unseen = silent.filter((vp) => !all.some((row) => row.vantagePoint === vp));
    const table = responsiveTable(
      'By vantage point, last 24 hours',
      ['Vantage point', 'Host organisation', 'Now', 'Availability', 'p50', 'p95', 'Runs'],
      [
        ...all.map((r) => [
          place(r.vantagePoint),
          host(r.vantagePoint),
          stateNow(states.get(r.vantagePoint)),
          percent(r.availability),
          ms(r.phases.totalMs.p50),
          ms(r.phases.totalMs.p95),
          r.runs,
        ]),
        ...unseen.map((vp) => [place(vp), host(vp), stateNow(states.get(vp)), 'no data', '—', '—', 0]),
      ],
    );
    const title = `${check.name ?? check.id}: 95th percentile of the total time by vantage point, last 24 hours`;
    // With no runs anywhere there is nothing to chart, but the silent places still get their rows.
    const figures =
      all.length === 0
        ? unseen.length > 0
          ? table
          : ''
        : chartFigure(
            title,
            {
              type: 'bar',
              data: {
                labels: all.map(
                  (r) => `${place(r.vantagePoint)}${isSilent(r.vantagePoint) ? ' (no recent results)' : ''}`,
                ),
                datasets: [
                  {
                    label: 'p95 total (ms)',
                    data: all.map((r) => r.phases.totalMs.p95),
                    backgroundColor: all.map((r) =>
                      isSilent(r.vantagePoint) ? '#768692' : flagged.includes(r) ? '#d5281b' : '#005eb8',
                    ),
                  },
                ],
              },
              options: { indexAxis: 'y', plugins: { legend: { display: false } } },
            },
            table,
          );
    return h(
      'section',
      { 'aria-labelledby': `check-${check.id}` },
      h('h2', { id: `check-${check.id}` }, h('a', { href: `/checks/${check.id}` }, check.name ?? check.id)),
      h('p', { class: 'nhsuk-body', 'data-testid': `verdict-${check.id}` }, verdict),
      figures,
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
