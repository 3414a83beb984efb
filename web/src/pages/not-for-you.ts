import { h } from '../dom.js';

/**
 * An admin page opened by someone who is not an admin (by its address: it is not linked for them).
 * The server refuses its data anyway; this says why instead of a bare error.
 */
export function notForYou(main: HTMLElement, title: string): string {
  main.replaceChildren(
    h('h1', {}, title),
    h(
      'p',
      { class: 'nhsuk-body', 'data-testid': 'not-for-you' },
      'Only admins (the central informatics team) can see this page. Ask one if you need something here.',
    ),
    h('p', {}, h('a', { href: '/' }, 'Go to the estate')),
  );
  return title;
}
