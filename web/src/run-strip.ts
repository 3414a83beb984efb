import { getJson } from './api.js';
import { h, plural } from './dom.js';
import { ms } from './format.js';
import type { ResultObject } from './types.js';

const HOUR_MS = 3_600_000;
/** At least this many of a place's newest runs are shown, or all of the last hour's when there are more. */
const RUNS = 100;

const STATE_WORDS: Record<ResultObject['state'], string> = {
  ok: 'Up',
  degraded: 'Slow',
  fail: 'Down',
  skipped: 'Skipped',
};

const exact = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
/** A run's start to the second: checks may run every few seconds. */
const runTime = (at: string) => exact.format(new Date(at));

/**
 * A place's newest runs, oldest first: the last 100, or the last hour's when it ran more often than
 * that. The results route answers newest first, a page at a time.
 */
export async function recentRuns(
  checkId: string,
  vantagePoint: string,
  now: number,
): Promise<ResultObject[]> {
  const base = `/api/v1/checks/${encodeURIComponent(checkId)}/results?vantagePoint=${encodeURIComponent(vantagePoint)}`;
  const first = await getJson<{ items: ResultObject[]; next?: string }>(`${base}&limit=${RUNS}`);
  const runs = [...first.items];
  const oldest = runs.at(-1);
  if (first.next && oldest && Date.parse(oldest.startedAt) > now - HOUR_MS) {
    const from = new Date(now - HOUR_MS).toISOString();
    const more = await getJson<{ items: ResultObject[] }>(
      `${base}&from=${from}&to=${encodeURIComponent(first.next)}&limit=1000`,
    );
    runs.push(...more.items);
  }
  return runs.reverse();
}

/** A run in words: when, its state, how long it took and what went wrong. */
export function runText(run: ResultObject): string {
  const took = run.phases ? `, ${ms(run.phases.totalMs)}` : '';
  const why = run.error
    ? `, ${run.error.class}: ${run.error.message}`
    : run.status
      ? `, status ${run.status}`
      : '';
  return `${runTime(run.startedAt)}: ${STATE_WORDS[run.state]}${took}${why}`;
}

/** The runs counted by state, in words: "97 up, 1 slow and 2 down". */
export function stripSummary(runs: readonly ResultObject[]): string {
  if (runs.length === 0) return 'No runs yet.';
  const counts = { ok: 0, degraded: 0, fail: 0, skipped: 0 };
  for (const run of runs) counts[run.state]++;
  const parts = (Object.keys(counts) as ResultObject['state'][])
    .filter((state) => counts[state] > 0)
    .map((state) => `${counts[state]} ${STATE_WORDS[state].toLowerCase()}`);
  const first = runs[0] as ResultObject;
  const last = runs.at(-1) as ResultObject;
  return `${plural(runs.length, 'run')} from ${runTime(first.startedAt)} to ${runTime(last.startedAt)}: ${parts.join(', ')}.`;
}

/**
 * One place's runs as a strip of bars, newest right: a bar's colour and its height both say its state
 * (up full, slow two thirds, down one third, skipped a sliver). The strip is one stop in the tab order;
 * the arrow keys, Home and End move along it, and the run focused or pointed at is described below it.
 */
export function runStrip(place: string, runs: readonly ResultObject[], id: string): HTMLElement {
  const detail = h(
    'p',
    { class: 'vantage-strip__detail', 'aria-live': 'polite', 'data-testid': `strip-detail-${id}` },
    runs.length > 0 ? 'Point at a run, or move along the strip with the arrow keys, to see it.' : '',
  );
  const bars = runs.map((run, i) =>
    h('button', {
      type: 'button',
      class: `vantage-strip__run vantage-strip__run--${run.state}`,
      title: runText(run),
      'aria-label': runText(run),
      // Only the newest run is in the tab order; the arrows reach the rest.
      tabindex: i === runs.length - 1 ? 0 : -1,
      'data-state': run.state,
    }),
  );
  const show = (bar: HTMLButtonElement) => {
    detail.textContent = bar.getAttribute('aria-label');
  };
  const move = (from: number, to: number) => {
    const target = bars[Math.max(0, Math.min(bars.length - 1, to))];
    if (!target || to === from) return;
    for (const bar of bars) bar.tabIndex = -1;
    target.tabIndex = 0;
    target.focus();
  };
  bars.forEach((bar, i) => {
    bar.addEventListener('focus', () => show(bar));
    bar.addEventListener('mouseenter', () => show(bar));
    bar.addEventListener('click', () => show(bar));
    bar.addEventListener('keydown', (event) => {
      const to = { ArrowLeft: i - 1, ArrowRight: i + 1, Home: 0, End: bars.length - 1 }[event.key];
      if (to === undefined) return;
      event.preventDefault();
      move(i, to);
    });
  });
  return h(
    'section',
    { class: 'vantage-strip', 'aria-labelledby': `strip-${id}`, 'data-testid': `strip-${id}` },
    h('h3', { id: `strip-${id}`, class: 'nhsuk-heading-s' }, place),
    h('p', { class: 'nhsuk-body-s', 'data-testid': `strip-summary-${id}` }, stripSummary(runs)),
    runs.length > 0
      ? h(
          'div',
          { class: 'vantage-strip__runs', role: 'group', 'aria-label': `Runs from ${place}, oldest first` },
          bars,
        )
      : '',
    detail,
  );
}

/** What the bars' heights and colours mean, once above the strips. */
export function stripKey(): HTMLElement {
  const key = (state: ResultObject['state'], words: string) =>
    h(
      'li',
      {},
      h('span', { class: `vantage-strip__run vantage-strip__run--${state}`, 'aria-hidden': 'true' }),
      ` ${words}`,
    );
  return h(
    'ul',
    { class: 'vantage-strip__key', 'aria-label': 'What the bars mean' },
    key('ok', 'Up: full height, green'),
    key('degraded', 'Slow: two thirds, amber'),
    key('fail', 'Down: one third, red'),
    key('skipped', 'Skipped: a sliver, grey'),
  );
}
