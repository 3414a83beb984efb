import { h } from './dom.js';
import { londonTime } from './format.js';
import type { ComplianceResponse } from './types.js';

export type Status = ComplianceResponse['status'];
type Metric = ComplianceResponse['principle']['metric'];

/** Each status in words with a shape of its own, so it never rests on colour alone. */
const STATUS: Record<Status, { modifier: string; icon: string; text: string }> = {
  met: { modifier: 'nhsuk-tag--green', icon: '✓', text: 'Met' },
  'at-risk': { modifier: 'nhsuk-tag--orange', icon: '▲', text: 'At risk' },
  breached: { modifier: 'nhsuk-tag--red', icon: '✕', text: 'Breached' },
  'no-data': { modifier: 'nhsuk-tag--grey', icon: '○', text: 'No data' },
  'not-evaluated': { modifier: 'nhsuk-tag--white', icon: '–', text: 'Not evaluated' },
};

export function statusTag(status: Status): HTMLElement {
  const { modifier, icon, text } = STATUS[status] ?? STATUS['no-data'];
  return h(
    'strong',
    { class: `nhsuk-tag ${modifier} vantage-status`, 'data-status': status },
    h('span', { class: 'vantage-status__icon', 'aria-hidden': 'true' }, icon),
    ` ${text}`,
  );
}

/** What a metric's figures are counted in, and which way is better. */
const UNITS: Record<Metric, { unit: string; better: '≥' | '≤' }> = {
  availability: { unit: '%', better: '≥' },
  latency: { unit: 'ms', better: '≤' },
  'certificate-expiry': { unit: 'days', better: '≥' },
  'survey-score': { unit: 'score', better: '≥' },
  'survey-net': { unit: 'net score', better: '≥' },
  'survey-share': { unit: '%', better: '≥' },
};

const unitOf = (metric: string) => UNITS[metric as Metric] ?? { unit: '', better: '≥' as const };

/** A figure in its metric's unit: 99.471%, 2,300 ms, 12 days, score 71.5. */
export function metricValue(metric: string, value: number | null | undefined): string {
  if (value === null || value === undefined) return 'no figure';
  const { unit } = unitOf(metric);
  if (unit === '%') return `${value.toFixed(3)}%`;
  if (unit === 'ms') return `${Math.round(value).toLocaleString('en-GB')} ms`;
  if (unit === 'days') return `${Math.floor(value)} days`;
  return `${unit} ${value.toLocaleString('en-GB', { maximumFractionDigits: 1 })}`;
}

/** The target as a comparison: ≥ 99.9%, ≤ 3,000 ms. */
export function targetText(metric: string, target: number, percentile?: number): string {
  const { unit, better } = unitOf(metric);
  const shown =
    unit === '%'
      ? `${target}%`
      : unit === 'ms' || unit === 'days'
        ? `${target.toLocaleString('en-GB')} ${unit}`
        : `${target}`;
  return `${percentile ? `p${percentile} ` : ''}${better} ${shown}`;
}

/** Minutes as counted: whole where they are, to two places where they are not. */
export function minutes(value: number): string {
  return `${value.toLocaleString('en-GB', { maximumFractionDigits: 2 })} min`;
}

/** The rules the figures were made by, under every figure, folded until asked for. */
export function accountingDetails(accounting: { version: number; text: string }): HTMLElement {
  return h(
    'details',
    { class: 'nhsuk-details vantage-accounting', 'data-testid': 'accounting' },
    h(
      'summary',
      { class: 'nhsuk-details__summary' },
      h(
        'span',
        { class: 'nhsuk-details__summary-text' },
        `How this is counted (accounting v${accounting.version})`,
      ),
    ),
    h(
      'div',
      { class: 'nhsuk-details__text' },
      ...accounting.text.split('\n').map((line) => h('p', { class: 'nhsuk-body-s' }, line)),
    ),
  );
}

/** A period as staff read it: from and to in London time. */
export function periodText(period: { from: string; to: string }): string {
  return `${londonTime(period.from)} to ${londonTime(period.to)} (London time)`;
}

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: 'numeric',
});
const monthName = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** This month, last month, this quarter and this year in London, as the API's period forms. */
export function calendarChoices(now = Date.now()): { value: string; label: string }[] {
  const parts = Object.fromEntries(londonParts.formatToParts(new Date(now)).map((p) => [p.type, p.value]));
  const year = Number(parts.year);
  const month = Number(parts.month);
  const last = month === 1 ? { year: year - 1, month: 12 } : { year, month: month - 1 };
  const text = (y: number, m: number) => `${y}-${String(m).padStart(2, '0')}`;
  const name = (y: number, m: number) => monthName.format(new Date(Date.UTC(y, m - 1, 1)));
  const quarter = Math.ceil(month / 3);
  return [
    { value: text(year, month), label: `This month (${name(year, month)})` },
    { value: text(last.year, last.month), label: `Last month (${name(last.year, last.month)})` },
    { value: `${year}-Q${quarter}`, label: `This quarter (Q${quarter} ${year})` },
    { value: String(year), label: `This year (${year})` },
  ];
}

/** The periods offered: each principle's own window, or one of the API's period forms. */
export function periodChoices(now = Date.now()): { value: string; label: string }[] {
  return [
    { value: '', label: 'Each principle’s own window' },
    { value: '30d', label: 'Last 30 days' },
    ...calendarChoices(now),
  ];
}

/** Links to the same page over each period, the one shown marked; a period given by address is kept. */
export function periodPicker(
  current: string,
  hrefFor: (period: string) => string,
  /** For one principle: its own window, named. */
  ownWindow?: string,
): HTMLElement {
  const choices = periodChoices();
  if (ownWindow) choices[0] = { value: '', label: `Its own window (${ownWindow})` };
  if (current && !choices.some((c) => c.value === current)) {
    const month = /^(\d{4})-(\d{2})$/.exec(current);
    const label = month
      ? monthName.format(new Date(Date.UTC(Number(month[1]), Number(month[2]) - 1, 1)))
      : current;
    choices.push({ value: current, label });
  }
  return h(
    'nav',
    { 'aria-label': 'Period', class: 'nhsuk-body vantage-periods' },
    h('span', { class: 'vantage-periods__label' }, 'Period: '),
    h(
      'ul',
      { class: 'vantage-periods__list' },
      ...choices.map((choice) =>
        h(
          'li',
          {},
          choice.value === current
            ? h('strong', { 'aria-current': 'page' }, choice.label)
            : h('a', { href: hrefFor(choice.value) }, choice.label),
        ),
      ),
    ),
  );
}

/** A query string from the values given, leaving out the empty ones. */
export function query(values: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}

export const ROLE_WORDS = { owner: 'system owner', host: 'site host' } as const;
