import 'nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css';
import './styles.css';
import { ApiFailure } from './api.js';
import { h } from './dom.js';
import { estatePage } from './pages/estate.js';

type Page = (main: HTMLElement) => Promise<string>;

const routes: [RegExp, Page][] = [[/^\/$/, estatePage]];

async function render(): Promise<void> {
  const main = document.getElementById('maincontent');
  if (!main) return;
  const page = routes.find(([pattern]) => pattern.test(location.pathname))?.[1];
  try {
    const title = page ? await page(main) : notFound(main);
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
          h('p', {}, error instanceof ApiFailure ? error.message : 'The page could not be shown.'),
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
