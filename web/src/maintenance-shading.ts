import type { Plugin } from 'chart.js';
import { h } from './dom.js';
import type { EstateNames } from './estate-names.js';
import { londonTime } from './format.js';
import { responsiveTable } from './table.js';
import type { WindowView } from './types.js';

export interface Shaded {
  from: number;
  to: number;
  title: string;
}

/** Every occurrence of the windows, as instants, for shading. */
export function shadedSpans(windows: WindowView[]): Shaded[] {
  return windows.flatMap((w) =>
    w.occurrences.map((o) => ({ from: Date.parse(o.from), to: Date.parse(o.to), title: w.title })),
  );
}

/**
 * Shades maintenance on a time axis: a hatched box over each span, behind the data, with "Maintenance"
 * written in it where it fits, so it reads without colour. The windows are also listed in a table.
 */
export function maintenancePlugin(spans: Shaded[]): Plugin {
  return {
    id: 'vantageMaintenance',
    beforeDatasetsDraw(chart) {
      const x = chart.scales.x;
      const area = chart.chartArea;
      if (!x || !area) return;
      const ctx = chart.ctx;
      const height = area.bottom - area.top;
      for (const span of spans) {
        const left = Math.max(area.left, x.getPixelForValue(span.from));
        const right = Math.min(area.right, x.getPixelForValue(span.to));
        if (!(right > left)) continue;
        const width = Math.max(2, right - left);
        ctx.save();
        ctx.fillStyle = 'rgba(65, 182, 230, 0.25)';
        ctx.fillRect(left, area.top, width, height);
        // Hatched inside the box only.
        ctx.beginPath();
        ctx.rect(left, area.top, width, height);
        ctx.clip();
        ctx.strokeStyle = 'rgba(0, 48, 135, 0.55)';
        ctx.lineWidth = 1;
        ctx.beginPath();
        for (let d = -height; d < width; d += 8) {
          ctx.moveTo(left + d, area.bottom);
          ctx.lineTo(left + d + height, area.top);
        }
        ctx.stroke();
        if (width > 80) {
          ctx.fillStyle = '#003087';
          ctx.font = '12px Arial, sans-serif';
          ctx.fillText('Maintenance', left + 4, area.top + 14);
        }
        ctx.restore();
      }
    },
  };
}

/** Who a window covers, in words: "systems epr; sites Marsh Lane Centre". */
export function scopeText(scope: WindowView['scope'], names: EstateNames): string {
  const parts: string[] = [];
  if (scope.systems?.length) parts.push(`systems ${scope.systems.map(names.system).join(', ')}`);
  if (scope.sites?.length) parts.push(`sites ${scope.sites.map(names.site).join(', ')}`);
  if (scope.checks?.length) parts.push(`checks ${scope.checks.join(', ')}`);
  if (scope.tags?.length) parts.push(`tags ${scope.tags.join(', ')}`);
  return parts.join('; ') || 'nothing';
}

/** A window's occurrences in London time, a line each (the first few, with how many more). */
export function occurrencesList(window: WindowView, most = 5): HTMLElement {
  const shown = window.occurrences.slice(0, most);
  return h(
    'ul',
    { class: 'nhsuk-list vantage-minutes' },
    ...shown.map((o) => h('li', {}, `${londonTime(o.from)} to ${londonTime(o.to)}`)),
    window.occurrences.length > most ? h('li', {}, `and ${window.occurrences.length - most} more`) : '',
  );
}

/** The windows over a check's charts, with the vantage points each covers. */
export function checkWindowsTable(caption: string, windows: WindowView[], names: EstateNames): HTMLElement {
  return responsiveTable(
    caption,
    ['Window', 'When (London time)', 'Covers here', 'Source'],
    windows.map((w) => [
      w.title,
      occurrencesList(w),
      (w.vantagePoints ?? []).map(names.site).join(', '),
      w.source === 'file' ? 'estate file' : `added by ${w.createdBy ?? 'unknown'}`,
    ]),
  );
}
