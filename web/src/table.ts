import { h } from './dom.js';

type Cell = Node | string | number;

/**
 * An NHS responsive table: rows stack into labelled cards on narrow screens. Rows given an id can be
 * linked to.
 */
export function responsiveTable(
  caption: string,
  headings: string[],
  rows: Cell[][],
  rowIds: string[] = [],
): HTMLTableElement {
  return h(
    'table',
    { class: 'nhsuk-table-responsive' },
    h('caption', { class: 'nhsuk-table__caption' }, caption),
    h(
      'thead',
      { class: 'nhsuk-table__head', role: 'rowgroup' },
      h(
        'tr',
        { role: 'row' },
        ...headings.map((heading) => h('th', { role: 'columnheader', scope: 'col' }, heading)),
      ),
    ),
    h(
      'tbody',
      { class: 'nhsuk-table__body' },
      ...rows.map((row, r) =>
        h(
          'tr',
          { role: 'row', class: 'nhsuk-table__row', id: rowIds[r] },
          ...row.map((cell, i) =>
            h(
              'td',
              { role: 'cell', class: 'nhsuk-table__cell' },
              h(
                'span',
                { class: 'nhsuk-table-responsive__heading', 'aria-hidden': 'true' },
                `${headings[i] ?? ''} `,
              ),
              cell instanceof Node ? cell : String(cell),
            ),
          ),
        ),
      ),
    ),
  );
}
