import { h } from './dom.js';

const TAGS = {
  ok: ['nhsuk-tag--green', 'Up'],
  degraded: ['nhsuk-tag--yellow', 'Slow'],
  fail: ['nhsuk-tag--red', 'Down'],
  skipped: ['nhsuk-tag--grey', 'Skipped'],
  unknown: ['nhsuk-tag--grey', 'No data'],
} as const;

/** A run's state as an NHS tag, in words rather than colour alone. */
export function stateTag(state: keyof typeof TAGS): HTMLElement {
  const [modifier, text] = TAGS[state];
  return h('strong', { class: `nhsuk-tag ${modifier}` }, text);
}
