import { h } from '../dom.js';

/** Each metric's change in its own unit: availability moves in points, latency in ms. */
const UNIT: Record<string, (n: number) => string> = {
  availability: (n) =>
    `${n.toLocaleString('en-GB', { maximumFractionDigits: 3 })} ${n === 1 ? 'point' : 'points'}`,
  latency: (n) => `${Math.round(n).toLocaleString('en-GB')} ms`,
  'certificate-expiry': (n) => `${Math.round(n)} ${n === 1 ? 'day' : 'days'}`,
  'survey-share': (n) => `${n.toLocaleString('en-GB', { maximumFractionDigits: 1 })} points`,
};
const plain = (n: number) => n.toLocaleString('en-GB', { maximumFractionDigits: 1 });

/**
 * A change from the period before as an arrow with words ("▲ up 0.3 points, better"): the words carry
 * it, the arrow only repeats them.
 */
export function changeText(metric: string, change: number | null, better: boolean | null): HTMLElement {
  if (change === null)
    return h('span', { class: 'vantage-change', 'data-change': 'none' }, 'no figure to compare');
  if (change === 0)
    return h(
      'span',
      { class: 'vantage-change', 'data-change': 'same' },
      h('span', { 'aria-hidden': 'true' }, '= '),
      'no change',
    );
  const up = change > 0;
  const amount = (UNIT[metric] ?? plain)(Math.abs(change));
  return h(
    'span',
    {
      class: `vantage-change vantage-change--${better ? 'better' : 'worse'}`,
      'data-change': up ? 'up' : 'down',
    },
    h('span', { 'aria-hidden': 'true' }, up ? '▲ ' : '▼ '),
    `${up ? 'up' : 'down'} ${amount}, ${better ? 'better' : 'worse'}`,
  );
}
