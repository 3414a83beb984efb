import type { Plugin } from 'chart.js';
import { h } from './dom.js';
import type { EstateNames } from './estate-names.js';
import { incidentStateTag, severityTag, sinceText, whoseText } from './incident-words.js';
import type { Shaded } from './maintenance-shading.js';
import { responsiveTable } from './table.js';
import type { IncidentView } from './types.js';

/**
 * The incidents of a check or a system (a site's incident its checks are part of too) that touched the
 * time since `from`: the server filters, so a page asks only for what it shows.
 */
export function incidentsQuery(filter: 'check' | 'system', id: string, from: number): string {
  const since = new Date(from).toISOString();
  return `/api/v1/alerts?state=all&${filter}=${encodeURIComponent(id)}&since=${encodeURIComponent(since)}&limit=500`;
}

/** Each incident as a span, for marking on a time axis; an open one runs to now. */
export function incidentSpans(items: IncidentView[], now: number): Shaded[] {
  return items.map((i) => ({
    from: Date.parse(i.startedAt ?? i.openedAt ?? ''),
    to: i.resolvedAt ? Date.parse(i.resolvedAt) : now,
    title: `Incident ${i.id}`,
  }));
}

/**
 * Marks incidents on a time axis: a pale red box with a solid bar along its top and "Incident" written
 * at its foot where it fits, so it reads without colour and apart from maintenance's hatching. Listed
 * in a table beside the charts too.
 */
export function incidentPlugin(spans: Shaded[]): Plugin {
  return {
    id: 'vantageIncidents',
    beforeDatasetsDraw(chart) {
      const x = chart.scales.x;
      const area = chart.chartArea;
      if (!x || !area || spans.length === 0) return;
      const ctx = chart.ctx;
      for (const span of spans) {
        const left = Math.max(area.left, x.getPixelForValue(span.from));
        const right = Math.min(area.right, x.getPixelForValue(span.to));
        if (!(right > left)) continue;
        const width = Math.max(3, right - left);
        ctx.save();
        ctx.fillStyle = 'rgba(213, 40, 27, 0.12)';
        ctx.fillRect(left, area.top, width, area.bottom - area.top);
        ctx.fillStyle = '#d5281b';
        ctx.fillRect(left, area.top, width, 5);
        if (width > 60) {
          ctx.fillStyle = '#8a1538';
          ctx.font = '12px Arial, sans-serif';
          ctx.fillText('Incident', left + 4, area.bottom - 6);
        }
        ctx.restore();
      }
    },
  };
}

/** The incidents beside the charts, each linking to its page: the charts' marks as a table. */
export function incidentsSection(
  items: IncidentView[],
  names: EstateNames,
  what: string,
  now: number,
  /** Whether the page's time charts mark them (the system page's charts are per vantage point). */
  drawn: boolean,
): HTMLElement {
  if (items.length === 0)
    return h(
      'div',
      {},
      h('h2', { id: 'incidents' }, 'Incidents'),
      h(
        'p',
        { class: 'nhsuk-body', 'data-testid': 'incidents-none' },
        `No incident covered ${what} in the last 30 days.`,
      ),
    );
  const table = responsiveTable(
    `Incidents covering ${what} in the last 30 days, newest first`,
    ['Incident', 'Severity', 'Whose', 'When (London time)'],
    [...items]
      .sort((a, b) => Date.parse(b.startedAt ?? '') - Date.parse(a.startedAt ?? ''))
      .map((i) => [
        h(
          'span',
          {},
          h('a', { href: `/alerts/${encodeURIComponent(i.id)}` }, i.title),
          ' ',
          incidentStateTag(i.state),
        ),
        severityTag(i.severity),
        whoseText(i, names),
        sinceText(i, now),
      ]),
  );
  table.setAttribute('data-testid', 'incidents');
  return h(
    'div',
    {},
    h('h2', { id: 'incidents' }, 'Incidents'),
    drawn
      ? h(
          'p',
          { class: 'nhsuk-body', 'data-testid': 'incidents-note' },
          'Pale red boxes with a solid top edge on the time charts above are incidents; they are listed here.',
        )
      : '',
    table,
  );
}
