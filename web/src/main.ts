import 'nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css';
import './styles.css';
import { h } from './dom.js';
import { checkPage } from './pages/check.js';
import { estatePage } from './pages/estate.js';
import { systemPage } from './pages/system.js';

type Page = (main: HTMLElement, id: string) => Promise<string>;

const routes: [RegExp, Page][] = [
  [/^\/$/, estatePage],
  [/^\/checks\/([a-z0-9-]+)$/, checkPage],
  [/^\/systems\/([a-z0-9-]+)$/, systemPage],
];

async function render(): Promise<void> {
  const main = document.getElementById('maincontent');
  if (!main) return;
  const route = routes.find(([pattern]) => pattern.test(location.pathname));
  try {
    const id = route ? decodeURIComponent(route[0].exec(location.pathname)?.[1] ?? '') : '';
    const title = route ? await route[1](main, id) : notFound(main);
    document.title = `${title} – Vantage`;
  } catch (error) {
    document.title = 'Error – Vantage';
    main.replaceChildren(
      h(
        'div',
        { class: 'nhsuk-error-summary', role: 'alert', tabindex: -1 },
        h('h1', { class: 'nhsuk-error-summary__title' }, 'There is a problem'),
        h(
          'div',
          { class: 'nhsuk-error-summary__body' },
          h('p', {}, error instanceof Error ? error.message : 'The page could not be shown.'),
        ),
      ),
    );
  }
}

function notFound(main: HTMLElement): string {
  main.replaceChildren(
    h('h1', {}, 'Page not found'),
    h('p', {}, 'If you typed the web address, check it is correct. '),
    h('p', {}, h('a', { href: '/' }, 'Go to the estate')),
  );
  return 'Page not found';
}

void render();
