import { ApiFailure, getJson } from '../api.js';
import { h } from '../dom.js';
import { responsiveTable } from '../table.js';
import { notForYou } from './not-for-you.js';

/** A frozen report as `GET /api/v1/reports` lists it: what it covers, which version, who made it. */
interface ReportListItem {
  id: string;
  kind: 'month' | 'quarter' | 'year';
  period: string;
  version: number;
  replaces: string | null;
  createdAt: string;
  createdBy: string;
  hash: string;
  demo: boolean;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** The period in words, as the report's own title has it: "November 2026", "2026-Q4", "2026". */
function periodWords(item: ReportListItem): string {
  const [year, month] = item.period.split('-');
  if (item.kind === 'month' && month) return `${MONTHS[Number(month) - 1] ?? month} ${year}`;
  return item.period;
}

// With the year: reports reach back past twelve months, so a day and month alone are ambiguous.
const made = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

const KIND_WORDS = { month: 'Month', quarter: 'Quarter', year: 'Year' } as const;

/** Each report's three forms: the page (for print), the PDF and the CSV tables. */
function formats(item: ReportListItem): HTMLElement {
  const base = `/reports/${encodeURIComponent(item.id)}`;
  const what = `${periodWords(item)} v${item.version}`;
  return h(
    'ul',
    { class: 'nhsuk-list vantage-report-formats' },
    h(
      'li',
      {},
      h('a', { href: base }, 'Page', h('span', { class: 'nhsuk-u-visually-hidden' }, ` of ${what}`)),
    ),
    h(
      'li',
      {},
      h('a', { href: `${base}.pdf` }, 'PDF', h('span', { class: 'nhsuk-u-visually-hidden' }, ` of ${what}`)),
    ),
    h(
      'li',
      {},
      h(
        'a',
        { href: `${base}.csv` },
        'CSV tables',
        h('span', { class: 'nhsuk-u-visually-hidden' }, ` of ${what}`),
      ),
    ),
  );
}

function versionText(item: ReportListItem): string {
  return item.replaces ? `v${item.version}, replaces ${item.replaces}` : `v${item.version}`;
}

/**
 * The frozen reports, newest first: each month, quarter and year as it was issued, every reissue beside
 * the version it replaces. Each opens as a page designed for print, as a PDF or as CSV.
 */
export async function reportsPage(main: HTMLElement): Promise<string> {
  const title = 'Reports';
  let items: ReportListItem[];
  try {
    ({ items } = await getJson<{ items: ReportListItem[] }>('/api/v1/reports'));
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 403) return notForYou(main, title, error.message);
    throw error;
  }
  const sorted = [...items].sort(
    (a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id),
  );
  main.replaceChildren(
    h('h1', {}, title),
    h(
      'p',
      { class: 'nhsuk-lede-text' },
      'Frozen reports for a board: every figure as it stood when the report was made. Results that arrive later never change one; a reissue is a new version beside it that lists what changed.',
    ),
    sorted.length === 0
      ? h(
          'p',
          { class: 'nhsuk-body', 'data-testid': 'reports-empty' },
          'No reports yet. An admin can make one with ',
          h('code', {}, 'vantage report create month 2026-11'),
          '; each month’s is made on the first day of the next.',
        )
      : responsiveTable(
          `${sorted.length} ${sorted.length === 1 ? 'report' : 'reports'}, newest first`,
          ['Report', 'Period', 'Version', 'Made', 'Open as'],
          sorted.map((item) => [
            h(
              'span',
              {},
              h('code', {}, item.id),
              item.demo
                ? h('strong', { class: 'nhsuk-tag nhsuk-tag--yellow vantage-demo-tag' }, 'Demo data')
                : null,
            ),
            `${KIND_WORDS[item.kind]}: ${periodWords(item)}`,
            versionText(item),
            `${made.format(new Date(item.createdAt))} by ${item.createdBy}`,
            formats(item),
          ]),
          sorted.map((item) => `report-${item.id}`),
        ),
  );
  return title;
}
