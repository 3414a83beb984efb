import { chartFigure, londonTimeAxis, PHASE_COLOURS, PHASE_NAMES } from './charts.js';
import { londonDate, londonTime, ms, percent } from './format.js';
import { incidentPlugin } from './incident-shading.js';
import { maintenancePlugin, type Shaded } from './maintenance-shading.js';
import { responsiveTable } from './table.js';
import type { Phases, SeriesResponse } from './types.js';

const STACKED: (keyof Phases)[] = ['dnsMs', 'connectMs', 'tlsMs', 'ttfbMs', 'transferMs'];

/** Hourly (or, for long windows, daily) latency by phase: for windows too long to draw each run. */
export function latencyChart(
  series: SeriesResponse,
  shaded: Shaded[],
  range: { from: number; to: number },
  incidents: Shaded[] = [],
): HTMLElement {
  const points = series.items;
  return chartFigure(
    'Median latency by phase (stacked), and the 95th percentile of the total',
    {
      type: 'bar',
      data: {
        datasets: [
          ...STACKED.map((phase) => ({
            type: 'bar' as const,
            label: `${PHASE_NAMES[phase]} p50`,
            data: points.map((p) => ({ x: Date.parse(p.at), y: p.phases[phase].p50 ?? 0 })),
            backgroundColor: PHASE_COLOURS[phase],
            stack: 'p50',
          })),
          {
            type: 'line' as const,
            label: 'Total p95',
            data: points.map((p) => ({ x: Date.parse(p.at), y: p.phases.totalMs.p95 })),
            borderColor: PHASE_COLOURS.totalMs,
            backgroundColor: PHASE_COLOURS.totalMs,
          },
        ],
      },
      plugins: [maintenancePlugin(shaded), incidentPlugin(incidents)],
      options: {
        scales: {
          x: {
            ...londonTimeAxis(series.source === 'daily' ? 'day' : 'hour'),
            stacked: true,
            // The whole window, to now, so maintenance after the last full period is shaded too.
            min: range.from,
            max: range.to,
          },
          y: { stacked: true, title: { display: true, text: 'ms' } },
        },
      },
    },
    responsiveTable(
      'Latency per period',
      ['Period', 'Runs', 'p50 total', 'p95 total'],
      points.map((p) => [londonTime(p.at), p.runs, ms(p.phases.totalMs.p50), ms(p.phases.totalMs.p95)]),
    ),
  );
}

/** Availability per London day, the last 30. */
export function availabilityChart(
  daily: SeriesResponse,
  shaded: Shaded[],
  incidents: Shaded[] = [],
): HTMLElement {
  const days = daily.items.slice(-30);
  return chartFigure(
    'Availability by day (Europe/London days, last 30)',
    {
      type: 'bar',
      data: {
        datasets: [
          {
            label: 'Availability %',
            data: days.map((d) => ({
              x: Date.parse(d.at),
              y: d.availability === null ? null : d.availability * 100,
            })),
            backgroundColor: days.map((d) => ((d.availability ?? 1) < 0.999 ? '#d5281b' : '#007f3b')),
          },
        ],
      },
      plugins: [maintenancePlugin(shaded), incidentPlugin(incidents)],
      options: {
        plugins: { legend: { display: false } },
        scales: { x: londonTimeAxis('day'), y: { min: 0, max: 100 } },
      },
    },
    responsiveTable(
      'Availability per day',
      ['Day', 'Runs', 'Failures', 'Availability'],
      days.map((d) => [londonDate(d.at), d.runs, d.counts.fail, percent(d.availability)]),
    ),
  );
}
