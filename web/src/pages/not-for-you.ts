import { h } from '../dom.js';

/**
 * A page opened by someone whose role may not see it (by its address: it is not linked for them).
 * The server refuses its data anyway; this says why instead of a bare error: for admin pages in
 * general words, or in the server's own words when it refused.
 */
export function notForYou(main: HTMLElement, title: string, refusal?: string): string {
  main.replaceChildren(
    h('h1', {}, title),
    h(
      'p',
      { class: 'nhsuk-body', 'data-testid': 'not-for-you' },
      refusal
        ? `This page is not open to you: ${refusal}.`
        : 'Only admins (the central informatics team) can see this page. Ask one if you need something here.',
    ),
    h('p', {}, h('a', { href: '/' }, 'Go to the overview')),
  );
  return title;
}
