import { h } from '../dom.js';
import { metricValue, statusTag, targetText } from '../principle-parts.js';
import type { OverviewResponse } from '../types.js';

type Heatmap = NonNullable<OverviewResponse['heatmap']>;

const SHAPE: Record<string, string> = { met: '✓', 'at-risk': '▲', breached: '✕', 'no-data': '○' };
const WORDS: Record<string, string> = {
  met: 'met',
  'at-risk': 'at risk',
  breached: 'breached',
  'no-data': 'no data',
};

/**
 * Sites × systems: each cell its figure against the target, in colour, in words and a shape, and a
 * link to its evidence. A table, so a screen reader reads it by row and column.
 */
export function heatmapTable(heatmap: Heatmap, periodWords: string): HTMLElement {
  const { metric } = heatmap;
  const targets = heatmap.principles
    .map((p) => `${p.title} ${targetText(metric, p.target, p.percentile)}`)
    .join('; ');
  const byPair = new Map(heatmap.cells.map((cell) => [`${cell.site}\u0000${cell.system}`, cell]));
  const trimmed =
    heatmap.sites.length < heatmap.totalSites || heatmap.systems.length < heatmap.totalSystems
      ? ` Showing the worst ${heatmap.sites.length} of ${heatmap.totalSites} sites and ${heatmap.systems.length} of ${heatmap.totalSystems} systems.`
      : '';
  const caption = `${metric === 'latency' ? 'Latency' : 'Availability'} of each system (columns) at each site (rows) ${periodWords}, against its principle's target (${targets}). Open a cell for its evidence.${trimmed}`;
  return h(
    'div',
    { class: 'vantage-heatmap-box', role: 'region', 'aria-label': 'Heatmap', tabindex: 0 },
    h(
      'table',
      { class: 'vantage-heatmap', 'data-testid': 'heatmap' },
      h('caption', {}, caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Site'),
          ...heatmap.systems.map((system) =>
            h('th', { scope: 'col' }, h('a', { href: `/systems/${system.id}` }, system.name)),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        ...heatmap.sites.map((site) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, site.name),
            ...heatmap.systems.map((system) => {
              const cell = byPair.get(`${site.id}\u0000${system.id}`);
              if (!cell)
                return h(
                  'td',
                  { class: 'vantage-heatmap__none' },
                  h('span', { class: 'nhsuk-u-visually-hidden' }, 'not checked from here'),
                  '–',
                );
              return h(
                'td',
                {
                  class: `vantage-heatmap__cell vantage-heatmap--${cell.status}`,
                  'data-status': cell.status,
                },
                h(
                  'a',
                  { href: cell.href, 'data-site': cell.site, 'data-system': cell.system },
                  h(
                    'span',
                    { 'aria-hidden': 'true', class: 'vantage-heatmap__shape' },
                    SHAPE[cell.status] ?? '○',
                  ),
                  h(
                    'span',
                    { class: 'vantage-heatmap__value' },
                    cell.value === null ? 'no data' : metricValue(metric, cell.value),
                  ),
                  h('span', { class: 'nhsuk-u-visually-hidden' }, `, ${WORDS[cell.status] ?? cell.status}`),
                ),
              );
            }),
          ),
        ),
      ),
    ),
  );
}

/** The key to the heatmap's colours and shapes, in words. */
export function heatmapKey(): HTMLElement {
  return h(
    'p',
    { class: 'nhsuk-body-s vantage-heatmap-key' },
    'Key: ',
    ...(['met', 'at-risk', 'breached', 'no-data'] as const).map((status) => statusTag(status)),
  );
}
