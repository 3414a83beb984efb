import { h } from './dom.js';
import type { Simulated } from './types.js';

// With the year: the demo's history reaches back thirteen months, so a day and month alone are ambiguous.
const day = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const instant = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/**
 * The NHS warning that a page's figures include the demo's simulated history, from the API's own
 * `simulated` field: nothing when it has none. One line per page that shows figures over time.
 */
export function simulatedNotice(simulated: Simulated | undefined): HTMLElement | '' {
  if (!simulated) return '';
  return h(
    'div',
    { class: 'nhsuk-warning-callout', 'data-testid': 'simulated-history' },
    h(
      'h2',
      { class: 'nhsuk-warning-callout__label' },
      h(
        'span',
        { role: 'text' },
        h('span', { class: 'nhsuk-u-visually-hidden' }, 'Important: '),
        'Simulated history',
      ),
    ),
    h(
      'p',
      {},
      `Figures from ${day.format(new Date(simulated.from))} to ${instant.format(new Date(simulated.to))} come from the demo's ` +
        'simulated history, generated when the demo first started: they were not measured.',
    ),
    simulated.writing
      ? h(
          'p',
          { 'data-testid': 'simulated-writing' },
          'It is still being written, newest month first (it takes a few seconds): reload the page to see all of it.',
        )
      : '',
  );
}
