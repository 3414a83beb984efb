import { h } from '../dom.js';

export interface CampaignListed {
  id: string;
  title: string;
  opens: string;
  closes: string;
  state: 'upcoming' | 'open' | 'closed';
  message: string;
  resultsPublished: boolean;
  responses: number;
}

/**
 * The year-on-year control: the other campaigns with published results, one to choose, and a button
 * that opens this page compared with it (`?compare=`). A plain GET form, so it works by keyboard and
 * the address says what is shown.
 */
export function yearOnYearControl(
  id: string,
  campaigns: CampaignListed[],
  chosen: string | null,
): HTMLElement {
  const others = campaigns.filter((c) => c.id !== id && c.resultsPublished);
  if (others.length === 0)
    return h(
      'p',
      { class: 'nhsuk-body', 'data-testid': 'compare-none' },
      'Year on year: no other campaign has published results to compare with yet.',
    );
  return h(
    'form',
    {
      method: 'get',
      action: `/surveys/${encodeURIComponent(id)}`,
      class: 'vantage-filters',
      'data-testid': 'compare-form',
    },
    h(
      'div',
      { class: 'nhsuk-form-group' },
      h('label', { class: 'nhsuk-label', for: 'compare-with' }, 'Compare year on year with'),
      h(
        'select',
        { class: 'nhsuk-select', id: 'compare-with', name: 'compare' },
        others.map((c) => h('option', { value: c.id, selected: c.id === chosen }, c.title)),
      ),
    ),
    h('button', { class: 'nhsuk-button nhsuk-button--secondary', type: 'submit' }, 'Compare'),
    chosen
      ? h(
          'p',
          { class: 'nhsuk-body' },
          h('a', { href: `/surveys/${encodeURIComponent(id)}` }, 'Stop comparing'),
        )
      : '',
  );
}
