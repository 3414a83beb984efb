import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  TimeScale,
  Tooltip,
} from 'chart.js';
import 'chartjs-adapter-date-fns';
import { h } from './dom.js';
import { londonTime } from './format.js';

Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  LinearScale,
  TimeScale,
  CategoryScale,
  Tooltip,
  Legend,
);
Chart.defaults.font.family = 'Frutiger W01, Arial, sans-serif';
Chart.defaults.animation = false;

/** NHS palette, in an order that stays distinguishable when stacked. */
export const PHASE_COLOURS: Record<string, string> = {
  dnsMs: '#005eb8',
  connectMs: '#41b6e6',
  tlsMs: '#330072',
  ttfbMs: '#ffb81c',
  transferMs: '#007f3b',
  totalMs: '#d5281b',
};
export const PHASE_NAMES: Record<string, string> = {
  dnsMs: 'DNS',
  connectMs: 'Connect',
  tlsMs: 'TLS',
  ttfbMs: 'First byte',
  transferMs: 'Transfer',
  totalMs: 'Total',
};

/**
 * A chart in a figure, with its description for screen readers, and a table alternative. A chart
 * with many rows can ask for more height (in px) than the usual 280.
 */
export function chartFigure(
  title: string,
  config: ChartConfiguration,
  table: HTMLElement,
  height?: number,
): HTMLElement {
  const canvas = h('canvas', { role: 'img', 'aria-label': title });
  const figure = h(
    'figure',
    { class: 'vantage-chart' },
    h('figcaption', { class: 'nhsuk-heading-s' }, title),
    h('div', { class: 'vantage-chart__canvas', style: height ? `height: ${height}px` : undefined }, canvas),
    h(
      'details',
      { class: 'nhsuk-details' },
      h(
        'summary',
        { class: 'nhsuk-details__summary' },
        h('span', { class: 'nhsuk-details__summary-text' }, 'Show the figures as a table'),
      ),
      h('div', { class: 'nhsuk-details__text' }, table),
    ),
  );
  // Drawn once the figure is in the page, so the canvas has its size.
  queueMicrotask(
    () =>
      new Chart(canvas, {
        ...config,
        options: { maintainAspectRatio: false, responsive: true, ...config.options },
      }),
  );
  return figure;
}

/** A time axis labelled in Europe/London time, whatever the browser's zone. */
export function londonTimeAxis(unit: 'hour' | 'day') {
  return {
    type: 'time' as const,
    time: { unit },
    ticks: {
      callback: (value: string | number) =>
        unit === 'day' ? londonTime(value).split(',')[0] : londonTime(value),
      maxRotation: 0,
      autoSkip: true,
    },
  };
}
