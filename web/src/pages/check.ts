import { getJson } from '../api.js';
import { chartFigure, PHASE_COLOURS, PHASE_NAMES } from '../charts.js';
import { availabilityChart, latencyChart } from '../check-charts.js';
import { h } from '../dom.js';
import { estateNames } from '../estate-names.js';
import { londonTime, ms, percent } from '../format.js';
import { incidentSpans, incidentsQuery, incidentsSection } from '../incident-shading.js';
import { agentAnchor, schedule, unknownReason } from '../labels.js';
import { checkWindowsTable, shadedSpans } from '../maintenance-shading.js';
import { checkOutages } from '../outages.js';
import { rawLatencyChart, runsBetween } from '../raw-latency.js';
import { recentRuns, runStrip, stripKey } from '../run-strip.js';
import { simulatedNotice } from '../simulated.js';
import { stateTag } from '../state-tags.js';
import { responsiveTable } from '../table.js';
import type {
  CheckDetail,
  EstateView,
  IncidentView,
  MaintenanceResponse,
  OutagesResponse,
  Phases,
  ResultObject,
  SeriesResponse,
  SummaryResponse,
  VantagePointState,
} from '../types.js';

const STACKED: (keyof Phases)[] = ['dnsMs', 'connectMs', 'tlsMs', 'ttfbMs', 'transferMs'];
const WINDOWS = ['24h', '7d', '30d'] as const;
const WINDOW_MS: Record<string, number> = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 };
/** The charts reach back at most 30 London days: maintenance and outages are asked for over 31. */
const CHARTED_MS = 31 * 86_400_000;
/** Windows up to this long draw each run's latency; longer ones hourly or daily figures. */
const RAW_MS = 86_400_000;

/** One check: its state at each vantage point, its last run, its latency and availability over time. */
export async function checkPage(main: HTMLElement, id: string): Promise<string> {
  const window = new URLSearchParams(location.search).get('window') ?? '24h';
  const base = `/api/v1/checks/${encodeURIComponent(id)}`;
  const to = new Date();
  const span = `from=${new Date(to.getTime() - CHARTED_MS).toISOString()}&to=${to.toISOString()}`;
  const windowMs = WINDOW_MS[window] ?? 86_400_000;
  const range = { from: to.getTime() - windowMs, to: to.getTime() };
  const [estate, check, summary, series, daily, recent, maintenance, outages, raw, alerts] =
    await Promise.all([
      getJson<EstateView>('/api/v1/estate'),
      getJson<CheckDetail>(base),
      getJson<SummaryResponse>(`${base}/summary?window=${window}`),
      getJson<SeriesResponse>(`${base}/series?window=${window}`),
      getJson<SeriesResponse>(`${base}/series?window=365d`),
      getJson<{ items: ResultObject[] }>(`${base}/results?limit=500`),
      getJson<MaintenanceResponse>(`/api/v1/maintenance?check=${encodeURIComponent(id)}&${span}`),
      getJson<OutagesResponse>(`${base}/outages?${span}`),
      // A day is drawn run by run; longer windows from the hourly and daily figures.
      windowMs <= RAW_MS ? runsBetween(id, range.from, range.to) : Promise.resolve(null),
      getJson<{ items: IncidentView[] }>(incidentsQuery('check', id, to.getTime() - CHARTED_MS)),
    ]);
  const places = [
    ...new Set([
      ...check.vantagePoints.map((vp) => vp.vantagePoint),
      ...check.latest.map((l) => l.vantagePoint),
    ]),
  ];
  const strips = await Promise.all(places.map((vp) => recentRuns(id, vp, range.to)));
  const names = estateNames(estate);
  const charted = maintenance.items.filter((w) => w.occurrences.length > 0);
  const shaded = shadedSpans(charted);
  const incidents = alerts.items;
  const marked = incidentSpans(incidents, to.getTime());
  const title = check.name ?? check.id;
  const siteNames = new Map(estate.sites.map((s) => [s.id, s.name]));
  const place = (vp: string) => (vp === 'server' ? 'Vantage server' : (siteNames.get(vp) ?? vp));
  const last = [...check.latest].sort((a, b) => b.result.startedAt.localeCompare(a.result.startedAt))[0]
    ?.result;
  const failures = recent.items.filter((r) => r.state === 'fail').slice(0, 20);

  main.replaceChildren(
    h(
      'span',
      { class: 'nhsuk-caption-l' },
      h('a', { href: `/systems/${check.system}` }, check.system),
      ` · ${check.type}`,
    ),
    h('h1', {}, title),
    simulatedNotice(check.simulated),
    h(
      'p',
      { class: 'nhsuk-body' },
      h('code', { class: 'vantage-target' }, check.target),
      ` · ${schedule(check.schedule)} · timeout ${check.timeout}`,
    ),
    h(
      'nav',
      { 'aria-label': 'Time window', class: 'nhsuk-body' },
      'Window: ',
      ...WINDOWS.flatMap((w, i) => [
        i > 0 ? ' · ' : '',
        w === window ? h('strong', { 'aria-current': 'page' }, w) : h('a', { href: `?window=${w}` }, w),
      ]),
    ),
    h('h2', {}, 'Latest state at each vantage point'),
    latestTable(check, place),
    h('h2', {}, 'Recent runs'),
    h(
      'p',
      { class: 'nhsuk-body' },
      'Each bar is one run, newest on the right: the last 100 from each place, or all of the last hour when there were more.',
    ),
    stripKey(),
    ...places.map((vp, i) => runStrip(place(vp), strips[i] ?? [], vp)),
    h('h2', {}, `Over the last ${window}`),
    h(
      'p',
      { class: 'nhsuk-body', 'data-testid': 'check-summary' },
      `Availability ${percent(summary.overall.availability)} of ${summary.overall.runs} runs; ` +
        `p50 ${ms(summary.overall.phases.totalMs.p50)}, p95 ${ms(summary.overall.phases.totalMs.p95)}.`,
    ),
    unknownNote(summary, place),
    last?.phases ? waterfall(last, place(last.vantagePoint)) : '',
    charted.length > 0
      ? h(
          'p',
          { class: 'nhsuk-body', 'data-testid': 'maintenance-note' },
          'Hatched boxes on the charts below are maintenance windows: their time counts as maintenance, not as up or down. They are listed under Maintenance.',
        )
      : '',
    raw ? rawLatencyChart(raw, place, range, shaded, marked) : latencyChart(series, shaded, range, marked),
    availabilityChart(daily, shaded, marked),
    incidentsSection(incidents, names, 'this check', to.getTime(), true),
    h('h2', { id: 'maintenance' }, 'Maintenance'),
    charted.length === 0
      ? h('p', { class: 'nhsuk-body' }, 'No maintenance window covered this check in the last 30 days.')
      : checkWindowsTable('Maintenance windows in the charted range (last 30 days)', charted, names),
    maintenance.upcoming.items.length === 0
      ? h('p', { class: 'nhsuk-body' }, 'No maintenance window for this check in the next 7 days.')
      : checkWindowsTable(
          'Maintenance windows on now or coming up (next 7 days)',
          maintenance.upcoming.items,
          names,
        ),
    checkOutages(outages, names),
    h('h2', {}, 'Recent failures'),
    failures.length === 0
      ? h('p', { class: 'nhsuk-body' }, 'No failures among the latest runs.')
      : responsiveTable(
          'The newest failed runs and what went wrong',
          ['When', 'Vantage point', 'What went wrong'],
          failures.map((r) => [londonTime(r.startedAt), place(r.vantagePoint), r.error?.message ?? 'failed']),
        ),
  );
  return title;
}

/**
 * Every place the check should run from, with its newest run; one with no recent result is shown as
 * unknown with the reason, never as down. A site links to its agent.
 */
function latestTable(check: CheckDetail, place: (vp: string) => string): HTMLElement {
  const expected = new Set(check.vantagePoints.map((vp) => vp.vantagePoint));
  // Runs from places the check no longer runs from are still shown, after the expected ones.
  const former: VantagePointState[] = check.latest
    .filter((l) => !expected.has(l.vantagePoint))
    .map((l) => ({ vantagePoint: l.vantagePoint, state: 'ok', lastRunAt: l.result.startedAt }));
  const rows = [...check.vantagePoints, ...former];
  if (rows.length === 0) return h('p', { class: 'nhsuk-body' }, 'No results yet.');
  const resultAt = new Map(check.latest.map((l) => [l.vantagePoint, l.result]));
  return responsiveTable(
    'The newest run from each place the check runs',
    ['Vantage point', 'State', 'When', 'Total', 'Detail'],
    rows.map((vp) => {
      const result = resultAt.get(vp.vantagePoint);
      const unknown = vp.state === 'unknown';
      return [
        vp.vantagePoint === 'server'
          ? place(vp.vantagePoint)
          : h('a', { href: `/agents#${agentAnchor(vp.vantagePoint)}` }, place(vp.vantagePoint)),
        stateTag(unknown || !result ? vp.state : result.state),
        vp.lastRunAt ? londonTime(vp.lastRunAt) : '—',
        unknown ? '—' : ms(result?.phases?.totalMs),
        unknown
          ? unknownReason(vp)
          : (result?.error?.message ?? (result?.status ? `status ${result.status}` : '')),
      ];
    }),
  );
}

function waterfall(result: ResultObject, from: string): HTMLElement {
  const phases = result.phases as Phases;
  let start = 0;
  const bars = STACKED.flatMap((phase) => {
    const duration = phases[phase];
    if (duration === null) return [];
    const bar = { phase, from: start, to: start + duration };
    start += duration;
    return [bar];
  });
  return chartFigure(
    `Last run, ${londonTime(result.startedAt)} from ${from}: where the ${ms(phases.totalMs)} went`,
    {
      type: 'bar',
      data: {
        labels: bars.map((b) => PHASE_NAMES[b.phase] ?? b.phase),
        datasets: [
          {
            data: bars.map((b) => [b.from, b.to]),
            backgroundColor: bars.map((b) => PHASE_COLOURS[b.phase] ?? '#425563'),
          },
        ],
      },
      options: {
        indexAxis: 'y',
        plugins: { legend: { display: false } },
        scales: { x: { title: { display: true, text: 'ms' } } },
      },
    },
    responsiveTable(
      'Phases of the last run',
      ['Phase', 'Started at', 'Took'],
      bars.map((b) => [PHASE_NAMES[b.phase] ?? b.phase, ms(b.from), ms(b.to - b.from)]),
    ),
  );
}

/** Runs that never arrived, per vantage point: silent time is unknown, not counted as failure. */
function unknownNote(
  summary: SummaryResponse,
  place: (vantagePoint: string) => string,
): HTMLElement | string {
  const silent = summary.vantagePoints.filter((point) => (point.unknown ?? 0) > 0);
  if (silent.length === 0) return '';
  return h(
    'p',
    { class: 'nhsuk-body', 'data-testid': 'check-unknown' },
    'Unknown, not counted as failures: ',
    silent
      .map(
        (point) =>
          `${place(point.vantagePoint)} sent no result for ${point.unknown} of ${point.expected} runs`,
      )
      .join('; '),
    '.',
  );
}
