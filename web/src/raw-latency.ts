import { getJson } from './api.js';
import { chartFigure, londonTimeAxis } from './charts.js';
import { ms } from './format.js';
import { incidentPlugin } from './incident-shading.js';
import { maintenancePlugin, type Shaded } from './maintenance-shading.js';
import { responsiveTable } from './table.js';
import type { ResultObject } from './types.js';

/** Raw runs are drawn for a short window only: past this many, the hourly figures are drawn instead. */
const MOST_RUNS = 10_000;
const PAGE = 1000;
const LINE_COLOURS = ['#005eb8', '#d5281b', '#007f3b', '#330072', '#ffb81c', '#41b6e6', '#425563'];

/** Every run of a check in [from, to), newest first; null when there are more than can be drawn. */
export async function runsBetween(checkId: string, from: number, to: number): Promise<ResultObject[] | null> {
  const base = `/api/v1/checks/${encodeURIComponent(checkId)}/results?from=${new Date(from).toISOString()}&limit=${PAGE}`;
  const runs: ResultObject[] = [];
  let before: string | undefined = new Date(to).toISOString();
  while (before !== undefined) {
    const page: { items: ResultObject[]; next?: string } = await getJson(
      `${base}&to=${encodeURIComponent(before)}`,
    );
    runs.push(...page.items);
    if (runs.length > MOST_RUNS) return null;
    before = page.next;
  }
  return runs;
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted.length === 0
    ? null
    : (sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? null);

/**
 * Each run's total time, one line per vantage point, at the runs' own resolution: for a day, where
 * hourly figures would hide a single slow or failed run.
 */
export function rawLatencyChart(
  runs: readonly ResultObject[],
  place: (vantagePoint: string) => string,
  range: { from: number; to: number },
  shaded: Shaded[],
  incidents: Shaded[] = [],
): HTMLElement {
  const byPlace = new Map<string, ResultObject[]>();
  for (const run of [...runs].reverse()) {
    if (!run.phases) continue;
    byPlace.set(run.vantagePoint, [...(byPlace.get(run.vantagePoint) ?? []), run]);
  }
  const places = [...byPlace.keys()].sort();
  const rows = places.map((vp) => {
    const totals = (byPlace.get(vp) ?? []).map((r) => r.phases?.totalMs ?? 0).sort((a, b) => a - b);
    return [
      place(vp),
      totals.length,
      ms(totals[0]),
      ms(percentile(totals, 0.5)),
      ms(percentile(totals, 0.95)),
      ms(totals.at(-1)),
    ];
  });
  return chartFigure(
    'Total time of each run, by vantage point (failed runs drawn as triangles)',
    {
      type: 'line',
      data: {
        datasets: places.map((vp, i) => {
          const own = byPlace.get(vp) ?? [];
          const colour = LINE_COLOURS[i % LINE_COLOURS.length] as string;
          return {
            label: place(vp),
            data: own.map((r) => ({ x: Date.parse(r.startedAt), y: r.phases?.totalMs ?? null })),
            borderColor: colour,
            backgroundColor: colour,
            // Points only: a line through a failed run's timeout would hide the others.
            showLine: false,
            pointRadius: own.map((r) => (r.state === 'fail' ? 5 : 1.5)),
            pointStyle: own.map((r) => (r.state === 'fail' ? 'triangle' : 'circle')),
          };
        }),
      },
      plugins: [maintenancePlugin(shaded), incidentPlugin(incidents)],
      options: {
        scales: {
          x: { ...londonTimeAxis('hour'), min: range.from, max: range.to },
          y: { title: { display: true, text: 'ms' }, beginAtZero: true },
        },
      },
    },
    responsiveTable(
      'Total time of the runs, by vantage point',
      ['Vantage point', 'Runs', 'Fastest', 'Median', '95th percentile', 'Slowest'],
      rows,
    ),
  );
}
